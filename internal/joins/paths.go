package joins

import (
	"go/constant"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/ssa"
)

// isWait reports whether instr waits on l: when it completes, whatever was
// to signal l has signalled.
//
//	wg.Wait()    g.Wait()    <-ch    v, ok := <-ch    for v := range ch
//	defer wg.Wait()          waitAll(&wg)   // a callee that always waits
func (a *Analysis) isWait(instr ssa.Instruction, l Loc) bool {
	switch x := instr.(type) {
	case *ssa.UnOp:
		return x.Op == token.ARROW && locOf(x.X) == l
	case *ssa.Select:
		// A select whose every case receives from l (a select of one
		// case is lowered to a plain receive).
		if !x.Blocking || len(x.States) == 0 {
			return false
		}
		for _, st := range x.States {
			if st.Dir != types.RecvOnly || locOf(st.Chan) != l {
				return false
			}
		}
		return true
	case *ssa.Call:
		return a.callWaits(&x.Call, l)
	case *ssa.Defer:
		return a.callWaits(&x.Call, l)
	}
	return false
}

func (a *Analysis) callWaits(call *ssa.CallCommon, l Loc) bool {
	if op, g := apiOp(call); op != 0 {
		return op == OpWait && locOf(g) == l
	}
	callee := call.StaticCallee()
	if callee == nil {
		return false
	}
	for _, e := range a.Effects(callee) {
		if !e.Must || (e.Op != OpWait && e.Op != OpRecv) {
			continue
		}
		if v := inputValue(call, callee, e.Input); v != nil && locOf(v).under(e.Path) == l {
			return true
		}
	}
	return false
}

// selectCase matches the condition `index == k` of a lowered select and
// returns the select and k.
func selectCase(cond ssa.Value) (*ssa.Select, int) {
	eq, ok := cond.(*ssa.BinOp)
	if !ok || eq.Op != token.EQL {
		return nil, 0
	}
	ext, ok := eq.X.(*ssa.Extract)
	c, ok2 := eq.Y.(*ssa.Const)
	if !ok || !ok2 || ext.Index != 0 || c.Value == nil || c.Value.Kind() != constant.Int {
		return nil, 0
	}
	sel, ok := ext.Tuple.(*ssa.Select)
	if !ok {
		return nil, 0
	}
	k, _ := constant.Int64Val(c.Value)
	return sel, int(k)
}

func lastInstr(b *ssa.BasicBlock) ssa.Instruction {
	if len(b.Instrs) == 0 {
		return nil
	}
	return b.Instrs[len(b.Instrs)-1]
}

// An escape is a path from a spawn to a return that does not wait.
type escape struct {
	ret *ssa.Return
	// sel is the select on the path that could have waited in another
	// case; nil when the path meets no such select.
	sel *ssa.Select
}

// pathsWait looks for a path from instruction index i of block b (b's
// instructions before i are not on it) to a return of fn that does not
// wait on l. It returns nil when every path waits, or ends in a panic or a
// call that does not return. A wait deferred on the path counts: it runs
// before the return completes.
//
// A loop that waits, entered from outside the spawn's own loop, is taken
// to wait enough times: the path that leaves it through its entry without
// iterating (a receive loop run zero times while the spawn loop ran n
// times) is not followed, since the two counts usually agree.
//
//	for range n { go func() { errc <- f() }() }
//	for range n { <-errc }
func (a *Analysis) pathsWait(fn *ssa.Function, b *ssa.BasicBlock, i int, l Loc) *escape {
	type item struct {
		b   *ssa.BasicBlock
		i   int
		sel *ssa.Select
	}
	seen := map[*ssa.BasicBlock]bool{}
	stack := []item{{b, i, nil}}
	var lp *loops
	waitLoop := map[int]bool{}
	for len(stack) > 0 {
		it := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		waited := false
		for _, instr := range it.b.Instrs[it.i:] {
			if a.isWait(instr, l) {
				waited = true
				break
			}
			if ret, ok := instr.(*ssa.Return); ok {
				return &escape{ret: ret, sel: it.sel}
			}
		}
		if waited {
			continue
		}
		succs, sel := it.b.Succs, it.sel
		// The edge into a select case that receives from l waits.
		if iff, ok := lastInstr(it.b).(*ssa.If); ok {
			if s, k := selectCase(iff.Cond); s != nil && s.Blocking && k < len(s.States) && hasRecvOn(s, l) {
				if sel == nil {
					sel = s
				}
				if isRecvOn(s.States[k], l) {
					succs = succs[1:]
				}
			}
		}
		if lp == nil && len(it.b.Succs) > 1 {
			lp = loopsOf(fn)
		}
		if lp != nil {
			succs = a.skipZeroTrips(fn, lp, waitLoop, b, it.b, succs, l)
		}
		for _, s := range succs {
			if !seen[s] {
				seen[s] = true
				stack = append(stack, item{s, 0, sel})
			}
		}
	}
	return nil
}

func isRecvOn(st *ssa.SelectState, l Loc) bool {
	return st.Dir == types.RecvOnly && locOf(st.Chan) == l
}

func hasRecvOn(sel *ssa.Select, l Loc) bool {
	for _, st := range sel.States {
		if isRecvOn(st, l) {
			return true
		}
	}
	return false
}

// deferredBefore reports whether a deferred wait on l is registered on
// every path to instr: a defer in a block that dominates instr's.
//
//	defer wg.Wait()
//	...
//	go f()
func (a *Analysis) deferredBefore(instr ssa.Instruction, l Loc) bool {
	at := instr.Block()
	for _, b := range instr.Parent().Blocks {
		if !b.Dominates(at) {
			continue
		}
		for _, x := range b.Instrs {
			if b == at && x == instr {
				break
			}
			if d, ok := x.(*ssa.Defer); ok && a.callWaits(&d.Call, l) {
				return true
			}
		}
	}
	return false
}

// mustWaitFromEntry reports whether every path through fn waits on l.
func (a *Analysis) mustWaitFromEntry(fn *ssa.Function, l Loc) bool {
	if len(fn.Blocks) == 0 {
		return false
	}
	return a.pathsWait(fn, fn.Blocks[0], 0, l) == nil
}

// index returns the position of instr in its block.
func index(instr ssa.Instruction) int {
	for i, x := range instr.Block().Instrs {
		if x == instr {
			return i
		}
	}
	return -1
}

// skipZeroTrips drops the successors of b that leave, or go around, a
// loop that waits on l without running it: the exit edges of the loop's
// entry block, and the other edge of a guard that jumps either into the
// loop or to where the loop exits (Go's SSA rotates a loop so that its
// condition is first tested before the loop is entered). The spawn's own
// loop (the component of start) is followed as it is.
func (a *Analysis) skipZeroTrips(fn *ssa.Function, lp *loops, memo map[int]bool, start, b *ssa.BasicBlock, succs []*ssa.BasicBlock, l Loc) []*ssa.BasicBlock {
	waits := func(x *ssa.BasicBlock) bool {
		if !lp.isLoop(x) || lp.comp[x] == lp.comp[start] {
			return false
		}
		id := lp.comp[x]
		if _, ok := memo[id]; !ok {
			memo[id] = a.waitsInLoop(fn, lp, x, l)
		}
		return memo[id]
	}
	if lp.entry[b] && waits(b) {
		return inLoop(lp, b, succs)
	}
	if len(succs) != 2 {
		return succs
	}
	for i, s := range succs {
		other := succs[1-i]
		if lp.entry[s] && waits(s) && lp.exitsTo(s, other) {
			return []*ssa.BasicBlock{s}
		}
	}
	return succs
}

// inLoop returns the successors that stay in b's loop.
func inLoop(lp *loops, b *ssa.BasicBlock, succs []*ssa.BasicBlock) []*ssa.BasicBlock {
	var out []*ssa.BasicBlock
	for _, s := range succs {
		if lp.comp[s] == lp.comp[b] {
			out = append(out, s)
		}
	}
	return out
}
