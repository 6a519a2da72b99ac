package joins

import (
	"go/token"

	"golang.org/x/tools/go/ssa"
)

// A Verdict is what Check concludes about one spawn.
type Verdict int

const (
	// Unsure: the goroutine's end signal goes where this package cannot
	// follow (a caller's group, an escaping channel, a callback).
	Unsure Verdict = iota
	// Joined: some function is shown to wait for the goroutine.
	Joined
	// NotJoined: the goroutine signals through Signal, which the
	// spawning function owns alone, and it does not wait on every path.
	NotJoined
	// Silent: the goroutine signals nothing anyone could wait for.
	Silent
	// Owned: the goroutine signals through a field (Signal.Field()); the
	// owner of that field must wait, which Check does not decide.
	Owned
)

// A Result is the verdict on a spawn and what led to it.
type Result struct {
	Verdict Verdict
	// Scoped is set with Joined when the spawning function itself (or
	// a goroutine it waits for) waits on every path.
	Scoped bool
	// Signal is the Loc the goroutine signals its end through, in the
	// function that owns it (the spawning function, or the function
	// that made the closure the spawn is in).
	Signal   Loc
	SignalOp Op
	// Escape and Select describe, for NotJoined, a path that returns
	// without waiting: the return, and the select on the way that could
	// have waited in another case. Escape is nil when nothing waits.
	Escape *ssa.Return
	Select *ssa.Select
	// Add is set when the goroutine itself calls Add on the group it
	// marks Done: a Wait may run before the Add and return early.
	Add bool
	// Listens are the Locs the goroutine receives from: what may tell it
	// to stop.
	Listens []Loc
	// Reach, for Silent, are the Locs the goroutine hands to code of
	// unknown effect (an interface method, a func value, a channel passed
	// where the package cannot follow it). The spawning function waits on
	// none of them; a field among them (or below a struct whose fields are
	// waited on) is for the owner to decide.
	Reach []Loc
	// Notify, for Silent, are the condition variables the goroutine
	// signals or broadcasts on below a field: the spawning function waits
	// on none of them; whether the owner does is for the caller to decide.
	Notify []Loc
	// Early, for Silent, is a signal the goroutine gives before more of
	// its work (a Done first in its deferred cleanup), which a waiter
	// would take for its end; Loc{} when there is none.
	Early   Loc
	EarlyOp Op
	// Param, for Silent, is the index among the spawning function's
	// inputs of the func parameter the goroutine runs (a helper that
	// starts the func it is given: Go(f)), or -1.
	Param int
	// Returned, for Unsure, is the index of the result through which the
	// end signal leaves the spawning function, when that is the only way
	// it leaves: its callers may wait on it. It is -1 otherwise.
	Returned int
	// Waiter, for Owned, is the goroutine that waits for this one and is
	// itself left to its owner (the closer of a pipeline whose consumer
	// Stop joins); nil otherwise.
	Waiter ssa.Instruction
}

// Check decides whether the goroutine of s is joined by its spawning
// function.
func (a *Analysis) Check(s Spawn) Result {
	return a.check(s, map[ssa.Instruction]bool{})
}

func (a *Analysis) check(s Spawn, visiting map[ssa.Instruction]bool) Result {
	visiting[s.Instr] = true
	defer delete(visiting, s.Instr)
	var signals []Use
	var listens, reach []Loc
	var notifies []Loc
	adds := map[Loc]bool{}
	uses := a.Uses(s)
	early := a.earlySignals(s)
	var first Use
	for _, u := range uses {
		switch {
		case u.Op.isSignal():
			// A send on a channel the goroutine also receives from is a
			// semaphore (acquire, release), and a signal given before the
			// goroutine's work is not its end.
			if u.Op == OpSend && receives(uses, u.Loc) {
				continue
			}
			if early[u.Loc] {
				if first.Loc.Root == nil {
					first = u
				}
				continue
			}
			if u.Op != OpSend || !containsUse(signals, u.Loc) {
				signals = append(signals, u)
			}
		case u.Op == OpAdd:
			adds[u.Loc] = true
		case u.Op == OpRecv, u.Op == OpPoll:
			listens = append(listens, u.Loc)
		case u.Op == OpNotify:
			notifies = append(notifies, u.Loc)
		case u.Op == OpCallback:
			reach = append(reach, u.Loc)
		case u.Op == OpEscape, u.Op == OpGoEscape:
			if t := u.Loc.Type(); t != nil && isHandleType(t) {
				reach = append(reach, u.Loc)
				listens = append(listens, u.Loc) // it may be told to stop through it
			}
		}
	}
	if len(signals) == 0 {
		switch {
		case a.notifyWaited(s, notifies):
			return Result{Verdict: Unsure, Returned: -1}
		case !a.returns(s.Instr):
			return Result{Verdict: Joined, Scoped: true}
		case a.reachWaited(s, reach):
			return Result{Verdict: Unsure, Returned: -1}
		}
		return Result{Verdict: Silent, Listens: listens, Reach: reach, Notify: notifies, Param: a.spawnedParam(s, reach), Early: first.Loc, EarlyOp: first.Op}
	}
	best := Result{Verdict: Unsure, Returned: -1}
	for i, sig := range signals {
		r := a.checkSignal(s, sig, visiting)
		r.Listens = listens
		r.Add = adds[sig.Loc] && sig.Op == OpDone && s.Group == nil && a.addRaces(s, r.Signal)
		if r.Add {
			r.Verdict = NotJoined
		}
		if r.Verdict == Joined {
			return r
		}
		if i == 0 || rank(r.Verdict) > rank(best.Verdict) {
			best = r
		}
	}
	return best
}

// rank orders the verdicts of a goroutine's several signals: one that is
// joined wins (handled by the caller), then one we cannot judge, then the
// owner's question, then a report.
func rank(v Verdict) int {
	switch v {
	case Unsure:
		return 3
	case Owned:
		return 2
	}
	return 1
}

// receives reports whether the uses receive from l.
func receives(us []Use, l Loc) bool {
	for _, u := range us {
		if (u.Op == OpRecv || u.Op == OpPoll) && u.Loc == l {
			return true
		}
	}
	return false
}

func containsUse(us []Use, l Loc) bool {
	for _, u := range us {
		if u.Loc == l {
			return true
		}
	}
	return false
}

// checkSignal judges one signal of the goroutine of s.
func (a *Analysis) checkSignal(s Spawn, sig Use, visiting map[ssa.Instruction]bool) Result {
	fn := s.Instr.Parent()
	l := sig.Loc
	res := Result{Signal: l, SignalOp: sig.Op, Returned: -1}
	if l.Root == nil {
		res.Verdict = Unsure
		return res
	}
	// Path by path in the spawning function.
	if a.deferredBefore(s.Instr, l) {
		res.Verdict, res.Scoped = Joined, true
		return res
	}
	esc := a.pathsWait(fn, s.Instr.Block(), index(s.Instr)+1, l)
	if esc == nil {
		res.Verdict, res.Scoped = Joined, true
		return res
	}
	if a.joinedByWaiter(fn, l, visiting) {
		res.Verdict, res.Scoped = Joined, true
		return res
	}
	// A spawn in a closure signalling a variable of an enclosing function:
	// that function's waits count wherever they are.
	if outer, ol, ok := lift(fn, l); ok {
		res.Signal = ol
		info := a.info(outer)
		switch {
		case info.waits[ol] || a.joinedByWaiter(outer, ol, visiting):
			res.Verdict = Joined
		case isLocal(ol) && !info.escapes[ol]:
			res.Verdict = NotJoined
		case ol.Field() != nil:
			res.Verdict = Owned
		default:
			res.Verdict = Unsure
		}
		return res
	}
	if w, ok := a.ownedWaiter(fn, l, visiting); ok {
		w.Listens, w.Escape, w.Select = nil, nil, nil
		return w
	}
	switch {
	case isLocal(l):
		if a.info(fn).escapes[l] {
			res.Verdict, res.Returned = Unsure, a.onlyReturned(fn, l)
			return res
		}
		res.Verdict = NotJoined
		if a.info(fn).waits[l] {
			res.Escape, res.Select = esc.ret, esc.sel
		}
	case l.Field() != nil:
		res.Verdict = Owned
	default:
		res.Verdict = Unsure
	}
	return res
}

// joinedByWaiter reports whether another goroutine started in fn waits on
// l and is itself joined: the closer of a pipeline.
//
//	go func() { wg.Wait(); close(out) }()
//	for v := range out { ... }
func (a *Analysis) joinedByWaiter(fn *ssa.Function, l Loc, visiting map[ssa.Instruction]bool) bool {
	_, ok := a.waiter(fn, l, visiting, Joined)
	return ok
}

// ownedWaiter returns the verdict of another goroutine started in fn that
// waits on l and is left to its owner: the waiter's owner joins it, and
// with it the goroutine it waited for.
//
//	go func() { wg.Wait(); close(stop) }()
//	s.wg.Add(1)
//	go func() { defer s.wg.Done(); for { select { case <-stop: return; ... } } }()
func (a *Analysis) ownedWaiter(fn *ssa.Function, l Loc, visiting map[ssa.Instruction]bool) (Result, bool) {
	return a.waiter(fn, l, visiting, Owned)
}

// waiter returns the verdict of a goroutine started in fn that waits on l
// and gets verdict want.
func (a *Analysis) waiter(fn *ssa.Function, l Loc, visiting map[ssa.Instruction]bool, want Verdict) (Result, bool) {
	for _, s := range Spawns(fn) {
		if visiting[s.Instr] {
			continue
		}
		waits := false
		for _, u := range a.Uses(s) {
			if (u.Op == OpWait || u.Op == OpRecv) && u.Loc == l {
				waits = true
			}
		}
		if !waits {
			continue
		}
		if r := a.check(s, visiting); r.Verdict == want {
			r.Waiter = s.Instr
			return r, true
		}
	}
	return Result{}, false
}

// lift follows a Loc rooted at a free variable of a closure out to the
// function that made the closure, as far as free variables go.
func lift(fn *ssa.Function, l Loc) (*ssa.Function, Loc, bool) {
	lifted := false
	for {
		fv, ok := l.Root.(*ssa.FreeVar)
		if !ok || fn.Parent() == nil {
			return fn, l, lifted
		}
		mc := closureOf(fn)
		j := input(fn, fv) - len(fn.Params)
		if mc == nil || j < 0 || j >= len(mc.Bindings) {
			return nil, Loc{}, false
		}
		l = locOf(mc.Bindings[j]).under(l.Path)
		fn = fn.Parent()
		lifted = true
	}
}

// closureOf returns the instruction that makes the closure fn in its
// parent.
func closureOf(fn *ssa.Function) *ssa.MakeClosure {
	for _, b := range fn.Parent().Blocks {
		for _, instr := range b.Instrs {
			if mc, ok := instr.(*ssa.MakeClosure); ok && mc.Fn == fn {
				return mc
			}
		}
	}
	return nil
}

// fnInfo is what a function does to its own Locs, wherever in it.
type fnInfo struct {
	waits     map[Loc]bool // a wait or receive, possibly skipped
	condWaits map[Loc]bool // a sync.Cond's Wait
	adds      map[Loc]bool
	escapes   map[Loc]bool
}

func (a *Analysis) info(fn *ssa.Function) fnInfo {
	if a.infos == nil {
		a.infos = map[*ssa.Function]fnInfo{}
	}
	if fi, ok := a.infos[fn]; ok {
		return fi
	}
	fi := fnInfo{waits: map[Loc]bool{}, escapes: map[Loc]bool{}, adds: map[Loc]bool{}, condWaits: map[Loc]bool{}}
	a.visit(fn, func(op Op, l Loc) {
		switch op {
		case OpWait, OpRecv:
			fi.waits[l] = true
		case OpAdd:
			fi.adds[l] = true
		case OpCondWait:
			fi.condWaits[l] = true
		case OpEscape, OpGoEscape, OpCallback:
			fi.escapes[l] = true
		}
	})
	a.infos[fn] = fi
	return fi
}

// Pos returns the position of a return for messages: the return
// statement, or the closing brace of a function that ends without one.
func Pos(ret *ssa.Return) token.Pos {
	if ret.Pos().IsValid() {
		return ret.Pos()
	}
	type ender interface{ End() token.Pos }
	if syn, ok := ret.Parent().Syntax().(ender); ok {
		return syn.End() - 1
	}
	return ret.Parent().Pos()
}

// addRaces reports whether an Add the goroutine makes on l can race with
// the Wait that joins it: l is a group of the function that owns it (or of
// the function whose closure spawns), that function waits on it, and never
// calls Add on it itself. A function that adds for its goroutines can let
// them add for their own children; a group of another owner (a server's
// serve group, set up by Serve itself) is that owner's business.
//
//	var wg sync.WaitGroup
//	go func() { wg.Add(1); defer wg.Done() }()
//	wg.Wait()
func (a *Analysis) addRaces(s Spawn, l Loc) bool {
	fn := s.Instr.Parent()
	if outer, ol, ok := lift(fn, l); ok {
		fn, l = outer, ol
	}
	if !isLocal(l) {
		return false
	}
	fi := a.info(fn)
	return fi.waits[l] && !fi.adds[l]
}

// LocOf returns the Loc of v in its function.
func LocOf(v ssa.Value) Loc { return locOf(v) }

// IsFresh reports whether v is a group or channel made where it is: a
// make(chan), a new or composite-literal group, errgroup.WithContext, or
// nil.
func IsFresh(v ssa.Value) bool {
	switch v := v.(type) {
	case *ssa.MakeChan, *ssa.Const:
		return true
	case *ssa.Alloc:
		// new(T) or &T{}; &wg of a variable wg is shared with it.
		return v.Comment == "new" || v.Comment == "complit"
	}
	return isLocal(Loc{Root: v})
}
