package joins

import (
	"go/token"
	"go/types"

	"golang.org/x/tools/go/ssa"
)

// reachWaited reports whether code of unknown effect that a goroutine
// runs could give the end signal something of the spawning function waits
// for: the Locs it reaches include a group or channel the function (or the
// function whose closure spawns) waits on, one of its caller, or the
// function waits on something the unknown code could have been handed.
// A field among the Locs is left to the owner (the caller sees Reach).
//
//	go c.informer.Run(done); <-done      // unknown, and waited: not judged
//	go s.h3.ServeListener(ln)            // unknown, and nothing waits
func (a *Analysis) reachWaited(s Spawn, reach []Loc) bool {
	fn := s.Instr.Parent()
	for _, r := range reach {
		if r.Root == nil {
			return true // something we cannot name
		}
		if IsRecvOnly(r.Type()) {
			continue // it can only be told to stop through it
		}
		outer, l, _ := lift(fn, r)
		if outer == nil {
			return true
		}
		if l.Field() != nil {
			continue // the owner's question
		}
		info := a.info(outer)
		if t := l.Type(); t != nil && isHandleType(t) {
			if !isLocal(l) || info.waits[l] {
				return true // a caller's group or channel, or one waited on here
			}
			continue
		}
		// A func value or an interface: it may reach whatever escapes
		// from the function, or what is not the function's own, except
		// a context it cannot cancel.
		for w := range info.waits {
			if ctx, ok := contextDone(w); ok && !a.mayCancel(ctx, reach) {
				continue
			}
			if !isLocal(w) || info.escapes[w] {
				return true
			}
		}
	}
	return false
}

// notifyWaited reports whether a Broadcast or Signal the goroutine gives
// on one of the condition variables at ns could wake a wait of the
// spawning function, or of someone the package cannot see: a cond of the
// caller, a package-level one, or one the function waits on itself. A
// cond below a field is left to the owner (the caller sees Notify).
//
//	go func() { mu.Lock(); ready = true; c.Broadcast(); mu.Unlock() }()
//	for !ready { c.Wait() }
func (a *Analysis) notifyWaited(s Spawn, ns []Loc) bool {
	fn := s.Instr.Parent()
	for _, n := range ns {
		if n.Root == nil {
			return true
		}
		outer, l, _ := lift(fn, n)
		if outer == nil {
			return true
		}
		if l.Field() != nil {
			continue
		}
		if !isLocal(l) || a.info(outer).condWaits[l] {
			return true
		}
	}
	return false
}

// contextDone returns the context whose Done channel l is, if it is one:
//
//	<-ctx.Done()
func contextDone(l Loc) (ssa.Value, bool) {
	call, ok := l.Root.(*ssa.Call)
	if !ok || l.Path != "" || !call.Call.IsInvoke() || call.Call.Method.Name() != "Done" {
		return nil, false
	}
	named, ok := types.Unalias(call.Call.Value.Type()).(*types.Named)
	if !ok || named.Obj().Pkg() == nil || named.Obj().Pkg().Path() != "context" || named.Obj().Name() != "Context" {
		return nil, false
	}
	return call.Call.Value, true
}

// mayCancel reports whether code of unknown effect handed the reach Locs
// could cancel ctx, so that a wait on ctx.Done() could be a wait for it:
// some func value is among them (a cancel func, or a closure over one),
// or ctx was made in the function by the context package and its cancel
// func goes anywhere but a call.
//
//	ctx, cancel := context.WithCancel(ctx)
//	go run(cancel); <-ctx.Done()          // may cancel
//	go informer.Run(ctx.Done()); <-ctx.Done() // the caller's context: may not
func (a *Analysis) mayCancel(ctx ssa.Value, reach []Loc) bool {
	for _, r := range reach {
		if t := r.Type(); t == nil {
			return true
		} else if _, ok := t.Underlying().(*types.Signature); ok {
			return true
		}
	}
	for steps := 0; steps < maxSteps; steps++ {
		switch x := ctx.(type) {
		case *ssa.ChangeInterface:
			ctx = x.X
			continue
		case *ssa.UnOp:
			if x.Op == token.MUL {
				if alloc, ok := x.X.(*ssa.Alloc); ok {
					if w := onlyStore(alloc); w != nil {
						ctx = w
						continue
					}
				}
			}
		}
		break
	}
	ext, ok := ctx.(*ssa.Extract)
	if !ok || ext.Index != 0 {
		return false
	}
	call, ok := ext.Tuple.(*ssa.Call)
	if !ok {
		return false
	}
	callee := call.Call.StaticCallee()
	if callee == nil || callee.Pkg == nil || callee.Pkg.Pkg.Path() != "context" {
		return true // a context from elsewhere, with a cancel we cannot see
	}
	refs := call.Referrers()
	if refs == nil {
		return false
	}
	for _, r := range *refs {
		cx, ok := r.(*ssa.Extract)
		if !ok || cx.Index != 1 {
			continue
		}
		crefs := cx.Referrers()
		if crefs == nil {
			continue
		}
		for _, cr := range *crefs {
			switch c := cr.(type) {
			case *ssa.Call:
				if c.Call.Value == cx {
					continue
				}
			case *ssa.Defer:
				if c.Call.Value == cx {
					continue
				}
			}
			return true
		}
	}
	return false
}

// IsRecvOnly reports whether t is a receive-only channel: code handed
// one can wait on it but cannot close it or send on it, so it can give no
// end signal through it.
//
//	go informer.Run(ctx.Done())
func IsRecvOnly(t types.Type) bool {
	if t == nil {
		return false
	}
	ch, ok := t.Underlying().(*types.Chan)
	return ok && ch.Dir() == types.RecvOnly
}

// spawnedParam returns the index of the func parameter of the spawning
// function (the outermost function, for a spawn in a closure) that the
// goroutine calls, or -1:
//
//	func Go(f func()) { go func() { defer recover(); f() }() }
func (a *Analysis) spawnedParam(s Spawn, reach []Loc) int {
	fn := s.Instr.Parent()
	for _, r := range reach {
		outer, l, _ := lift(fn, r)
		if outer == nil || outer.Parent() != nil || l.Path != "" {
			continue
		}
		if _, ok := l.Root.(*ssa.Parameter); !ok {
			continue
		}
		if _, ok := l.Root.Type().Underlying().(*types.Signature); !ok {
			continue
		}
		if i := input(outer, l.Root); i >= 0 {
			return i
		}
	}
	return -1
}

// earlySignals returns the Locs of the spawning function that the
// goroutine's body marks done, closes or sends on only before more of its
// work, not as its last act: such a signal tells a waiter the goroutine
// started, or hands it a value, not that the goroutine ended. The
// signals of the functions the body calls count as the call's.
//
//	go func() { wg.Done(); work() }()          // early
//	go func() { close(ready); serve() }()      // early
//	go func() { for s.process(ch) {} }()       // a send of each item: early
//	go func() { defer wg.Done(); work() }()    // the end
//	go func() { errc <- work() }()             // the end
func (a *Analysis) earlySignals(s Spawn) map[Loc]bool {
	body := s.Body()
	if body == nil || s.Group != nil || s.Func != nil {
		return nil
	}
	body = bodyFunc(body)
	end := map[Loc]bool{}
	early := map[Loc]bool{}
	sem := a.semaphore(s, body, nil)
	for _, b := range body.Blocks {
		for i, instr := range b.Instrs {
			d, deferred := instr.(*ssa.Defer)
			if deferred && a.deferredSignals(s, body, d, end, early) {
				continue
			}
			a.Ops(instr, func(op Op, l Loc) {
				if !op.isSignal() {
					return
				}
				outer := mapToSpawner(s, body, l)
				switch {
				case outer.Root == nil:
				case deferred || !a.workAfter(b, i+1, sem, caseOf(instr, op, l)):
					end[outer] = true
				default:
					early[outer] = true
				}
			})
		}
	}
	for l := range end {
		delete(early, l)
	}
	return early
}

// deferredSignals sorts the signals of a deferred call of a function with
// a body into end and early ones by what that function does after each: a
// deferred cleanup that marks done and then closes, sends and forgets is
// not at its end when it marks done. It reports false when the deferred
// function has no body to look into.
//
//	defer func() { wg.Done(); conn.Close(); accept <- true }()   // early
//	defer func() { conn.Close(); wg.Done() }()                   // the end
//	defer func() { defer func() { done <- true }(); report() }() // the end
func (a *Analysis) deferredSignals(s Spawn, body *ssa.Function, d *ssa.Defer, end, early map[Loc]bool) bool {
	fn := d.Call.StaticCallee()
	if fn == nil || len(fn.Blocks) == 0 || fn == body {
		return false
	}
	sem := a.semaphore(s, body, d)
	for _, b := range fn.Blocks {
		for i, instr := range b.Instrs {
			// A defer inside the deferred func runs as that func ends.
			_, inner := instr.(*ssa.Defer)
			a.Ops(instr, func(op Op, l Loc) {
				if !op.isSignal() {
					return
				}
				outer := Loc{}
				if v := inputValue(&d.Call, fn, input(fn, l.Root)); v != nil {
					outer = mapToSpawner(s, body, locOf(v).under(l.Path))
				}
				switch {
				case outer.Root == nil:
				case inner || !a.workAfter(b, i+1, sem, caseOf(instr, op, l)):
					end[outer] = true
				default:
					early[outer] = true
				}
			})
		}
	}
	return true
}

// mapToSpawner maps a Loc of the goroutine's body to the spawning
// function's Loc it stands for; Loc{} when it is not an input.
func mapToSpawner(s Spawn, body *ssa.Function, l Loc) Loc {
	in := input(body, l.Root)
	if in < 0 {
		return Loc{}
	}
	v := inputValue(s.Call, body, in)
	if v == nil {
		return Loc{}
	}
	return locOf(v).under(l.Path)
}

// semaphore returns what tells, in the goroutine's body (or, with d, in
// the func that body defers), a receive that releases a slot of a
// semaphore: its value is dropped, and the spawning function sends on the
// channel (acquires) before the spawn. Such a receive does not block, and
// is bookkeeping at the goroutine's end, as a Done is.
//
//	sem <- 1; wg.Add(1)
//	go func() { defer func() { wg.Done(); <-sem }(); work() }()
//	cpuLimit <- unit{}   // a package-level token pool
//	go func() { build(); wg.Done(); <-cpuLimit }()
func (a *Analysis) semaphore(s Spawn, body *ssa.Function, d *ssa.Defer) func(ssa.Instruction) bool {
	return func(instr ssa.Instruction) bool {
		u, ok := instr.(*ssa.UnOp)
		if !ok || u.Op != token.ARROW || u.CommaOk {
			return false
		}
		if refs := u.Referrers(); refs != nil && len(*refs) > 0 {
			return false
		}
		l := locOf(u.X)
		if _, global := l.Root.(*ssa.Global); global {
			return sendsBefore(s.Instr, l) // a package's token pool
		}
		if d != nil {
			fn := d.Call.StaticCallee()
			v := inputValue(&d.Call, fn, input(fn, l.Root))
			if v == nil {
				return false
			}
			l = locOf(v).under(l.Path)
		}
		outer := mapToSpawner(s, body, l)
		return outer.Root != nil && sendsBefore(s.Instr, outer)
	}
}

// sendsBefore reports whether the function of spawn sends on l in a block
// that dominates the spawn's, before it.
func sendsBefore(spawn ssa.Instruction, l Loc) bool {
	at := spawn.Block()
	for _, b := range spawn.Parent().Blocks {
		if !b.Dominates(at) {
			continue
		}
		for _, x := range b.Instrs {
			if x == spawn {
				break
			}
			if snd, ok := x.(*ssa.Send); ok && locOf(snd.Chan) == l {
				return true
			}
		}
	}
	return false
}

// A selCase is a case of a select: the path after a send in it goes
// through that case's branch only.
type selCase struct {
	sel *ssa.Select
	k   int
}

// caseOf returns the case of the select instr that sends on l (op is
// OpSend), or a zero selCase when instr is no such select or several of
// its cases send on l.
func caseOf(instr ssa.Instruction, op Op, l Loc) selCase {
	sel, ok := instr.(*ssa.Select)
	if !ok || op != OpSend {
		return selCase{}
	}
	c := selCase{}
	for k, st := range sel.States {
		if st.Dir == types.SendOnly && locOf(st.Chan) == l {
			if c.sel != nil {
				return selCase{}
			}
			c = selCase{sel, k}
		}
	}
	return c
}

// workAfter reports whether some path from instruction i of b does more
// work before the function returns: a call (other than a builtin or a
// group's Done), a channel operation (other than a semaphore's release,
// as skip tells), or a new goroutine. With a select case, the path takes
// that case's branch of the select.
func (a *Analysis) workAfter(b *ssa.BasicBlock, i int, skip func(ssa.Instruction) bool, c selCase) bool {
	// b itself is not marked seen: a loop back to it runs its first
	// instructions again.
	seen := map[*ssa.BasicBlock]bool{}
	type item struct {
		b *ssa.BasicBlock
		i int
	}
	stack := []item{{b, i}}
	for len(stack) > 0 {
		it := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		for _, instr := range it.b.Instrs[it.i:] {
			if isWork(instr) && !skip(instr) {
				return true
			}
		}
		succs := it.b.Succs
		if iff, ok := lastInstr(it.b).(*ssa.If); ok && c.sel != nil {
			if sel, k := selectCase(iff.Cond); sel == c.sel {
				if k == c.k {
					succs = succs[:1]
				} else {
					succs = succs[1:]
				}
			}
		}
		for _, s := range succs {
			if !seen[s] {
				seen[s] = true
				stack = append(stack, item{s, 0})
			}
		}
	}
	return false
}

// isWork reports whether instr is more than bookkeeping at a goroutine's
// end.
func isWork(instr ssa.Instruction) bool {
	switch x := instr.(type) {
	case *ssa.Call:
		if op, _ := apiOp(&x.Call); op == OpDone {
			return false
		}
		_, builtin := x.Call.Value.(*ssa.Builtin)
		return !builtin
	case *ssa.Go, *ssa.Send, *ssa.Select:
		return true
	case *ssa.UnOp:
		return x.Op == token.ARROW
	}
	return false
}

// onlyReturned returns the index of the result of fn that carries l when
// a return is the only way l leaves fn, or -1.
//
//	done := make(chan struct{})
//	go func() { defer close(done); work() }()
//	return done
func (a *Analysis) onlyReturned(fn *ssa.Function, l Loc) int {
	k := -1
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			if ret, ok := instr.(*ssa.Return); ok {
				for i, r := range ret.Results {
					if locOf(r) == l {
						if k >= 0 && k != i {
							return -1
						}
						k = i
					}
				}
				continue
			}
			escapes := false
			a.Ops(instr, func(op Op, x Loc) {
				if (op == OpEscape || op == OpGoEscape || op == OpCallback) && x == l {
					escapes = true
				}
			})
			if escapes {
				return -1
			}
		}
	}
	return k
}

// SkippedByBranch returns a return of fn that a path from its entry
// reaches without waiting on l after a branch on an argument of basic
// type (a flag, a count) or on the failure of a call (err != nil), or nil
// when there is none: a wait that holds only when the caller asks for it,
// or only when closing the listener worked, is not the owner's join.
//
//	func (s *S) Stop(exiting bool) { close(s.quit); if exiting { s.wg.Wait() } }
//	func (s *S) Close() error { if err := s.ln.Close(); err != nil { return err }; s.wg.Wait(); return nil }
func (a *Analysis) SkippedByBranch(fn *ssa.Function, l Loc) *ssa.Return {
	if len(fn.Blocks) == 0 {
		return nil
	}
	type item struct {
		b       *ssa.BasicBlock
		byParam bool
	}
	seen := map[item]bool{}
	stack := []item{{fn.Blocks[0], false}}
	for len(stack) > 0 {
		it := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		waited := false
		for _, instr := range it.b.Instrs {
			if a.isWait(instr, l) {
				waited = true
				break
			}
			if ret, ok := instr.(*ssa.Return); ok && it.byParam {
				return ret
			}
		}
		if waited {
			continue
		}
		// Both edges of a branch on an argument may skip the wait; of a
		// branch on a failed call, the failure edge.
		byParam := [2]bool{it.byParam, it.byParam}
		if iff, ok := lastInstr(it.b).(*ssa.If); ok {
			switch {
			case onArgument(iff.Cond, 0):
				byParam = [2]bool{true, true}
			case onFailure(iff.Cond):
				byParam[failureEdge(iff.Cond)] = true
			}
		}
		for k, s := range it.b.Succs {
			if n := (item{s, byParam[k%2]}); !seen[n] {
				seen[n] = true
				stack = append(stack, n)
			}
		}
	}
	return nil
}

// onFailure reports whether cond tests an error a call returned: err !=
// nil, or err == nil (whose false edge is the failure).
func onFailure(cond ssa.Value) bool {
	b, ok := cond.(*ssa.BinOp)
	if !ok || (b.Op != token.NEQ && b.Op != token.EQL) {
		return false
	}
	x, y := b.X, b.Y
	if c, ok := x.(*ssa.Const); ok && c.IsNil() {
		x, y = y, x
	}
	if c, ok := y.(*ssa.Const); !ok || !c.IsNil() || !types.Identical(x.Type(), errorType) {
		return false
	}
	switch v := x.(type) {
	case *ssa.Call:
		return true
	case *ssa.Extract:
		_, call := v.Tuple.(*ssa.Call)
		return call
	}
	return false
}

var errorType = types.Universe.Lookup("error").Type()

// failureEdge returns the index of the successor that a branch on
// onFailure's cond takes when the call failed: 0 for err != nil, 1 for
// err == nil.
func failureEdge(cond ssa.Value) int {
	if cond.(*ssa.BinOp).Op == token.NEQ {
		return 0
	}
	return 1
}

// onArgument reports whether v is computed from a parameter of basic type.
func onArgument(v ssa.Value, depth int) bool {
	if depth > 4 {
		return false
	}
	switch x := v.(type) {
	case *ssa.Parameter:
		_, basic := x.Type().Underlying().(*types.Basic)
		return basic
	case *ssa.UnOp:
		return x.Op != token.MUL && x.Op != token.ARROW && onArgument(x.X, depth+1)
	case *ssa.BinOp:
		return onArgument(x.X, depth+1) || onArgument(x.Y, depth+1)
	case *ssa.Convert:
		return onArgument(x.X, depth+1)
	}
	return false
}

// SendsUnnamed reports whether fn, or a function of its package it calls,
// sends on or closes a channel that is none of its inputs, no
// package-level variable and none it makes: one taken from a slice, a map
// or a call, whose receivers the analysis cannot name.
//
//	for _, ch := range c.chans { ch <- r }   // singleflight's callers' channels
func (a *Analysis) SendsUnnamed(fn *ssa.Function) bool {
	return a.sendsUnnamed(fn, map[*ssa.Function]bool{})
}

func (a *Analysis) sendsUnnamed(fn *ssa.Function, seen map[*ssa.Function]bool) bool {
	if fn == nil || seen[fn] || len(fn.Blocks) == 0 {
		return false
	}
	seen[fn] = true
	unnamed := func(ch ssa.Value) bool {
		r := locOf(ch).Root
		if input(fn, r) >= 0 || isGlobal(r) {
			return false
		}
		switch r.(type) {
		case *ssa.MakeChan, *ssa.Alloc:
			return false
		}
		return true
	}
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			switch x := instr.(type) {
			case *ssa.Send:
				if unnamed(x.Chan) {
					return true
				}
			case *ssa.Select:
				for _, st := range x.States {
					if st.Dir == types.SendOnly && unnamed(st.Chan) {
						return true
					}
				}
			case ssa.CallInstruction:
				c := x.Common()
				if b, ok := c.Value.(*ssa.Builtin); ok && b.Name() == "close" && unnamed(c.Args[0]) {
					return true
				}
				if callee := c.StaticCallee(); callee != nil && callee.Pkg == fn.Pkg && a.sendsUnnamed(callee, seen) {
					return true
				}
			}
		}
	}
	return false
}
