// Package loader loads, unloads and reloads the modules of a Go program in
// process, enforcing at run time the rules reloadvet checks statically.
//
// A program registers its modules (a name, the modules it depends on and a
// [Factory] that starts one generation of it), then calls [Loader.Start].
// Before anything runs the loader checks the whole graph: unknown
// dependencies, cycles and, when layers are given, that every dependency
// points to a strictly lower layer. A graph that breaks a rule is refused
// with every problem listed, and nothing is loaded.
//
// Modules load in dependency order and unload in exact reverse.
// [Loader.Reload] reloads a set of modules as one transaction: the set and
// everything that depends on it unload once, top-down, and load once,
// bottom-up. [Loader.Replace] and [Loader.ReplaceAll] do the same with new
// code, and roll the whole set back to its previous code when a load
// fails. [Loader.RequestReload] asks for a reload without waiting, from
// anywhere (an observer, a goroutine of the module itself). Every load is
// bounded by a load timeout, every unload by a stop timeout, and
// [Loader.Stop] by its context. A module that fails on its own (a
// goroutine panics, it calls [Handle.Fail], its load fails during a
// reload) is restarted under a [RestartPolicy], with backoff.
//
// Each generation gets a [Handle]. Goroutines started with [Handle.Go]
// carry pprof labels naming the module and generation, have their panics
// recovered and reported as the module's failure, and are joined when the
// module unloads, by a count that costs nothing per goroutine in the rest
// of the process. Only when something is late does the loader read the
// runtime's goroutine profile: past the module's stop deadline the unload
// reports every goroutine still carrying the module's labels, with its
// stack, and, where the runtime can tell (Go 1.26 with
// GOEXPERIMENT=goroutineleakprofile, Go 1.27 on), which of them are
// blocked for ever. The checks that follow an unload (goroutines that
// module code started with a plain go statement, which carry the labels
// but not the count, and old instances that something still references)
// run after the new generation is up, off the reload path, and report
// through events; [Loader.WaitChecks] waits for them.
//
// The loader never imports the analyzers; they recognise its API by import
// path and name.
package loader
