package svc

import "suppressed/lib"

func tick() {}

func Start() {
	//reloadvet:ignore crosscallback lib.Hooks is cleared by the loader before each unload
	lib.Hooks = append(lib.Hooks, tick) // ok: suppressed by the directive above

	//reloadvet:ignore crosscallback stale reason // want `directive suppresses no crosscallback finding on its line or the next: remove crosscallback from it`
	tick()

	lib.Hooks = append(lib.Hooks, tick) // want `func svc\.tick of module svc is stored in lib\.Hooks`
}
