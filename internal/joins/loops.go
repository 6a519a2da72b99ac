package joins

import "golang.org/x/tools/go/ssa"

// loops holds the strongly connected components of a function's control
// flow graph: its loops.
type loops struct {
	comp  map[*ssa.BasicBlock]int // component of each block
	size  []int                   // blocks per component
	entry map[*ssa.BasicBlock]bool
}

// loopsOf computes the components with Tarjan's algorithm.
func loopsOf(fn *ssa.Function) *loops {
	lp := &loops{comp: map[*ssa.BasicBlock]int{}, entry: map[*ssa.BasicBlock]bool{}}
	index := map[*ssa.BasicBlock]int{}
	low := map[*ssa.BasicBlock]int{}
	onStack := map[*ssa.BasicBlock]bool{}
	var stack []*ssa.BasicBlock
	next := 0
	var strong func(b *ssa.BasicBlock)
	strong = func(b *ssa.BasicBlock) {
		index[b], low[b] = next, next
		next++
		stack = append(stack, b)
		onStack[b] = true
		for _, s := range b.Succs {
			if _, seen := index[s]; !seen {
				strong(s)
				low[b] = min(low[b], low[s])
			} else if onStack[s] {
				low[b] = min(low[b], index[s])
			}
		}
		if low[b] != index[b] {
			return
		}
		id := len(lp.size)
		n := 0
		for {
			x := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			onStack[x] = false
			lp.comp[x] = id
			n++
			if x == b {
				break
			}
		}
		lp.size = append(lp.size, n)
	}
	for _, b := range fn.Blocks {
		if _, seen := index[b]; !seen {
			strong(b)
		}
	}
	for _, b := range fn.Blocks {
		for _, p := range b.Preds {
			if lp.comp[p] != lp.comp[b] {
				lp.entry[b] = true
			}
		}
	}
	return lp
}

// isLoop reports whether b is in a cycle.
func (lp *loops) isLoop(b *ssa.BasicBlock) bool {
	if lp.size[lp.comp[b]] > 1 {
		return true
	}
	for _, s := range b.Succs {
		if s == b {
			return true
		}
	}
	return false
}

// waitsInLoop reports whether the loop of b waits on l somewhere.
func (a *Analysis) waitsInLoop(fn *ssa.Function, lp *loops, b *ssa.BasicBlock, l Loc) bool {
	id := lp.comp[b]
	for _, x := range fn.Blocks {
		if lp.comp[x] != id {
			continue
		}
		for _, instr := range x.Instrs {
			if a.isWait(instr, l) {
				return true
			}
		}
		if iff, ok := lastInstr(x).(*ssa.If); ok {
			if s, k := selectCase(iff.Cond); s != nil && s.Blocking && k < len(s.States) && isRecvOn(s.States[k], l) {
				return true
			}
		}
	}
	return false
}

// exitsTo reports whether some block of b's loop jumps to x outside it.
func (lp *loops) exitsTo(b, x *ssa.BasicBlock) bool {
	id := lp.comp[b]
	if lp.comp[x] == id {
		return false
	}
	for _, p := range x.Preds {
		if lp.comp[p] == id {
			return true
		}
	}
	return false
}
