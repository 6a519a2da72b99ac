package crosscallback

import (
	"go/token"
	"go/types"

	"golang.org/x/tools/go/ssa"
)

// A rootKind says what an object is rooted in.
type rootKind uint8

const (
	// rootLocal: allocated by the function or returned to it by a call;
	// the function's own.
	rootLocal rootKind = iota
	// rootParam: reachable from a parameter of the declared function.
	rootParam
	// rootGlobal: reachable from a package-level variable.
	rootGlobal
)

type root struct {
	kind   rootKind
	index  int         // rootParam: SSA index of the parameter
	global *ssa.Global // rootGlobal
	local  ssa.Value   // rootLocal: the allocation, or the call or result of one
}

// roots returns what the object v refers to is rooted in: following
// field and element selection down to a parameter, a package-level
// variable or a local allocation, through the cells of captured variables
// and into the callers of func literals called in place.
func (a *pkgAnalysis) roots(v ssa.Value) []root {
	w := &rootWalk{a: a, seen: map[walkKey]bool{}, loaded: map[walkKey]bool{}}
	w.value(v)
	return w.out
}

type rootWalk struct {
	a      *pkgAnalysis
	seen   map[walkKey]bool // by value
	loaded map[walkKey]bool // by address loaded from
	out    []root
	// want is the dynamic type a type assertion on the way requires of
	// the interface values walked, or nil: a value converted from another
	// type cannot reach the assertion.
	want types.Type
}

type walkKey struct {
	v    ssa.Value
	want types.Type
}

func (w *rootWalk) add(r root) {
	for _, o := range w.out {
		if o == r {
			return
		}
	}
	w.out = append(w.out, r)
}

// value adds the roots of the object v refers to.
func (w *rootWalk) value(v ssa.Value) {
	key := walkKey{v, w.want}
	if w.seen[key] {
		return
	}
	w.seen[key] = true
	switch v := v.(type) {
	case *ssa.Parameter:
		fn := v.Parent()
		if fn.Parent() == nil {
			w.add(root{kind: rootParam, index: paramIndex(fn, v)})
			return
		}
		// A parameter of a func literal: what its callers pass.
		sites := w.a.index.calls[fn]
		if len(sites) == 0 {
			w.add(root{kind: rootLocal, local: v})
		}
		i := paramIndex(fn, v)
		for _, site := range sites {
			if args := site.instr.Common().Args; i < len(args) {
				w.value(args[i])
			}
		}
	case *ssa.FreeVar:
		for _, b := range w.a.bindings(v) {
			w.value(b)
		}
	case *ssa.Global:
		w.add(root{kind: rootGlobal, global: v})
	case *ssa.UnOp:
		switch v.Op {
		case token.MUL:
			w.load(v.X)
		case token.ARROW:
			w.value(v.X)
		}
	case *ssa.FieldAddr:
		w.value(v.X)
	case *ssa.Field:
		w.value(v.X)
	case *ssa.IndexAddr:
		w.value(v.X)
	case *ssa.Index:
		w.value(v.X)
	case *ssa.Lookup:
		w.value(v.X)
	case *ssa.Slice:
		w.value(v.X)
	case *ssa.ChangeType:
		w.value(v.X)
	case *ssa.Convert:
		w.value(v.X)
	case *ssa.MultiConvert:
		w.value(v.X)
	case *ssa.MakeInterface:
		if w.want != nil && !types.Identical(v.X.Type(), w.want) {
			return // another dynamic type: it fails the assertion
		}
		want := w.want
		w.want = nil
		w.value(v.X)
		w.want = want
	case *ssa.ChangeInterface:
		w.value(v.X)
	case *ssa.TypeAssert:
		want := w.want
		if !types.IsInterface(v.AssertedType) {
			w.want = v.AssertedType
		}
		w.value(v.X)
		w.want = want
	case *ssa.SliceToArrayPointer:
		w.value(v.X)
	case *ssa.Extract:
		if call, ok := v.Tuple.(*ssa.Call); ok {
			// One result of a call is an object of its own: what is
			// stored into it is not in the other results. A getter's
			// result is part of the argument it is reached from.
			if j := w.a.calleeFrom(call, v.Index); j >= 0 && j < len(call.Call.Args) {
				w.value(call.Call.Args[j])
				return
			}
			w.add(root{kind: rootLocal, local: v})
			return
		}
		w.value(v.Tuple)
	case *ssa.Call:
		if j := w.a.calleeFrom(v, 0); j >= 0 && j < len(v.Call.Args) {
			w.value(v.Call.Args[j])
			return
		}
		w.add(root{kind: rootLocal, local: v})
	case *ssa.Next:
		w.value(v.Iter)
	case *ssa.Range:
		w.value(v.X)
	case *ssa.Phi:
		for _, e := range v.Edges {
			w.value(e)
		}
	case *ssa.Alloc, *ssa.MakeMap, *ssa.MakeChan, *ssa.MakeSlice, *ssa.MakeClosure:
		w.add(root{kind: rootLocal, local: v})
	}
}

// load adds the roots of the object a value loaded from addr refers to.
func (w *rootWalk) load(addr ssa.Value) {
	key := walkKey{addr, w.want}
	if w.loaded[key] {
		return
	}
	w.loaded[key] = true
	switch addr := addr.(type) {
	case *ssa.Alloc:
		// A local variable: what was stored in it. A struct or array
		// variable is itself the object whose fields are loaded.
		stored := false
		for _, ref := range *addr.Referrers() {
			if st, ok := ref.(*ssa.Store); ok && st.Addr == addr {
				stored = true
				w.value(st.Val)
			}
		}
		if !stored || isAggregate(addr.Type()) {
			w.add(root{kind: rootLocal, local: addr})
		}
	case *ssa.FreeVar:
		for _, b := range w.a.bindings(addr) {
			w.load(b)
		}
	default:
		w.value(addr)
	}
}

// isAggregate reports whether t points to a struct or an array.
func isAggregate(t types.Type) bool {
	p, ok := t.Underlying().(*types.Pointer)
	if !ok {
		return false
	}
	switch p.Elem().Underlying().(type) {
	case *types.Struct, *types.Array:
		return true
	}
	return false
}

func paramIndex(fn *ssa.Function, p *ssa.Parameter) int {
	for i, q := range fn.Params {
		if q == p {
			return i
		}
	}
	return -1
}

// bindings returns the values a func literal's free variable is bound to
// where the closure is made.
func (a *pkgAnalysis) bindings(fv *ssa.FreeVar) []ssa.Value {
	fn := fv.Parent()
	j := -1
	for i, f := range fn.FreeVars {
		if f == fv {
			j = i
		}
	}
	var out []ssa.Value
	for _, mc := range a.index.closures[fn] {
		if j >= 0 && j < len(mc.Bindings) {
			out = append(out, mc.Bindings[j])
		}
	}
	return out
}
