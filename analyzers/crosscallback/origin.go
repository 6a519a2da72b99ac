package crosscallback

import (
	"go/token"
	"go/types"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"
)

// An origin says whether an object a module hands a callback to came
// from outside the module, as far as the package shows: a parameter of
// a function others can call, a package-level variable of another package,
// or a field set from one of those. Anything the module allocated itself,
// or got back from a call it made, is its own.
type origin struct {
	outside bool
	how     string // "parameter r of Register", "field bus of Service, set from parameter bus of New"
	related []analysis.RelatedInformation
}

// maxOriginDepth bounds how many calls and field stores the search goes
// back through.
const maxOriginDepth = 4

type originWalk struct {
	a    *pkgAnalysis
	seen map[ssa.Value]bool
}

// origin returns where the object v refers to came from.
func (a *pkgAnalysis) origin(v ssa.Value) origin {
	w := &originWalk{a: a, seen: map[ssa.Value]bool{}}
	return w.of(v, 0)
}

func (w *originWalk) of(v ssa.Value, depth int) origin {
	if depth > maxOriginDepth || w.seen[v] {
		return origin{}
	}
	w.seen[v] = true
	switch v := v.(type) {
	case *ssa.Parameter:
		return w.param(v, depth)
	case *ssa.Global:
		return w.global(v)
	case *ssa.UnOp:
		if v.Op == token.MUL {
			return w.load(v.X, depth)
		}
	case *ssa.FieldAddr:
		// A field stored inline is part of its struct, and so the
		// module's own when the struct is of one of its types.
		if w.ownType(v.X.Type()) {
			return origin{}
		}
		return w.of(v.X, depth)
	case *ssa.Field:
		if w.ownType(v.X.Type()) {
			return origin{}
		}
		return w.of(v.X, depth)
	case *ssa.IndexAddr:
		return w.of(v.X, depth)
	case *ssa.Index:
		return w.of(v.X, depth)
	case *ssa.Lookup:
		return w.of(v.X, depth)
	case *ssa.Slice:
		return w.of(v.X, depth)
	case *ssa.ChangeType:
		return w.of(v.X, depth)
	case *ssa.Convert:
		return w.of(v.X, depth)
	case *ssa.MakeInterface:
		return w.of(v.X, depth)
	case *ssa.ChangeInterface:
		return w.of(v.X, depth)
	case *ssa.TypeAssert:
		return w.of(v.X, depth)
	case *ssa.Extract:
		if call, ok := v.Tuple.(*ssa.Call); ok {
			return w.result(call, v.Index, depth)
		}
		return w.of(v.Tuple, depth)
	case *ssa.Call:
		return w.result(v, 0, depth)
	case *ssa.Phi:
		for _, e := range v.Edges {
			if o := w.of(e, depth); o.outside {
				return o
			}
		}
	}
	return origin{} // allocated here, or returned by a call made here
}

// result returns the origin of result k of a call: that of the argument
// it is reached from, for a getter (dnsserver.GetConfig(c) is part of c);
// else the module's own, got back from a call. A part of an object of
// the module's own type is the module's, as a field read out of it is:
// which field the getter reads, and what the package sets it from, is
// not known here.
func (w *originWalk) result(call *ssa.Call, k, depth int) origin {
	j := w.a.calleeFrom(call, k)
	if j < 0 || j >= len(call.Call.Args) || w.ownType(call.Call.Args[j].Type()) {
		return origin{}
	}
	o := w.of(call.Call.Args[j], depth+1)
	if o.outside {
		o.how = "what " + callName(call) + " returns of " + o.how
	}
	return o
}

// callName names the callee of a static call for messages.
func callName(call *ssa.Call) string {
	if obj := funcObject(call.Common().StaticCallee()); obj != nil {
		return funcName(obj)
	}
	return "a call"
}

// load returns the origin of a value loaded from addr.
func (w *originWalk) load(addr ssa.Value, depth int) origin {
	switch addr := addr.(type) {
	case *ssa.Alloc:
		for _, ref := range *addr.Referrers() {
			if st, ok := ref.(*ssa.Store); ok && st.Addr == addr {
				if o := w.of(st.Val, depth); o.outside {
					return o
				}
			}
		}
	case *ssa.FreeVar:
		for _, b := range w.a.bindings(addr) {
			if o := w.load(b, depth); o.outside {
				return o
			}
		}
	case *ssa.Global:
		return w.global(addr)
	case *ssa.FieldAddr:
		// A field of the module's own struct came from wherever the
		// package sets it; a field of another's struct, with the struct.
		if w.ownType(addr.X.Type()) {
			return w.field(addr, depth)
		}
		if base := w.of(addr.X, depth); base.outside {
			return origin{outside: true, how: "field " + fieldName(addr) + " of " + base.how, related: base.related}
		}
	default:
		return w.of(addr, depth)
	}
	return origin{}
}

// param returns the origin of a parameter: from outside when others can
// call the function; else whatever its callers in the package pass.
func (w *originWalk) param(p *ssa.Parameter, depth int) origin {
	fn := p.Parent()
	i := paramIndex(fn, p)
	kind := "parameter "
	if fn.Signature.Recv() != nil && i == 0 {
		kind = "receiver "
	}
	if fn.Parent() == nil {
		obj, ok := fn.Object().(*types.Func)
		if !ok {
			return origin{}
		}
		if obj.Exported() && !w.ownArgs(fn, i, depth) {
			return origin{outside: true, how: kind + p.Name() + " of " + obj.Name()}
		}
		if w.a.index.valued[fn] {
			// Called from places the package does not show. Handed over
			// and never called here (plugin.Register("x", setup)), its
			// parameters are whatever its caller later passes, not the
			// module's: from outside. The receiver of a method goes
			// with the method value, bound where it is taken.
			if len(w.a.index.calls[fn]) == 0 && (fn.Signature.Recv() == nil || i > 0) {
				return origin{outside: true, how: kind + p.Name() + " of " + obj.Name() + ", a function the package hands over as a value and never calls"}
			}
			return origin{}
		}
	}
	for _, site := range w.a.index.calls[fn] {
		args := site.instr.Common().Args
		if i >= len(args) {
			continue
		}
		if o := w.of(args[i], depth+1); o.outside {
			o.related = append(o.related, analysis.RelatedInformation{
				Pos:     site.instr.Pos(),
				Message: p.Name() + " is " + o.how + " at this call",
			})
			o.how = kind + p.Name() + " of " + funcLabel(fn) + ", passed " + o.how + ", by a call in " + funcLabel(site.instr.Parent())
			return o
		}
	}
	return origin{}
}

// ownArgs reports whether every call of the exported function fn that
// the package shows passes, as parameter i, an object of the module's
// own (one it allocated, or got back from a call), and there is at least
// one: the module's own ServeHTTP making a request's replacer and
// passing it to its exported PrepareRequest, directly or through
// unexported functions that pass on their parameter. Callers in other packages
// are not seen; by the one-sided rule they are taken to do the same.
func (w *originWalk) ownArgs(fn *ssa.Function, i, depth int) bool {
	sites := w.a.index.calls[fn]
	if len(sites) == 0 || w.a.index.valued[fn] {
		return false
	}
	for _, site := range sites {
		args := site.instr.Common().Args
		if i >= len(args) {
			return false
		}
		if w.of(args[i], depth+1).outside {
			return false
		}
	}
	return true
}

// global returns the origin of a package-level variable: outside when it
// belongs to another module's package, or to none.
func (w *originWalk) global(g *ssa.Global) origin {
	if w.a.ownedByModule(g.Pkg.Pkg.Path()) {
		return origin{}
	}
	return origin{outside: true, how: g.Pkg.Pkg.Name() + "." + g.Name() + ", a package-level variable of " + g.Pkg.Pkg.Name()}
}

// field returns the origin of a field of the package's own struct: from
// outside when some store into it, in the package, stores something that
// came from outside.
func (w *originWalk) field(fa *ssa.FieldAddr, depth int) origin {
	key, ok := fieldKeyOf(fa)
	if !ok || key.named.Obj().Pkg() != w.a.pass.Pkg {
		return origin{} // set where the package does not show
	}
	for _, st := range w.a.fieldStores()[key] {
		if o := w.of(st.Val, depth+1); o.outside {
			return origin{
				outside: true,
				how:     "field " + fieldName(fa) + " of " + key.named.Obj().Name() + ", set from " + o.how,
				related: append(o.related, analysis.RelatedInformation{Pos: st.Pos(), Message: fieldName(fa) + " is set here"}),
			}
		}
	}
	return origin{}
}

// ownType reports whether t is, or points to, a named type of the module.
func (w *originWalk) ownType(t types.Type) bool {
	named := namedOf(t)
	return named != nil && w.a.ownedByModule(pkgPath(named.Obj()))
}

func pkgPath(obj types.Object) string {
	if obj.Pkg() == nil {
		return ""
	}
	return obj.Pkg().Path()
}

// A fieldKey names a field of a named struct type.
type fieldKey struct {
	named *types.Named
	index int
}

func fieldKeyOf(fa *ssa.FieldAddr) (fieldKey, bool) {
	p, ok := fa.X.Type().Underlying().(*types.Pointer)
	if !ok {
		return fieldKey{}, false
	}
	named, ok := types.Unalias(p.Elem()).(*types.Named)
	if !ok {
		return fieldKey{}, false
	}
	return fieldKey{named.Origin(), fa.Field}, true
}

func fieldName(fa *ssa.FieldAddr) string {
	p, _ := fa.X.Type().Underlying().(*types.Pointer)
	if p == nil {
		return "?"
	}
	st, _ := p.Elem().Underlying().(*types.Struct)
	if st == nil || fa.Field >= st.NumFields() {
		return "?"
	}
	return st.Field(fa.Field).Name()
}

// fieldStores returns, by field, the stores into fields of the package's
// named structs.
func (a *pkgAnalysis) fieldStores() map[fieldKey][]*ssa.Store {
	if a.stores != nil {
		return a.stores
	}
	a.stores = map[fieldKey][]*ssa.Store{}
	skip := skipTests(a.pass, a.cfg)
	for _, fn := range a.funcs {
		if skip(fn) {
			continue
		}
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				st, ok := instr.(*ssa.Store)
				if !ok {
					continue
				}
				if fa, ok := st.Addr.(*ssa.FieldAddr); ok {
					if key, ok := fieldKeyOf(fa); ok {
						a.stores[key] = append(a.stores[key], st)
					}
				}
			}
		}
	}
	return a.stores
}

// funcLabel names a function of the package for messages.
func funcLabel(fn *ssa.Function) string {
	if obj, ok := fn.Object().(*types.Func); ok {
		return obj.Name()
	}
	return "a func literal in " + outermost(fn).Name()
}
