// Package unjoined defines an Analyzer that reports goroutines that are
// started but never waited for.
//
// # Analyzer unjoined
//
// unjoined: reports goroutines whose owner can let go of them without waiting for them to end
//
// A module that is reloaded in place must stop everything it started before
// its replacement starts: a goroutine that outlives its module keeps the old
// code and its data alive, and a reload per hour leaks one goroutine per
// hour. unjoined checks each spawn — a go statement, (*sync.WaitGroup).Go,
// (*errgroup.Group).Go and (*errgroup.Group).TryGo — and reports the
// goroutine unless it is joined:
//
//   - scoped: on every path from the spawn to a return, the spawning
//     function waits for it: Wait on the WaitGroup the goroutine marks Done
//     (directly or by defer), Wait on the errgroup, or a receive that cannot
//     be skipped from a channel the goroutine closes or sends on. Deferred
//     waits, helpers that always wait on a group they are given, paths that
//     end in a panic or a call that does not return (os.Exit, log.Fatal),
//     and a spawn in a loop with one Wait after it all count;
//   - by the owner: the goroutine signals through a field of a struct (a
//     WaitGroup, a done channel) and a function of the package waits on
//     that field, typically Stop, Close or Shutdown (a wait inside another
//     goroutine counts only when that goroutine is joined);
//   - transitively: another goroutine waits for it and is itself joined, as
//     the closer of a fan-in pipeline is.
//
// Wrong: the select returns on timeout and the sender is left behind,
// blocked for ever if the channel is unbuffered and finished but never
// waited for if it has room:
//
//	func fetch(ctx context.Context) (int, error) {
//		ch := make(chan int, 1)
//		go func() { ch <- slow() }() // goroutine is not joined: the select can return at line 6 without receiving from ch
//		select {
//		case v := <-ch:
//			return v, nil
//		case <-ctx.Done():
//			return 0, ctx.Err()
//		}
//	}
//
// Wrong: Stop tells the loop to stop but returns before it has:
//
//	func (s *Server) Start() { go s.loop() } // goroutine is not joined: Stop closes quit but never waits for the goroutine to return
//	func (s *Server) Stop()  { close(s.quit) }
//
// Right:
//
//	func (s *Server) Start() {
//		s.wg.Add(1)
//		go func() { defer s.wg.Done(); s.loop() }()
//	}
//	func (s *Server) Stop() { close(s.quit); s.wg.Wait() }
//
// The goroutine is judged from the waiting side: it is joined only when
// something bound to its owner waits, blocking, for a signal the goroutine
// gives as its last act. Code of unknown effect in its body (an interface
// method, a func value, a callback) does not make it "unsure" by itself;
// it can only hide a join when it can reach what is waited on: a group or
// channel it is handed that the spawner or the owner waits on, a caller's
// group, or a struct of the package with a field that is waited on.
// What it is handed is what it can reach: a struct of another package in
// a field (a sync.Pool whose New may run) leads back to the struct around
// it only if the package stores a closure, an interface or a pointer into
// it.
//
// A receive-only channel gives the code it is handed no end signal to
// give (it can only hear a stop on it), and a wait on ctx.Done() is a
// wait for the caller's cancel unless that code could cancel ctx; waits
// in the goroutine's own code (a loop receiving from its own stop
// channel) are not waits for it.
//
// Wrong: nothing waits for the interface method, whatever it does:
//
//	func (s *Server) Start() { go s.h3.ServeListener(ln) } // goroutine is not joined: nothing waits for it to return
//	func (d *D) Run(ctx context.Context) { go d.informer.Run(ctx.Done()); <-ctx.Done() } // the same
//
// A wait must be a wait:
//
//   - a non-blocking poll (a select with a default) is not one;
//   - a send on a channel the goroutine also receives from is a
//     semaphore, not its end;
//   - Done, close or a send before more of the goroutine's work (also
//     inside a function it calls) says it started, or hands over a value,
//     not that it ended: only one that is its last act is an end, and a
//     deferred cleanup counts by what it does after the signal (a
//     deferred func that marks done and then closes a connection ends
//     too soon; a loop that sends each item on the caller's channel
//     signals no end);
//   - a Broadcast or Signal on a sync.Cond joins only if something other
//     than the goroutine's own code waits on a cond at that place (a work
//     queue's cond that only the loop's Get waits on joins nothing);
//   - a Wait the spawner (or the owner's stop) can skip, on a path that
//     returns without it, is not a join: for the spawner, any such path;
//     for an owner's stop method (Stop, Close, Shutdown, ...), a path that
//     turns on an argument (if exiting { wg.Wait() }) or on a failed call
//     (if err := ln.Close(); err != nil { return err });
//   - a wait inside another goroutine joins only when that goroutine is
//     joined itself (a consumer nothing waits for joins none of its
//     producers; a pipeline's closer whose consumer Stop joins is joined).
//
// Wrong, and right:
//
//	go func() { wg.Done(); work() }() // goroutine is not joined: it marks wg done before more of its work, ...
//	go func() { defer wg.Done(); work() }()
//	go func() { defer func() { wg.Done(); conn.Close() }(); serve(conn) }() // the same
//	go func() { defer func() { conn.Close(); wg.Done() }(); serve(conn) }()
//
// Helpers that start the func they are given (Go(f), Submit(f)) carry a
// fact, and a call of one is a spawn of its argument. The finding goes
// where the user can act: at the helper's go statement when the helper is
// in a module (checked by unjoined), at the call site when it is outside
// every module:
//
//	lib.Go(func() { work() }) // goroutine of module app is not joined: lib.Go starts it, and it signals no end ...
//
// An unexported helper that its package only calls is judged by the funcs
// the calls give it: joined when each is, not judged when one cannot be
// decided, reported at the helper when one is not joined.
//
// A signal inside a struct of another package counts as the package's
// own when an unexported field of the package, set to a value made here,
// holds the struct (the listener group http.Server.Serve marks done, when
// s.server is such a field): waits on it are matched through that field.
//
// An end signal that the spawning function returns is its callers' to
// wait on; when the function is unexported and every caller in the
// package drops the result, nothing receives from it, and the goroutine
// is reported.
//
// Messages name the module that owns the goroutine and the way out: the
// configured spawners, and where to wait (the stop method that signals
// the goroutine, or before the spawning function returns):
//
//	goroutine of module api is not joined: Stop closes quit but never waits for the goroutine to return; start it with core.(*Handle).Go, or wait for it in (*Server).Stop
//
// Spawns inside a configured spawner (spawners: in .reloadvet.yml) are not
// checked, and a call to a spawner is not a spawn: the spawner's owner
// joins what it starts.
//
// What is not judged (counted in the analyzer's Summary result): a
// goroutine whose end signal goes somewhere the package cannot follow: a
// group or channel the function was given (its caller waits), one that is
// returned to callers who may wait, stored, sent or passed to code of
// unknown effect outside the goroutine, an exported field, a field set
// from a value made elsewhere; a goroutine that signals a sync.Cond
// someone else waits on, or a package-level channel; one whose unknown
// code can reach what is waited on; and one that runs a method of an
// interface value it is handed, where a type of the package implements
// that interface by waiting on a field of its receiver (a loop kept and
// stopped through the interface). A function that never returns after the spawn never lets go,
// and is not reported. Out of reach: joins through sync.Cond,
// mutex-guarded counters, sets or atomics (net/http's Shutdown polling its
// connection set), joins done inside the runtime (runtime.StopTrace), and
// waits whose timing the check does not model (a receive from a channel
// the goroutine sends on several times counts as a join on the first
// value; an owner's wait with a timeout counts as a wait).
//
// Findings are reported at the go keyword or the Go selector, with the
// return that skips the wait, the select that skips it and the stop signal
// as related information.
//
// Without a config every non-main package is checked; with one, the
// packages its modules own. _test.go files are checked only with tests:
// true in the config or the -tests flag.
//
// Categories:
//
//   - no-join: nothing waits for the goroutine, or it signals no end that
//     anything could wait for (also for a helper's call site, and for an
//     end signal every caller drops).
//   - skipped-join: the spawning function, or the owner's stop method,
//     waits, but a path (an early return, another select case, a branch
//     on an argument or on a failed call in the stop) returns without
//     waiting.
//   - early-signal: the goroutine marks done, closes or sends before more
//     of its work (a Done first in its deferred cleanup), so the wait
//     for that signal does not wait for it to return.
//   - stop-without-wait: a function tells the goroutine to stop (closes a
//     channel it receives from) but nothing waits for it to end.
//   - add-in-goroutine: the goroutine calls Add on the WaitGroup it marks
//     Done, so Wait can return before the goroutine has started.
//   - unused-directive: a //reloadvet:ignore directive naming unjoined
//     that suppresses nothing.
package unjoined
