// Package b is another package of module svc.
package b

import "layers/base"

var Hooks []func()

// Add passes f on to base: its callers' callbacks end up there.
func Add(f func()) { base.Add(f) } // want Add:`retains\(f: global layers/base\)`
