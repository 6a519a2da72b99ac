package crosscallback

import "strings"

// A registration is a function of the standard library that keeps a
// callback where analysis of the standard library cannot see it: in the
// runtime (timers, finalizers), behind unsafe pointers (sync/atomic,
// sync.Map) or deep in a data structure built through calls (the routing
// tree of http.ServeMux). The table below lists them; doc.go repeats it.
type registration struct {
	// fn is the function's types.Func.FullName, of the generic origin
	// for methods of generic types.
	fn string
	// args are the SSA argument indices of the callback (a method's
	// receiver is argument 0).
	args []int
	sink sink
	// holder says what keeps the callback, for intoRuntime messages.
	holder string
	// undo is the index of the result that undoes the registration, or -1.
	undo int
}

var registrations = []registration{
	{fn: "time.AfterFunc", args: []int{1}, sink: sink{Kind: intoRuntime, Pkg: "time.AfterFunc"}, holder: "a runtime timer", undo: 0},
	{fn: "context.AfterFunc", args: []int{1}, sink: sink{Kind: intoRuntime, Pkg: "context.AfterFunc"}, holder: "the callbacks of its context", undo: 0},
	{fn: "runtime.SetFinalizer", args: []int{1}, sink: sink{Kind: intoRuntime, Pkg: "runtime.SetFinalizer"}, holder: "the runtime's finalizers", undo: -1},
	{fn: "runtime.AddCleanup", args: []int{1}, sink: sink{Kind: intoRuntime, Pkg: "runtime.AddCleanup"}, holder: "the runtime's cleanups", undo: 0},

	{fn: "net/http.Handle", args: []int{1}, sink: sink{Kind: intoGlobal, Pkg: "net/http"}, undo: -1},
	{fn: "net/http.HandleFunc", args: []int{1}, sink: sink{Kind: intoGlobal, Pkg: "net/http"}, undo: -1},
	{fn: "(*net/http.ServeMux).Handle", args: []int{2}, sink: sink{Kind: intoParam, Index: 0}, undo: -1},
	{fn: "(*net/http.ServeMux).HandleFunc", args: []int{2}, sink: sink{Kind: intoParam, Index: 0}, undo: -1},
	{fn: "expvar.Publish", args: []int{1}, sink: sink{Kind: intoGlobal, Pkg: "expvar"}, undo: -1},
	{fn: "database/sql.Register", args: []int{1}, sink: sink{Kind: intoGlobal, Pkg: "database/sql"}, undo: -1},
	{fn: "net/rpc.Register", args: []int{0}, sink: sink{Kind: intoGlobal, Pkg: "net/rpc"}, undo: -1},
	{fn: "net/rpc.RegisterName", args: []int{1}, sink: sink{Kind: intoGlobal, Pkg: "net/rpc"}, undo: -1},
	{fn: "(*net/rpc.Server).Register", args: []int{1}, sink: sink{Kind: intoParam, Index: 0}, undo: -1},
	{fn: "(*net/rpc.Server).RegisterName", args: []int{2}, sink: sink{Kind: intoParam, Index: 0}, undo: -1},
	{fn: "image.RegisterFormat", args: []int{2, 3}, sink: sink{Kind: intoGlobal, Pkg: "image"}, undo: -1},
	{fn: "log/slog.SetDefault", args: []int{0}, sink: sink{Kind: intoGlobal, Pkg: "log/slog"}, undo: -1},

	{fn: "(*sync/atomic.Value).Store", args: []int{1}, sink: sink{Kind: intoParam, Index: 0}, undo: -1},
	{fn: "(*sync/atomic.Value).Swap", args: []int{1}, sink: sink{Kind: intoParam, Index: 0}, undo: -1},
	{fn: "(*sync/atomic.Value).CompareAndSwap", args: []int{2}, sink: sink{Kind: intoParam, Index: 0}, undo: -1},
	{fn: "(*sync/atomic.Pointer[T]).Store", args: []int{1}, sink: sink{Kind: intoParam, Index: 0}, undo: -1},
	{fn: "(*sync/atomic.Pointer[T]).Swap", args: []int{1}, sink: sink{Kind: intoParam, Index: 0}, undo: -1},
	{fn: "(*sync/atomic.Pointer[T]).CompareAndSwap", args: []int{2}, sink: sink{Kind: intoParam, Index: 0}, undo: -1},
	{fn: "(*sync.Map).Store", args: []int{2}, sink: sink{Kind: intoParam, Index: 0}, undo: -1},
	{fn: "(*sync.Map).LoadOrStore", args: []int{2}, sink: sink{Kind: intoParam, Index: 0}, undo: -1},
	{fn: "(*sync.Map).Swap", args: []int{2}, sink: sink{Kind: intoParam, Index: 0}, undo: -1},
	{fn: "(*sync.Map).CompareAndSwap", args: []int{3}, sink: sink{Kind: intoParam, Index: 0}, undo: -1},

	// A sync.Pool enters a list in package sync when first used, and its
	// values stay only until the next garbage collection: neither the pool
	// nor what it holds is retained.
	{fn: "(*sync.Pool).Get", undo: -1},
	{fn: "(*sync.Pool).Put", undo: -1},
}

// opaque reports whether the functions of a package are left out of the
// analysis: the runtime and its internal packages keep objects in their
// own bookkeeping (wait queues, timers, escape sinks) in ways that say
// nothing about callbacks; what they do keep is in the table.
func opaque(pkgPath string) bool {
	switch pkgPath {
	case "runtime", "unsafe", "internal/abi", "internal/race", "internal/msan", "internal/asan", "internal/synctest":
		return true
	}
	return strings.HasPrefix(pkgPath, "internal/runtime/") || strings.HasPrefix(pkgPath, "runtime/internal/")
}

// tableIndex maps a FullName to its registration.
func tableIndex() map[string]*registration {
	m := make(map[string]*registration, len(registrations))
	for i := range registrations {
		m[registrations[i].fn] = &registrations[i]
	}
	return m
}

// holderOf returns what keeps a callback for an intoRuntime sink.
func holderOf(key string) string {
	for _, r := range registrations {
		if r.fn == key {
			return r.holder
		}
	}
	return "the runtime"
}
