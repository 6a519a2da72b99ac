// Package owned is in a module: its helper is reported where it spawns,
// not where it is called.
package owned

// Go starts f.
func Go(f func()) { go f() }
