// Package rawspawn defines an Analyzer that reports code in a module that
// starts goroutines on the raw runtime instead of through the module's
// sanctioned spawner.
//
// # Analyzer rawspawn
//
// rawspawn: reports goroutines and runtime callbacks that a module starts without its configured spawner
//
// A module that is unloaded in place must stop everything it started. The
// loader can only join what it knows about: goroutines started through the
// module's handle. A go statement, a time.AfterFunc or a context.AfterFunc
// runs code on the raw runtime, out of the handle's reach, and that code
// may still run after its module is gone.
//
// Given this config:
//
//	modules:
//	  - {name: core,     packages: ["example.com/app/core/..."]}
//	  - {name: database, packages: ["example.com/app/database/..."]}
//	layers: [[core], [database]]
//	spawners: ["example.com/app/core.(*Handle).Go"]
//
// this goroutine is wrong, because nothing waits for it at unload:
//
//	func (s *Store) Start(h *core.Handle) {
//		go s.flushLoop() // direct goroutine in module database: start it with core.(*Handle).Go so it is joined at unload
//	}
//
// Right: start it through the handle.
//
//	func (s *Store) Start(h *core.Handle) {
//		h.Go(func(ctx context.Context) { s.flushLoop() })
//	}
//
// In packages owned by a module, every go statement, every call of
// time.AfterFunc and context.AfterFunc, and every call of
// (*sync.WaitGroup).Go, (*errgroup.Group).Go and (*errgroup.Group).TryGo is
// reported, except inside the body of a configured spawner, which is where
// the raw go statement belongs. A group the module keeps for itself is no
// better than a go statement: the loader joins the module's handle at
// unload, not the module's own groups, so
//
//	func (s *Store) Start() {
//		s.wg.Go(s.flushLoop) // (*sync.WaitGroup).Go in module database starts a goroutine the module's handle cannot join: start it with core.(*Handle).Go so it is joined at unload
//	}
//
// is wrong for the same reason, and right when started through the handle.
// A group's Go called through a func value (start := wg.Go) has no static
// callee and is not seen.
// The message names the configured spawners; the spawners entry of the
// config is given as related information.
//
// When a configured spawner takes a single func() or func(context.Context)
// and returns nothing, and exactly one value that can call it is in scope
// (a parameter of the enclosing functions, a field of the method's
// receiver, or the spawner itself when it is a function of the package or
// of an import of the file), a go statement comes with a suggested fix
// that hands the call to the spawner:
//
//	go s.flush(n) // becomes: h.Go(func(context.Context) { s.flush(n) })
//
// A go statement evaluates its function and arguments before the new
// goroutine starts, while the rewritten call evaluates them when the
// spawner runs the func. The fix is therefore offered only when that
// difference cannot be observed: the called function is a func literal, a
// declared function or a method of a pointer receiver held in a variable,
// and each argument is a constant, a func literal or a local variable or
// parameter that is never assigned after its declaration nor has its
// address taken. Nor is it offered when the goroutine already works with a
// value that has a spawner (it waits on the WaitGroup, calls Done on it,
// starts more work on the handle): chosen by scope alone, the spawner
// could be the very one the goroutine waits on. Calls of time.AfterFunc
// and context.AfterFunc get no fix.
//
// With allow-scoped, a go statement or a group's Go is allowed when the
// function that starts it is shown to wait for the goroutine on every path
// to a return
// (a sync.WaitGroup or errgroup.Group it waits on, a channel it receives
// from, a deferred wait), by the proof the unjoined analyzer uses. Such a
// goroutine ends before its function returns, so it cannot outlive the
// module. The proof sees only the package's own code: a wait inside a
// function of another package is not seen, and the go statement is
// reported. It takes a send or close on a channel as the goroutine's end,
// so a goroutine that only says it has started and keeps running is
// allowed too; keep the option off where that pattern is common. Turn it on in the config, or with the flag for one run
// (-rawspawn.allow-scoped, which overrides the config either way):
//
//	rawspawn:
//	  allow-scoped: true
//
// With no config, or a config without spawners, rawspawn has nothing to
// check; drivers say so once in verbose output (see Note). _test.go files
// are checked only with tests: true in the config or the -tests flag.
//
// Categories:
//
//   - go-statement: a go statement outside a configured spawner.
//   - after-func: a call of time.AfterFunc or context.AfterFunc outside a
//     configured spawner.
//   - group-go: a call of (*sync.WaitGroup).Go, (*errgroup.Group).Go or
//     (*errgroup.Group).TryGo outside a configured spawner.
//   - unused-directive: a //reloadvet:ignore directive naming rawspawn that
//     suppresses nothing.
package rawspawn
