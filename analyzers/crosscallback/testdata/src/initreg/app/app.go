package app

import (
	"sync"

	"initreg/lib"
)

func handler() {}

func init() {
	lib.Register(handler) // want `func app\.handler of module app is kept by lib\.Register in package-level state of lib \(no module\), which outlives app`
}

// Func literals in package-level initialisers are checked too.
var registered = lib.Add(func() {}) // want `func literal of module app is kept by lib\.Add in package-level state of lib`

var once = sync.OnceValue(func() int { return 1 }) // ok: the module's own variable keeps it

var hook = func() {} // ok: the module's own variable

// A literal in an initialiser runs when it is called: not at init.
var later = sync.OnceValue(func() bool {
	lib.Register(handler) // want `func app\.handler of module app is kept by lib\.Register`
	return true
})

func Start() {
	lib.Register(handler) // want `func app\.handler of module app is kept by lib\.Register`
}
