package joins

import (
	"go/token"
	"go/types"
	"strconv"
	"strings"

	"golang.org/x/tools/go/ssa"
)

// A Loc is where a group or channel lives, as one function sees it: a root
// value of that function and a path of struct fields below it. Loads are
// looked through, so &wg, wg and a copy of a channel held in a variable
// share a Loc. Locs are comparable.
type Loc struct {
	Root ssa.Value
	Path string // field indices, each followed by a comma: "2,0,"
}

// locOf returns the Loc of v in its function.
//
//	wg          // Alloc wg (captured or addressed)
//	&s.wg       // FieldAddr: s + "k,"
//	*s.done     // load of FieldAddr: s + "k,"
//	s.cfg.wg    // through a pointer field: s + "c,k,"
func locOf(v ssa.Value) Loc {
	var path []int
	// A variable may be set from itself (p = p.next): give up following
	// after a few steps.
	for steps := 0; ; steps++ {
		if steps == maxSteps {
			return mkLoc(v, path)
		}
		switch x := v.(type) {
		case *ssa.UnOp:
			if x.Op != token.MUL {
				return mkLoc(v, path)
			}
			v = x.X
		case *ssa.FieldAddr:
			path = append(path, x.Field)
			v = x.X
		case *ssa.Field:
			path = append(path, x.Field)
			v = x.X
		case *ssa.ChangeType:
			v = x.X
		case *ssa.Convert:
			v = x.X
		case *ssa.ChangeInterface:
			v = x.X
		case *ssa.Alloc:
			if w := onlyStore(x); w != nil {
				v = w
				continue
			}
			return mkLoc(v, path)
		default:
			return mkLoc(v, path)
		}
	}
}

// onlyStore returns the value a variable of reference type (a pointer, a
// channel or a func) is only ever set to, so that the variable and the value share a
// Loc: a captured parameter spilled to the heap, or
//
//	done := make(chan struct{})   // captured by a closure
//
// It returns nil for a variable set more than once or of another type (a
// struct variable is the storage itself).
func onlyStore(alloc *ssa.Alloc) ssa.Value {
	switch alloc.Type().Underlying().(*types.Pointer).Elem().Underlying().(type) {
	case *types.Pointer, *types.Chan, *types.Signature:
	default:
		return nil
	}
	refs := alloc.Referrers()
	if refs == nil {
		return nil
	}
	var val ssa.Value
	for _, r := range *refs {
		if st, ok := r.(*ssa.Store); ok && st.Addr == alloc {
			if val != nil {
				return nil
			}
			val = st.Val
		}
	}
	return val
}

// maxSteps bounds the values locOf looks through.
const maxSteps = 64

// mkLoc builds a Loc from a root and a path collected leaf first.
func mkLoc(root ssa.Value, rev []int) Loc {
	var b strings.Builder
	for i := len(rev) - 1; i >= 0; i-- {
		b.WriteString(strconv.Itoa(rev[i]))
		b.WriteByte(',')
	}
	return Loc{Root: root, Path: b.String()}
}

// Prefixes returns the Locs along l's path, shortest first: s.a and s.a.b
// for s.a.b; none for a Loc without a path.
func (l Loc) Prefixes() []Loc {
	var out []Loc
	for i := 0; i < len(l.Path); i++ {
		if l.Path[i] == ',' {
			out = append(out, Loc{Root: l.Root, Path: l.Path[:i+1]})
		}
	}
	return out
}

// under returns the Loc of path below l.
func (l Loc) under(path string) Loc { return Loc{Root: l.Root, Path: l.Path + path} }

// Field returns the struct field the Loc ends in, or nil for a Loc without
// a path or one whose path does not follow the root's type.
func (l Loc) Field() *types.Var {
	if l.Path == "" || l.Root == nil {
		return nil
	}
	t := l.Root.Type()
	var field *types.Var
	for _, s := range strings.Split(strings.TrimSuffix(l.Path, ","), ",") {
		i, err := strconv.Atoi(s)
		if err != nil {
			return nil
		}
		// Loads are looked through, so a variable holding a pointer
		// may stand for the struct: dereference as far as it takes.
		for {
			p, ok := t.Underlying().(*types.Pointer)
			if !ok {
				break
			}
			t = p.Elem()
		}
		st, ok := t.Underlying().(*types.Struct)
		if !ok || i >= st.NumFields() {
			return nil
		}
		field = st.Field(i)
		t = field.Type()
	}
	return field
}

// Type returns the type of the value at l, or nil when unknown.
func (l Loc) Type() types.Type {
	if l.Path == "" {
		if l.Root == nil {
			return nil
		}
		t := l.Root.Type()
		if a, ok := l.Root.(*ssa.Alloc); ok { // the variable, not its address
			t = a.Type().Underlying().(*types.Pointer).Elem()
		}
		return t
	}
	if f := l.Field(); f != nil {
		return f.Type()
	}
	return nil
}

// Name returns how the source spells l, as well as SSA knows it: the
// variable, parameter or field name; "" when it has none.
func (l Loc) Name() string {
	if f := l.Field(); f != nil {
		return f.Name()
	}
	switch r := l.Root.(type) {
	case *ssa.Alloc:
		switch r.Comment {
		case "new", "complit", "slicelit", "varargs", "makeslice":
			return "" // not a variable
		}
		return r.Comment
	case *ssa.Parameter:
		return r.Name()
	case *ssa.FreeVar:
		return r.Name()
	case *ssa.Global:
		return r.Name()
	}
	return ""
}

// input returns the index of l's root among fn's inputs: its parameters
// (receiver first), then its free variables. It returns -1 when the root is
// not an input.
func input(fn *ssa.Function, v ssa.Value) int {
	switch r := v.(type) {
	case *ssa.Parameter:
		for i, p := range fn.Params {
			if p == r {
				return i
			}
		}
	case *ssa.FreeVar:
		for i, fv := range fn.FreeVars {
			if fv == r {
				return len(fn.Params) + i
			}
		}
	}
	return -1
}

// inputValue returns the value a call passes for input i of callee: an
// argument, or a binding of the closure called.
func inputValue(call *ssa.CallCommon, callee *ssa.Function, i int) ssa.Value {
	if i < 0 {
		return nil
	}
	n := numParams(callee)
	if i < n {
		if i < len(call.Args) {
			return call.Args[i]
		}
		return nil
	}
	j := i - n
	if mc, ok := call.Value.(*ssa.MakeClosure); ok && j < len(mc.Bindings) {
		return mc.Bindings[j]
	}
	return nil
}

// isLocal reports whether l names a group or channel created by the
// function itself: a local variable, a make(chan), or the group returned by
// errgroup.WithContext.
//
//	var wg sync.WaitGroup
//	ch := make(chan int, 1)
//	g, ctx := errgroup.WithContext(ctx)
func isLocal(l Loc) bool {
	if l.Path != "" {
		return false
	}
	switch r := l.Root.(type) {
	case *ssa.MakeChan:
		return true
	case *ssa.Alloc:
		return holdsFresh(r)
	case *ssa.Extract:
		call, ok := r.Tuple.(*ssa.Call)
		if !ok || r.Index != 0 {
			return false
		}
		callee := call.Call.StaticCallee()
		if callee == nil {
			return false
		}
		fn, ok := callee.Object().(*types.Func)
		return ok && fn.Pkg() != nil && fn.Pkg().Path() == errgroupPath && fn.Name() == "WithContext"
	}
	return false
}

// holdsFresh reports whether a variable holds a group or channel of its
// own: the group itself, or a reference only ever set to a value made on
// the spot. A captured parameter is spilled to such a variable, and holds
// the caller's value.
//
//	var wg sync.WaitGroup     done := make(chan struct{})     wg := p  // not fresh
func holdsFresh(alloc *ssa.Alloc) bool {
	elem := alloc.Type().Underlying().(*types.Pointer).Elem()
	switch elem.Underlying().(type) {
	case *types.Chan, *types.Pointer:
	default:
		return true
	}
	refs := alloc.Referrers()
	if refs == nil {
		return false
	}
	for _, r := range *refs {
		if st, ok := r.(*ssa.Store); ok && st.Addr == alloc && !IsFresh(st.Val) {
			return false
		}
	}
	return true
}

// numParams returns the number of parameters of fn, receiver included,
// whether or not its body (and so its Params) was built.
func numParams(fn *ssa.Function) int {
	n := fn.Signature.Params().Len()
	if fn.Signature.Recv() != nil {
		n++
	}
	return n
}
