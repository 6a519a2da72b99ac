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
// [Loader.Reload] unloads one module and everything that depends on it,
// top-down, and loads them again bottom-up; [Loader.Replace] does the same
// with new code for the module, and rolls back to the previous code when the
// new generation fails to load.
//
// Each generation gets a [Handle]. Goroutines started with [Handle.Go] carry
// pprof labels naming the module and generation, have their panics
// recovered and reported as the module's failure, and are joined when the
// module unloads. Past the module's stop deadline the unload reports every
// goroutine still carrying the module's labels, with its stack, including
// goroutines that module code started with a plain go statement inside a
// handle goroutine, since labels pass to children.
//
// The loader never imports the analyzers; they recognise its API by import
// path and name.
package loader
