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
//     WaitGroup, a done channel) and some function of the package waits on
//     that field, typically Stop, Close or Shutdown;
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
// Spawns inside a configured spawner (spawners: in .reloadvet.yml) are not
// checked, and a call to a spawner is not a spawn: the spawner's owner
// joins what it starts.
//
// Precision comes first. No finding is made when the goroutine's end signal
// goes somewhere the package cannot follow: a group or channel the function
// was given (its caller waits), one that is returned, stored, sent or passed
// to code of unknown effect, an exported field, a field set from a value
// made elsewhere, a goroutine body that is an interface method or a func
// value, or one that calls a callback it was given. A function that never
// returns after the spawn never lets go, and is not reported. What is out
// of reach: joins through sync.Cond, mutex-guarded counters or atomics, and
// waits whose timing the check does not model (a receive from a channel
// the goroutine sends on several times counts as a join on the first
// value; an owner's wait with a timeout counts as a wait). A goroutine
// that signals a sync.Cond or a package-level channel is not judged, and
// joins done inside the runtime (runtime.StopTrace) are not seen.
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
//     anything could wait for.
//   - skipped-join: the spawning function waits, but a path (an early
//     return, another select case) returns without waiting.
//   - stop-without-wait: a function tells the goroutine to stop (closes a
//     channel it receives from) but nothing waits for it to end.
//   - add-in-goroutine: the goroutine calls Add on the WaitGroup it marks
//     Done, so Wait can return before the goroutine has started.
//   - unused-directive: a //reloadvet:ignore directive naming unjoined
//     that suppresses nothing.
package unjoined
