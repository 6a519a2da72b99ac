package skipped

import "initreg/lib"

func handler() {}

func init() {
	lib.Register(handler) // ok: skip-init leaves out registrations at package initialisation
}

var registered = lib.Add(func() {}) // ok: skip-init, a package-level initialiser

func Start() {
	lib.Register(handler) // want `func skipped\.handler of module skipped is kept by lib\.Register`
}
