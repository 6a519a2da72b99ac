package app

import (
	"context"

	"facts/lib"
)

type App struct {
	box    lib.Box
	remove func()
}

func (a *App) tick()        {}
func (a *App) event(string) {}

func (a *App) Start() {
	lib.Via(a.tick)                              // want `method value a\.tick of module app is kept by lib\.Via in package-level state of lib \(no module\), which outlives app`
	lib.Recursive(3, a.tick)                     // want `kept by lib\.Recursive in package-level state of lib`
	lib.Escaping(func() {})                      // want `func literal of module app is kept by lib\.Escaping in package-level state of lib`
	lib.Spawned(a.tick)                          // want `method value a\.tick of module app is kept by lib\.Spawned in a goroutine of lib \(no module\), which outlives app`
	lib.Varargs(handle, a.tick)                  // want `func app\.handle of module app is kept by lib\.Varargs` `method value a\.tick of module app is kept by lib\.Varargs`
	lib.Configure(lib.Options{OnEvent: a.event}) // want `method value a\.event of module app is kept by lib\.Configure`
	lib.Store(a.tick)                            // want `kept by lib\.Store`
	lib.Generic(a.tick)                          // want `kept by lib\.Generic`
	lib.ToGlobal(lib.Wrap(a.tick))               // want `method value a\.tick of module app is kept by lib\.ToGlobal`
	lib.ToGlobal(handle)                         // want `func app\.handle of module app is kept by lib\.ToGlobal`
	lib.On(a.tick)                               // want `kept by lib\.On in package-level state of lib \(no module\), which outlives app: keep the func\(\) it returns and use it to undo the registration at unload`

	a.remove = lib.On(a.tick) // ok: what undoes it is kept
	lib.Joined(a.tick)        // ok: Joined waits for its goroutine
	lib.Called(a.tick)        // ok: called synchronously
	lib.Dynamic(a.tick, nil)  // ok: the callee of the func value is unknown, assumed not to keep it
	a.box.Set(a.tick)         // ok: the box is the module's own

	var mine []func()
	lib.ToArg(&mine, a.tick) // ok: the slice is the module's own
	local := &lib.Registry[string]{}
	local.Add(a.event) // ok: the registry is the module's own

	p := &pair{cb: a.tick, ctx: context.Background()}
	lib.Store(p.ctx) // ok: the field that holds the callback is another one
	lib.Store(p.cb)  // want `method value a\.tick of module app is kept by lib\.Store`
}

// Serving hands callbacks to servers whose Serve keeps only their stats.
func (a *App) Serving() {
	srv := &lib.Server{}
	srv.Handle(a.tick) // ok: the server is the module's own
	srv.Serve()        // ok: Serve keeps the server's stats, not its handlers

	captured := &lib.Server{}
	captured.Handle(a.tick)
	defer func() { captured.Serve() }() // ok: the closure sees the same server, still without stats

	withStats := &lib.Server{Stats: &lib.Stats{OnReport: a.tick}}
	withStats.Serve() // want `method value a\.tick of module app is kept by lib\.\(\*Server\)\.Serve in package-level state of lib`
}

// Pools hands callbacks to goroutines of pools.
func (a *App) Pools() {
	pool := &lib.Pool{}
	pool.Go(a.tick)       // ok: the goroutine belongs to the module's own pool
	lib.Shared.Go(a.tick) // want `method value a\.tick of module app is kept by lib\.\(\*Pool\)\.Go in a goroutine of lib\.Shared, package-level state of lib \(no module\), which outlives app`
}

type pair struct {
	cb  func()
	ctx context.Context
}

func handle() {}
