// Package contract holds the interfaces the example's modules use to talk
// to each other. The program and the greeter plugin both link it, so it
// must stay identical in both: the code that changes on reload lives in
// the plugin's own main package, never here.
package contract

// Visits counts visits by name; the store module implements it.
type Visits interface {
	// Visit records a visit and returns how many there have been.
	Visit(name string) int
}

// Greeter greets; the greeter module (the plugin) implements it.
type Greeter interface {
	Greet(name string) string
}
