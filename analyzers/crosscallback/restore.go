package crosscallback

import (
	"go/token"

	"golang.org/x/tools/go/ssa"
)

// This file recognises a store that the function making it undoes: a
// package-level variable or a field of an object from outside, set for
// the length of a call or a test and then put back.

// isRestored reports whether the function that makes the store st puts
// back, on every path from st to a return or a panic, the value it read
// from the same location before st: by a store, or by a func literal it
// defers or hands to a testing Cleanup.
//
//	old := low.Hook
//	low.Hook = func() {}
//	defer func() { low.Hook = old }()
//
//	save := req.Body
//	req.Body = zeros{}
//	send(req)
//	req.Body = save
func (a *pkgAnalysis) isRestored(st *ssa.Store) bool {
	r := &restore{st: st, reach: reachable(st.Block())}
	seen := map[*ssa.BasicBlock]bool{}
	var onPath func(instrs []ssa.Instruction) bool
	onPath = func(instrs []ssa.Instruction) bool {
		b := instrs[0].Block()
		for _, instr := range instrs {
			if r.undoes(instr) {
				return true
			}
			switch instr.(type) {
			case *ssa.Return, *ssa.Panic:
				return false
			}
		}
		for _, succ := range b.Succs {
			if !seen[succ] {
				seen[succ] = true
				if !onPath(succ.Instrs) {
					return false
				}
			}
		}
		return true
	}
	// A defer made before the store runs after it on every path.
	for _, b := range st.Parent().Blocks {
		for _, instr := range b.Instrs {
			if d, ok := instr.(*ssa.Defer); ok && before(d, st) && r.undoes(d) {
				return true
			}
		}
	}
	b := st.Block()
	for i, instr := range b.Instrs {
		if instr == st {
			if i+1 == len(b.Instrs) {
				return false // a block ends in a control instruction
			}
			return onPath(b.Instrs[i+1:])
		}
	}
	return false
}

// A restore is the search for what undoes one store.
type restore struct {
	st    *ssa.Store
	reach map[*ssa.BasicBlock]bool // the blocks reachable from the store
	// env maps the free variables of the func literal being looked into
	// to what its closure binds them to.
	env map[*ssa.FreeVar]ssa.Value
}

// undoes reports whether instr puts back the value the location of the
// store held:
//
//	low.Hook = old
//	defer func() { low.Hook = old }()
//	t.Cleanup(func() { low.Hook = old })
func (r *restore) undoes(instr ssa.Instruction) bool {
	switch in := instr.(type) {
	case *ssa.Store:
		return r.putsBack(in)
	case *ssa.Defer:
		if len(in.Call.Args) == 0 {
			return r.literalPutsBack(in.Call.Value)
		}
	case *ssa.Call:
		cc := in.Common()
		if cc.IsInvoke() {
			if m := cc.Method; m.Name() == "Cleanup" && m.Pkg() != nil && m.Pkg().Path() == "testing" && len(cc.Args) == 1 {
				return r.literalPutsBack(cc.Args[0])
			}
			return false
		}
		if callee := cc.StaticCallee(); callee != nil && len(cc.Args) == 2 {
			if obj := funcObject(callee); obj != nil && obj.FullName() == "(*testing.common).Cleanup" {
				return r.literalPutsBack(cc.Args[1])
			}
		}
	}
	return false
}

// putsBack reports whether a store puts back the value read from the
// location of r.st before it.
func (r *restore) putsBack(in *ssa.Store) bool {
	return in != r.st && r.sameAddr(in.Addr, r.st.Addr) && r.isOld(in.Val, map[ssa.Value]bool{})
}

// literalPutsBack reports whether v is a func literal of the function
// that, in its body, puts back the value read from the location of r.st.
func (r *restore) literalPutsBack(v ssa.Value) bool {
	mc, ok := v.(*ssa.MakeClosure)
	if !ok || r.env != nil {
		return false
	}
	fn := mc.Fn.(*ssa.Function)
	r.env = map[*ssa.FreeVar]ssa.Value{}
	defer func() { r.env = nil }()
	for j, fv := range fn.FreeVars {
		if j < len(mc.Bindings) {
			r.env[fv] = mc.Bindings[j]
		}
	}
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			if st, ok := instr.(*ssa.Store); ok && r.putsBack(st) {
				return true
			}
		}
	}
	return false
}

// norm returns what v stands for in the function of the store: a free
// variable of a func literal, what it is bound to; a load of a local
// variable stored once (a captured or spilled parameter), the value
// stored.
func (r *restore) norm(v ssa.Value) ssa.Value {
	for {
		switch x := v.(type) {
		case *ssa.FreeVar:
			b, ok := r.env[x]
			if !ok {
				return v
			}
			v = b
		case *ssa.UnOp:
			if x.Op != token.MUL {
				return v
			}
			alloc, ok := r.norm(x.X).(*ssa.Alloc)
			if !ok {
				return v
			}
			val, ok := storedOnce(alloc)
			if !ok {
				return v
			}
			v = val
		default:
			return v
		}
	}
}

// storedOnce returns the one value stored whole into a local variable.
func storedOnce(alloc *ssa.Alloc) (ssa.Value, bool) {
	var val ssa.Value
	for _, ref := range *alloc.Referrers() {
		if st, ok := ref.(*ssa.Store); ok && st.Addr == alloc {
			if val != nil {
				return nil, false
			}
			val = st.Val
		}
	}
	return val, val != nil
}

// sameAddr reports whether two addresses are the same location: the same
// package-level variable, or the same field of the same object.
func (r *restore) sameAddr(x, y ssa.Value) bool {
	x, y = r.norm(x), r.norm(y)
	if x == y {
		return true
	}
	switch x := x.(type) {
	case *ssa.FieldAddr:
		y, ok := y.(*ssa.FieldAddr)
		return ok && x.Field == y.Field && r.sameAddr(x.X, y.X)
	case *ssa.UnOp:
		y, ok := y.(*ssa.UnOp)
		return ok && x.Op == token.MUL && y.Op == token.MUL && r.sameAddr(x.X, y.X)
	}
	return false
}

// isOld reports whether v is the value read from the location of r.st
// before the store, on the paths from the store: a load that comes before
// it, or a phi whose edges from blocks the store reaches are such loads.
func (r *restore) isOld(v ssa.Value, seen map[ssa.Value]bool) bool {
	v = r.norm(v)
	if seen[v] {
		return true // a loop: decided by the other edges
	}
	seen[v] = true
	switch v := v.(type) {
	case *ssa.UnOp:
		return v.Op == token.MUL && r.sameAddr(v.X, r.st.Addr) && before(v, r.st)
	case *ssa.Phi:
		if v.Parent() != r.st.Parent() {
			return false
		}
		checked := false
		for i, e := range v.Edges {
			if !r.reach[v.Block().Preds[i]] {
				continue // not a path from the store
			}
			if !r.isOld(e, seen) {
				return false
			}
			checked = true
		}
		return checked
	}
	return false
}

// before reports whether instr runs before st on every path to st.
func before(instr ssa.Instruction, st *ssa.Store) bool {
	if instr.Block() == nil {
		return false
	}
	if instr.Parent() != st.Parent() {
		return false
	}
	if instr.Block() != st.Block() {
		return instr.Block().Dominates(st.Block())
	}
	for _, in := range st.Block().Instrs {
		switch in {
		case instr:
			return true
		case st:
			return false
		}
	}
	return false
}

// reachable returns b and the blocks reachable from it.
func reachable(b *ssa.BasicBlock) map[*ssa.BasicBlock]bool {
	out := map[*ssa.BasicBlock]bool{}
	stack := []*ssa.BasicBlock{b}
	for len(stack) > 0 {
		x := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if out[x] {
			continue
		}
		out[x] = true
		stack = append(stack, x.Succs...)
	}
	return out
}
