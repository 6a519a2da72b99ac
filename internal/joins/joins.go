// Package joins decides whether a goroutine is waited for by the function
// that starts it: the scoped-join proof shared by the unjoined and rawspawn
// analyzers.
//
// It works on SSA (golang.org/x/tools/go/ssa, as built by the buildssa
// pass). A spawn is a go statement or a call of (*sync.WaitGroup).Go,
// (*errgroup.Group).Go or (*errgroup.Group).TryGo. The goroutine's end
// signals are what its code does, through the functions it calls, to a
// group or channel of the spawning function: wg.Done, close(ch), ch <- v;
// for the group API, the group itself. The spawning function joins the
// goroutine when every path from the spawn to a return waits on one of
// them: wg.Wait, g.Wait, a receive that is not one case of a select that
// can take another, a deferred wait, a callee that always waits on what it
// is given, or another goroutine that waits and is itself joined.
//
// Values are compared as Locs: a root SSA value and a path of struct
// fields, looking through loads and single-assignment variables.
// Functions are summarised as Effects on their inputs, cached per
// Analysis; an External hook supplies the Effects of functions of other
// packages (unjoined passes them as facts).
//
// The simplest entry point, for a pass that only needs the yes/no answer:
//
//	ok, escape := joins.Scoped(spawnInstr)
//
// For the full verdict (and to reuse summaries across spawns):
//
//	a := joins.New(nil)
//	for _, s := range joins.Spawns(fn) {
//		r := a.Check(s) // r.Verdict, r.Scoped, r.Signal, r.Escape, ...
//	}
package joins
