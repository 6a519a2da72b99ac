// Package crosscallback defines an Analyzer that reports callbacks of a
// module handed to storage that outlives the module.
//
// # Analyzer crosscallback
//
// crosscallback: reports callbacks of a module kept by state that outlives the module
//
// When a module is unloaded, its code must no longer run. A func value
// whose code belongs to module M (a func literal written in M, a function
// or method declared in M, a method value of one of M's types), or a value
// of one of M's types handed over as an interface with methods (an
// http.Handler, a driver.Driver), can still be called after M is gone if
// something that lives longer keeps it: package-level state of a package
// in a lower layer or in no module, a goroutine such a package starts, a
// registration with the runtime, or an object M was given from outside.
//
// Given this config:
//
//	modules:
//	  - {name: core,    packages: ["example.com/app/core/..."]}
//	  - {name: service, packages: ["example.com/app/service/..."]}
//	layers: [[core], [service]]
//	spawners: ["example.com/app/core.(*Handle).Go"]
//
// these are wrong, because util (no module), the default mux and the bus
// of core all outlive service:
//
//	func (s *Service) Start(bus *core.Bus) {
//		util.AddHook(s.Flush)            // method value s.Flush of module service is kept by util.AddHook in package-level state of util (no module), which outlives service
//		http.HandleFunc("/stats", s.serve) // ... is kept by http.HandleFunc in package-level state of http (no module), ...
//		bus.Subscribe(s.onEvent)         // ... is kept by core.(*Bus).Subscribe in bus, a *core.Bus of core (module core, layer 1) that service got from outside as parameter bus of Start, ...
//		time.AfterFunc(time.Minute, s.expire) // ... is kept by time.AfterFunc in a runtime timer, ...: keep the *time.Timer it returns and use it to undo the registration at unload
//	}
//
// Right: keep callbacks in the module's own objects, and keep what undoes
// a registration so that the module can undo it at unload.
//
//	func (s *Service) Start(h *core.Handle, bus *core.Bus) {
//		mux := http.NewServeMux() // the module's own mux goes with the module
//		mux.HandleFunc("/stats", s.serve)
//		unsubscribe := bus.On(s.onEvent) // On returns what undoes it, and it is kept
//		h.OnUnload(unsubscribe)
//		h.Go(s.flushLoop) // a configured spawner joins what it is given
//	}
//
// Where a callback goes is computed for every package, the standard
// library included, and exported as facts: for each function, which
// parameters that can hold a callback it retains, or which fields of them,
// and into what (package-level state of a package, its receiver or
// another argument, or a field of one, a goroutine it starts and does not
// wait for, owned by its receiver when it is a method, a runtime
// registration), or whether it passes them to its result (sync.OnceFunc,
// http.StripPrefix), and which result, so that the caller follows them
// on. The analysis follows values through variables, fields, slices, maps,
// channels, closures and calls within a package, and what a function of
// the package returns into its callers there; each result of a call is a
// value of its own, so a callback stored into one result does not travel
// with the others. It is one-sided on purpose: a call through an interface
// or a func value is taken not to retain anything, and an object returned
// by a call to be the caller's own, so that what is reported is there.
// Two exceptions. A getter, a function whose result is, on every path
// that returns, an object reached from one of its parameters (func (c
// *Controller) Config() *Config { return c.cfg }), returns a part of
// that argument: dnsserver.GetConfig(c).AddPlugin(f) stores f where c
// comes from. And an interface call is followed into the method it runs
// when the interface value is made in the same function from a value of
// a concrete type (var k Keeper = globalKeeper{}; k.Keep(s.flush) uses
// the summary or fact of globalKeeper.Keep, and its result); a method
// promoted from an embedded field is not followed. Otherwise what an
// interface method is given is taken not to be retained, and what it
// returns to hold nothing, with one refinement for frameworks that keep
// what a registered value's method returns:
//
//	func RegisterModule(instance Module) { // in the framework
//		mod := instance.CaddyModule()
//		modules[mod.ID] = mod // keeps mod.New
//	}
//
//	caddy.RegisterModule(Gizmo{}) // in the module: reported
//
// The framework's fact says that it keeps what the CaddyModule method of
// its parameter returns; a call that passes a value of a known type (made
// into the interface in the calling function) whose method of that name,
// declared in the calling package, returns a callback of the package (a
// func literal, a function of the package, a value of one of its types;
// whole or in a field) is reported as keeping that value. A value whose
// method returns only others' code, a type declared in another package,
// or an argument whose dynamic type is not known (a parameter passed on),
// is not reported.
//
// What is followed is the callback's value, not whatever can reach it.
// A func literal or a method value that captures an object holding a
// callback carries the callback only when its body calls it (or a part
// of it that is a callback, or passes it to a function of the package
// that calls it): time.AfterFunc(d, func() { sl.Remove(sub) }) keeps sub
// alive, but the timer never runs sub's handler, and the handler is not
// reported as retained (the literal itself is, being module code the
// timer runs). Functions of other packages are taken not to call what
// they are given. A local object holding a callback in one field is
// followed, through phis and conversions, as holding it in that field
// only: what is read out of its other fields does not carry it.
//
// A summary says under which arguments each sink is reached, when the
// branch that reaches it tests a parameter: a bool parameter true or
// false (if async { queue.Submit(f) }), a parameter nil or not nil. A
// call whose argument is a constant that selects the other branch (false,
// true, nil, or a value that cannot be nil: a func, a closure, an
// allocation) does not retain through that sink; a call that passes its
// own parameter on guards its own sink in turn. Other conditions
// (comparisons, fields, results of calls), and branches inside func
// literals, are not followed: the sink counts as reached.
//
// Some registrations cannot be seen by analysing the standard library;
// they come from a built-in table:
//
//	time.AfterFunc, context.AfterFunc        kept until stopped; undone by the returned *time.Timer / stop func
//	runtime.SetFinalizer, runtime.AddCleanup  kept by the runtime; AddCleanup is undone by the returned runtime.Cleanup
//	http.Handle, http.HandleFunc            kept by http.DefaultServeMux
//	(*http.ServeMux).Handle, HandleFunc     kept by the mux
//	expvar.Publish, sql.Register, rpc.Register, rpc.RegisterName, image.RegisterFormat, slog.SetDefault
//	                                        kept in package-level state
//	(*rpc.Server).Register, RegisterName    kept by the server
//	(*atomic.Value).Store, Swap, CompareAndSwap, the same of atomic.Pointer,
//	(*sync.Map).Store, LoadOrStore, Swap, CompareAndSwap
//	                                        kept by the receiver
//	(*sync.Pool).Get, Put                   kept only until the next garbage collection: not retained
//
// The runtime's own bookkeeping (the runtime, internal/runtime/...,
// internal/abi and the race and sanitizer hooks) is not analysed.
//
// A retention is not reported when:
//
//   - the registration returns what undoes it (a func taking nothing, or a
//     value with a Stop, Cancel, Close, Unregister, Unsubscribe, Remove,
//     Release, Off or Deregister method taking nothing) and the caller
//     keeps that value (stores, defers, passes or returns it) rather than
//     discarding it;
//   - the callback goes to a configured spawner, or to an object whose type
//     has a configured spawner among its methods (the module's handle,
//     which goes with the module);
//   - it is used synchronously: called, or passed to a function that does
//     not retain it (sort.Slice, slices.SortFunc, sync.Once.Do);
//   - the retaining object is the module's own: allocated by the module,
//     returned by a constructor it called, a package-level variable of one
//     of its packages, or a field of its struct that the package only sets
//     from such objects;
//   - the storage belongs to the module itself, or to a module in the same
//     or a higher layer;
//   - it is stored into a package-level variable or a field of an object
//     from outside for a while: the function read the location before the
//     store and, on every path from it, stores that value back, directly
//     or by a func literal it defers or hands to a testing Cleanup
//     (old := low.Hook; low.Hook = f; defer func() { low.Hook = old }()).
//
// An object counts as got from outside when it is a parameter of a
// function others can call (exported, or a method with an exported name,
// which an interface can reach), a parameter of an unexported function that
// some call in the package passes such an object, a parameter (other than
// a receiver) of a function the package hands over as a value and never
// calls itself (coredns's setup(c *caddy.Controller), given to
// plugin.Register: whoever calls it later passes c), a package-level
// variable of another package, a field of the module's struct that the
// package sets from one of those, or what a getter returns of one of
// those (what it returns of an object of the module's own type is the
// module's, as a field read out of one is). A function handed over as a
// value that the package also calls counts as called with what the
// package passes it. A parameter of an exported function is the
// module's own when the package calls that function, and every such call
// (directly, or through unexported functions passing their parameter on)
// passes an object the module allocated or got back from a call: the
// module's ServeHTTP making a request's replacer and handing it to its
// exported PrepareRequest. Calls from other packages are not seen, and are
// taken to do the same. An *http.Request is the request's: it and what is
// stored in it (a wrapped Body) end with the request, not outlive the
// module. A *flag.FlagSet from outside lives for one parse: it calls what
// is registered on it while it parses a command line (registrations on
// flag.CommandLine, package-level state of flag, are reported). An
// object's type decides whether it outlives the module:
// the named type of the object (for a map, slice or channel held in a
// field, the struct holding it; for a method promoted from an embedded
// field, as t.Cleanup from testing.common, the object the method is called
// on, a *testing.T); an unnamed map or channel counts as no
// module's, an unnamed slice (more often a buffer to fill in) as nobody's.
//
// A value of one of the module's types counts as a callback only where it
// is converted to a named interface with methods declared outside the
// module (not error or fmt.Stringer), and at least one of the interface's
// methods is implemented by a method the module declares: conversions to
// an empty interface or to the module's own interfaces hand over data, and
// a caddy.Context (a struct embedding a context.Context) converted to a
// context.Context hands over only the embedded context's methods. Parts read out of a value
// that holds a callback are followed only when they can themselves be
// callbacks (funcs, collections of funcs, structs with func fields), not
// through interface-typed fields, which would make every getter of a data
// structure look like it hands its callbacks on.
//
// Only callbacks of the module that owns the package are followed, from
// where the package creates them: in its functions, in the func literals
// they contain, and in package-level variable initialisers (var once =
// sync.OnceValue(func() ...), var _ = registry.Add(handler)). _test.go files are checked, and seen by
// the origin search, only with tests: true in the config or the -tests
// flag. Without a config there is nothing to check.
//
// Categories:
//
//   - package-state: kept in package-level state of a package in a lower
//     layer or in no module.
//   - goroutine: kept by a goroutine that a package in a lower layer or in
//     no module starts and does not wait for.
//   - runtime-registration: kept by a registration with the runtime from
//     the built-in table.
//   - outside-object: kept by an object the module got from outside whose
//     type is declared in a lower layer or in no module.
//   - init-registration: any of the above, made during package
//     initialisation: in an init function or a package-level variable
//     initialiser (not in a func literal written in one, which runs when
//     it is called: var reg = sync.OnceValue(func() ...)). Most registrations
//     of plugin frameworks are of this kind, made once by design: a hazard
//     when a module's code is reloaded (the registry keeps the old code),
//     not when only its instances are. A function that init calls is not
//     counted as initialisation.
//   - unused-directive: a //reloadvet:ignore directive naming crosscallback
//     that suppresses nothing.
//
// The init-registration category is on by default; this config (or the
// same key in the golangci settings, or the flag -crosscallback.skip-init)
// turns it off:
//
//	crosscallback:
//	  skip-init: true
package crosscallback
