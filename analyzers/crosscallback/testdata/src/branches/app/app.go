package app

import "branches/lib"

type App struct{}

func (a *App) tick() {}

func (a *App) Start(flag bool) {
	lib.Manage(a.tick, false) // ok: async false runs it at once
	lib.Manage(a.tick, true)  // want `method value a\.tick of module app is kept by lib\.Manage in package-level state of lib \(no module\), which outlives app`
	lib.Manage(a.tick, flag)  // want `kept by lib\.Manage`
	lib.Sync(a.tick)          // ok: Sync passes false
	lib.Async(a.tick)         // want `kept by lib\.Async`
	lib.Either(a.tick, false) // ok: the flag is passed on as false
	lib.Either(a.tick, true)  // want `kept by lib\.Either`
	lib.Never(a.tick, true)   // ok: Manage is called only when the flag is false, with it

	lib.Keep(a.tick, nil)    // ok: no onDone, and f is only called
	lib.Keep(nil, a.tick)    // want `kept by lib\.Keep`
	lib.Default(a.tick, nil) // want `kept by lib\.Default in package-level state of lib`
	var mine []func()
	lib.Default(a.tick, &mine) // ok: the module's own slice
}
