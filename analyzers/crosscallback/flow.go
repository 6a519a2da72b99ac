package crosscallback

import (
	"go/token"
	"go/types"
	"slices"

	"golang.org/x/tools/go/ssa"
)

// This file follows a value through the SSA form of one function and the
// func literals it contains, to the places it ends up: stores into an
// object, calls that retain it, goroutines, results. The walk is
// deliberately one-sided: wherever it cannot tell where a value goes (a
// call through an interface or a func value, an object returned by a call)
// it assumes the value is not retained, so that what it does report is
// there.

// An eventKind says how a followed value left the function's own objects.
type eventKind uint8

const (
	// evStore: stored (or put in a map, sent on a channel) into an object
	// that is not the function's own.
	evStore eventKind = iota + 1
	// evCall: passed to a function that retains it, per its summary, fact
	// or table entry.
	evCall
	// evGo: used by a go statement.
	evGo
	// evReturn: returned by the declared function.
	evReturn
)

// An event is one way a followed value leaves the function.
type event struct {
	kind  eventKind
	instr ssa.Instruction
	// obj is the object that receives the value (evStore: the address,
	// map or channel; evCall with an intoParam sink: the argument), and
	// root what it is rooted in.
	obj  ssa.Value
	root root
	// evCall: the callee, the argument that carried the value, the sink
	// and the table entry, if any.
	callee *types.Func
	arg    int
	sink   sink
	reg    *registration
	// part is the part of the followed input the value that left came
	// from: 0 for the input itself, n for its field n-1.
	part int
	// result is, for evReturn, the index of the result that holds it.
	result int
	// guard is, for evCall, what is left of the sink's guard on the
	// parameters of the function the call is in.
	guard []literal
	// via is, for evCall, the method of the argument whose result the
	// callee keeps, when it keeps that rather than the argument.
	via string
}

// A mode says how a followed value holds the callback.
type mode uint8

const (
	// asValue: the value is the callback, wraps it (a conversion, a
	// closure, a result that passes it on), or came in from outside
	// holding it. Parts read out of it are followed only when they can
	// themselves be callbacks (see carries): following every part of a
	// parameter would make every getter of a data structure pass it on.
	asValue mode = iota + 1
	// asContainer: a local object the function stored the callback into
	// (a variable captured by a closure, a variadic slice, a composite
	// literal). What is read back out of it is followed.
	asContainer
)

// A flow follows values forward from their seeds.
type flow struct {
	a    *pkgAnalysis
	mode map[ssa.Value]mode
	// part says which part of the input each value comes from: 0 for the
	// input itself (or a wrapper of it, or what holds it), n for a value
	// read out of its field n-1.
	part map[ssa.Value]int
	// fields are the fields of each local struct container that hold the
	// followed value (-1: the whole object); a container without an entry
	// holds it anywhere.
	fields map[ssa.Value]map[int]bool
	queue  []ssa.Value
	events []event
	// called says that the followed value, or a part of it that can be a
	// callback, is called (or a method of it invoked) in the function,
	// directly or by a function of the package whose summary says it
	// calls that parameter.
	called bool
	// invoked are the calls of an interface method on the followed value
	// itself whose callee is unknown and whose result can hold a callback
	// (mod := instance.CaddyModule()): a summary follows what each
	// returns on its own (see summarizeInvoked).
	invoked []*ssa.Call
}

func (a *pkgAnalysis) newFlow() *flow {
	return &flow{a: a, mode: map[ssa.Value]mode{}, part: map[ssa.Value]int{}, fields: map[ssa.Value]map[int]bool{}}
}

// add follows v in mode m as part p of the input, if a value of its type
// can hold a callback at all. A container is followed further than a
// value; a value reached as two different parts is taken as the whole.
func (f *flow) add(v ssa.Value, m mode, p int) {
	if v == nil || !f.a.mayHold(v.Type()) {
		return
	}
	oldM, seen := f.mode[v]
	if seen && f.part[v] != p {
		p = 0
	}
	if seen && oldM >= m && f.part[v] == p {
		return
	}
	f.mode[v] = max(oldM, m)
	f.part[v] = p
	f.queue = append(f.queue, v)
}

// fill records that the local object obj now holds the followed value (of
// part p), in its field number field or (-1) anywhere, and follows it as a
// container.
func (f *flow) fill(obj ssa.Value, field, p int) {
	set := f.fields[obj]
	if set == nil {
		set = map[int]bool{}
		f.fields[obj] = set
	}
	if !set[field] && !set[-1] {
		set[field] = true
		if f.mode[obj] == asContainer {
			f.queue = append(f.queue, obj) // follow the newly filled field too
		}
	}
	f.add(obj, asContainer, p)
}

// holds reports whether field i of container obj holds the followed value.
func (f *flow) holds(obj ssa.Value, i int) bool {
	set, ok := f.fields[obj]
	return !ok || set[-1] || set[i]
}

// topField returns the field of root that addr points into, or -1 when
// addr is root itself or reaches it otherwise.
func topField(addr, root ssa.Value) int {
	for {
		switch a := addr.(type) {
		case *ssa.FieldAddr:
			if names(a.X, root, 0) {
				return a.Field
			}
			addr = a.X
		case *ssa.IndexAddr:
			addr = a.X
		case *ssa.UnOp:
			if a.Op != token.MUL {
				return -1
			}
			addr = a.X
		default:
			return -1
		}
	}
}

// names reports whether v is root, or a phi or a change of type of it:
// cfg in `if cfg == nil { cfg = new(Config) }; cfg.f = x`.
func names(v, root ssa.Value, depth int) bool {
	if v == root {
		return true
	}
	if depth > 4 {
		return false
	}
	switch v := v.(type) {
	case *ssa.Phi:
		for _, e := range v.Edges {
			if e != v && names(e, root, depth+1) {
				return true
			}
		}
	case *ssa.ChangeType:
		return names(v.X, root, depth+1)
	case *ssa.UnOp:
		// A load of a local variable (one a closure captures) names
		// what was stored in it.
		cell, ok := v.X.(*ssa.Alloc)
		if v.Op != token.MUL || !ok || cell.Referrers() == nil {
			return false
		}
		for _, ref := range *cell.Referrers() {
			if st, ok := ref.(*ssa.Store); ok && st.Addr == cell && names(st.Val, root, depth+1) {
				return true
			}
		}
	}
	return false
}

// outerField returns the field, nearest to the root, that an address or
// object reached through field selections lies in: f in p.f.g, m in
// p.m[k]; -1 when there is none.
func outerField(v ssa.Value) int {
	field := -1
	for {
		switch a := v.(type) {
		case *ssa.FieldAddr:
			field, v = a.Field, a.X
		case *ssa.Field:
			field, v = a.Field, a.X
		case *ssa.IndexAddr:
			v = a.X
		case *ssa.UnOp:
			if a.Op != token.MUL {
				return field
			}
			v = a.X
		default:
			return field
		}
	}
}

// read follows p, read out of the followed value v (field is the field
// read, or -1 for an element, a load or a receive). From a container it
// gets back what was stored, if the field holds it; from a value, only a
// part that can itself be a callback, as the field of the input it is.
func (f *flow) read(v, p ssa.Value, field int, addr bool) {
	vp := f.part[v]
	if f.mode[v] == asContainer {
		if field >= 0 && !f.holds(v, field) {
			return // another field: not what was stored
		}
		if !addr && field < 0 && f.reload(v, p, vp) {
			return
		}
		if addr {
			f.add(p, asContainer, vp)
		} else {
			f.add(p, asValue, vp)
		}
		return
	}
	if !f.a.carries(p.Type()) {
		return
	}
	if vp == 0 && field >= 0 {
		vp = field + 1
	}
	f.add(p, asValue, vp)
}

// reload follows p, loaded from the variable v, as the container that was
// stored in v, with the fields that hold the followed value: a pointer to a
// struct kept in a local variable (or one captured by a closure) is still
// that struct. It reports whether v held such a container.
func (f *flow) reload(v, p ssa.Value, part int) bool {
	found := false
	for _, st := range f.a.storesInto(v) {
		set, ok := f.fields[st.Val]
		if f.mode[st.Val] != asContainer || !ok {
			continue
		}
		found = true
		into := f.fields[p]
		if into == nil {
			into = map[int]bool{}
			f.fields[p] = into
		}
		for i := range set {
			into[i] = true
		}
	}
	if found {
		f.add(p, asContainer, part)
	}
	return found
}

// storesInto returns the stores of whole values into a local variable, or
// into the variable a closure's free variable is bound to.
func (a *pkgAnalysis) storesInto(v ssa.Value) []*ssa.Store {
	var cells []ssa.Value
	switch v := v.(type) {
	case *ssa.Alloc:
		cells = []ssa.Value{v}
	case *ssa.FreeVar:
		cells = a.bindings(v)
	}
	var out []*ssa.Store
	for _, c := range cells {
		if c.Referrers() == nil {
			continue
		}
		for _, ref := range *c.Referrers() {
			if st, ok := ref.(*ssa.Store); ok && st.Addr == c {
				out = append(out, st)
			}
		}
	}
	return out
}

// run follows every queued value to its uses.
func (f *flow) run() {
	for len(f.queue) > 0 {
		v := f.queue[len(f.queue)-1]
		f.queue = f.queue[:len(f.queue)-1]
		refs := v.Referrers()
		if refs == nil {
			continue
		}
		for _, instr := range *refs {
			f.use(instr, v)
		}
	}
}

// use follows v through one instruction that uses it.
func (f *flow) use(instr ssa.Instruction, v ssa.Value) {
	m, p := f.mode[v], f.part[v]
	switch in := instr.(type) {
	case *ssa.Store:
		if in.Val == v {
			f.store(in, in.Addr, p)
		}
	case *ssa.MapUpdate:
		if in.Value == v || in.Key == v {
			f.store(in, in.Map, p)
		}
	case *ssa.Send:
		if in.X == v {
			f.store(in, in.Chan, p)
		}
	case *ssa.Select:
		for _, st := range in.States {
			if st.Dir == types.SendOnly && st.Send == v {
				f.store(in, st.Chan, p)
			}
		}
	case *ssa.MakeClosure:
		// Inside the closure v is its free variable, followed there. The
		// closure itself is a value of the callback only when its body
		// calls it: a closure that captures an object holding a callback
		// (func() { sl.Remove(sub) }) keeps the object alive, but whoever
		// keeps the closure never runs the callback.
		for j, b := range in.Bindings {
			if b == v {
				fv := in.Fn.(*ssa.Function).FreeVars[j]
				f.add(fv, m, p)
				if f.a.closureCalls(fv, m, p) {
					f.add(in, asValue, p)
				}
			}
		}
	case *ssa.Call:
		f.call(in, in.Common(), in, v)
	case *ssa.Go:
		f.events = append(f.events, event{kind: evGo, instr: in, part: p})
		f.call(in, in.Common(), nil, v)
	case *ssa.Defer:
		f.call(in, in.Common(), nil, v)
	case *ssa.Return:
		for k, r := range in.Results {
			if r == v {
				f.ret(in, k, p)
			}
		}
	case *ssa.UnOp:
		if in.Op == token.MUL || in.Op == token.ARROW {
			f.read(v, in, -1, false)
		}
	case *ssa.FieldAddr:
		f.read(v, in, in.Field, true)
	case *ssa.Field:
		f.read(v, in, in.Field, false)
	case *ssa.IndexAddr:
		if in.X == v {
			f.read(v, in, -1, true)
		}
	case *ssa.Index:
		if in.X == v {
			f.read(v, in, -1, false)
		}
	case *ssa.Lookup:
		if in.X == v {
			f.read(v, in, -1, false)
		}
	case *ssa.Next:
		f.read(v, in, -1, false)
	case *ssa.Slice, *ssa.Range:
		f.derive(v, in.(ssa.Value)) // the same elements
	case *ssa.Extract:
		f.add(in, asValue, p)
	case *ssa.Phi, *ssa.ChangeType, *ssa.Convert, *ssa.MultiConvert, *ssa.MakeInterface,
		*ssa.ChangeInterface, *ssa.TypeAssert, *ssa.SliceToArrayPointer:
		f.derive(v, in.(ssa.Value))
	}
}

// derive follows to, the same object as the followed v under another
// name (a phi, a conversion, a slice of it), in v's mode and part; a
// container keeps the fields that hold the followed value.
//
//	if cfg == nil { cfg = new(Config) }  // the phi is the container
//	cfg.cancel = cancel                  // filled in field cancel
//	certmagic.Default.Storage = cfg.storage // another field: nothing
func (f *flow) derive(v, to ssa.Value) {
	m, p := f.mode[v], f.part[v]
	if m == asContainer && f.a.mayHold(to.Type()) {
		dst := f.fields[to]
		if dst == nil {
			dst = map[int]bool{}
			f.fields[to] = dst
		}
		changed := false
		src, ok := f.fields[v]
		if !ok {
			src = map[int]bool{-1: true} // anywhere
		}
		for k := range src {
			if !dst[k] {
				dst[k], changed = true, true
			}
		}
		if changed && f.mode[to] == asContainer {
			f.queue = append(f.queue, to)
		}
	}
	f.add(to, m, p)
}

// store records v (of part p) going into obj: an event when obj is
// rooted outside the function, else obj itself now holds v and is followed
// in turn.
func (f *flow) store(instr ssa.Instruction, obj ssa.Value, p int) {
	for _, r := range f.a.roots(obj) {
		if r.kind == rootLocal {
			f.fill(r.local, topField(obj, r.local), p)
			continue
		}
		f.events = append(f.events, event{kind: evStore, instr: instr, obj: obj, root: r, part: p})
	}
}

// call follows v into a call that takes it as an argument.
func (f *flow) call(instr ssa.CallInstruction, cc *ssa.CallCommon, result ssa.Value, v ssa.Value) {
	if cc.Value == v {
		f.called = true // v() or v.Method()
	}
	var obj *types.Func
	args := cc.Args
	if cc.IsInvoke() {
		// An interface method: the callee is unknown, unless the value's
		// dynamic type is.
		if obj = devirtualise(cc); obj == nil {
			if call, ok := instr.(*ssa.Call); ok && cc.Value == v && f.mode[v] == asValue && f.part[v] == 0 && f.a.mayHold(call.Type()) {
				f.invoked = append(f.invoked, call)
			}
			return
		}
		args = append([]ssa.Value{cc.Value}, cc.Args...)
		if !slices.Contains(args, v) {
			return
		}
	} else {
		if b, ok := cc.Value.(*ssa.Builtin); ok {
			f.builtin(instr, b, cc, result, v)
			return
		}
		callee := cc.StaticCallee()
		if callee == nil || !slices.Contains(cc.Args, v) {
			return // calling v, or a call through a func value: not retention
		}
		if callee.Parent() != nil {
			// A func literal of this function called in place: follow v in.
			for i, a := range cc.Args {
				if a == v {
					f.add(callee.Params[i], f.mode[v], f.part[v])
				}
			}
			return
		}
		obj = funcObject(callee)
	}
	if obj == nil || f.a.cfg.IsSpawner(obj) {
		return // a spawner joins what it is given
	}
	reg := f.a.table[obj.FullName()]
	for i, a := range args {
		if a != v {
			continue
		}
		if f.a.callsParam(obj, i) {
			f.called = true
		}
		for _, ps := range f.a.calleeSinks(obj, reg, i) {
			// A sink of a part of the parameter applies to a container
			// only when the container holds the value in that field.
			if ps.Part > 0 && f.mode[v] == asContainer && !f.holds(v, ps.Part-1) {
				continue
			}
			// Of v itself, the callee's part is that part of the input;
			// of a container, it is where the container holds it.
			p := f.part[v]
			if p == 0 && f.mode[v] != asContainer {
				p = ps.Part
			}
			for _, s := range ps.Sinks {
				f.callSink(instr, args, result, obj, reg, i, s, p, "")
			}
		}
		f.methodSinks(instr, args, obj, reg, i, v)
	}
}

// methodSinks applies the sinks of what the callee gets back from the
// methods of its argument i, the followed value v, when v's dynamic type
// is known and that type's method, declared in the package, returns a
// callback of the package:
//
//	caddy.RegisterModule(Gizmo{}) // keeps Gizmo{}.CaddyModule().New
func (f *flow) methodSinks(instr ssa.CallInstruction, args []ssa.Value, obj *types.Func, reg *registration, i int, v ssa.Value) {
	if reg != nil {
		return
	}
	t := dynamicType(v)
	if t == nil {
		return
	}
	for _, ps := range f.a.calleeMethodSinks(obj, i) {
		m := methodOf(t, obj.Pkg(), ps.Method)
		fn := f.a.index.declared[m]
		if fn == nil || !f.a.returnsCallback(fn) {
			continue // another package's method, or one returning none of ours
		}
		for _, s := range ps.Sinks {
			f.callSink(instr, args, nil, obj, reg, i, s, f.part[v], ps.Method)
		}
	}
}

// dynamicType returns the concrete type of the interface value v when the
// function makes it from one, or nil.
func dynamicType(v ssa.Value) types.Type {
	for {
		switch x := v.(type) {
		case *ssa.MakeInterface:
			return x.X.Type()
		case *ssa.ChangeInterface:
			v = x.X
		default:
			return nil
		}
	}
}

// methodOf returns the method named name of type t, declared on t itself
// (not promoted from an embedded field), or nil. pkg qualifies an
// unexported name.
func methodOf(t types.Type, pkg *types.Package, name string) *types.Func {
	sel := types.NewMethodSet(t).Lookup(pkg, name)
	if sel == nil || len(sel.Index()) > 1 {
		return nil
	}
	fn, _ := sel.Obj().(*types.Func)
	if fn == nil {
		return nil
	}
	return fn.Origin()
}

// args are the call's arguments, the receiver first for a method. via,
// when set, names the method of argument i whose result the sink keeps.
func (f *flow) callSink(instr ssa.CallInstruction, args []ssa.Value, result ssa.Value, obj *types.Func, reg *registration, i int, s sink, p int, via string) {
	if s.Kind == intoCall {
		return // see callsParam
	}
	guard, ok := argGuard(instr.Parent(), s.Guard, args)
	if !ok {
		return // the arguments select a branch that does not reach s
	}
	if s.Kind == intoResult {
		if result != nil {
			f.result(result, s.Index, p)
		}
		return
	}
	if f.a.undoKept(obj, reg, instr) {
		return
	}
	ev := event{kind: evCall, instr: instr, callee: obj, arg: i, sink: s, reg: reg, part: p, guard: guard, via: via}
	if s.Kind != intoParam && s.Kind != intoOwner {
		f.events = append(f.events, ev)
		return
	}
	if s.Index >= len(args) {
		return
	}
	ev.obj = args[s.Index]
	for _, r := range f.a.roots(ev.obj) {
		if r.kind == rootLocal && s.Kind == intoOwner {
			continue // a goroutine of the function's own object goes with it
		}
		if r.kind == rootLocal {
			field := topField(ev.obj, r.local)
			if field < 0 && s.Part > 0 {
				field = s.Part - 1 // the object itself: the callee says which field
			}
			f.fill(r.local, field, p)
			continue
		}
		ev.root = r
		f.events = append(f.events, ev)
	}
}

// builtin follows v through append and copy.
func (f *flow) builtin(instr ssa.CallInstruction, b *ssa.Builtin, cc *ssa.CallCommon, result ssa.Value, v ssa.Value) {
	switch b.Name() {
	case "append":
		if result != nil {
			f.add(result, f.mode[v], f.part[v])
		}
	case "copy":
		if len(cc.Args) == 2 && cc.Args[1] == v {
			f.store(instr, cc.Args[0], f.part[v])
		}
	}
}

// ret records a value of part p returned as result k: by the declared
// function, an event; by a func literal called in place, that result of
// each such call.
func (f *flow) ret(in *ssa.Return, k, p int) {
	fn := in.Parent()
	if fn.Parent() == nil {
		f.events = append(f.events, event{kind: evReturn, instr: in, part: p, result: k})
		return
	}
	f.returned(fn, k, p)
}

// returned follows result k (of part p) of fn at each static call of it
// in the package.
func (f *flow) returned(fn *ssa.Function, k, p int) {
	for _, site := range f.a.index.calls[fn] {
		if call, ok := site.instr.(*ssa.Call); ok {
			f.result(call, k, p)
		}
	}
}

// result follows result k (of part p) of a call: the call's value when it
// has one result, else only what extracts result k, so that a callback
// returned in one result does not travel with the others.
//
//	s, stop := start()
func (f *flow) result(call ssa.Value, k, p int) {
	if _, ok := call.Type().(*types.Tuple); !ok {
		f.add(call, asValue, p)
		return
	}
	for _, ref := range *call.Referrers() {
		if ex, ok := ref.(*ssa.Extract); ok && ex.Index == k {
			f.add(ex, asValue, p)
		}
	}
}

// devirtualise returns the method an interface call runs when the
// interface value is made, in the function, from a value of a known
// concrete type, or nil:
//
//	var k Keeper = globalKeeper{}
//	k.Keep(s.flush) // globalKeeper.Keep, with its summary or fact
func devirtualise(cc *ssa.CallCommon) *types.Func {
	mi, ok := cc.Value.(*ssa.MakeInterface)
	if !ok || cc.Method == nil {
		return nil
	}
	sel := types.NewMethodSet(mi.X.Type()).Lookup(cc.Method.Pkg(), cc.Method.Name())
	if sel == nil {
		return nil
	}
	fn, _ := sel.Obj().(*types.Func)
	if fn == nil || len(sel.Index()) > 1 {
		return nil // promoted from an embedded field: its receiver is another value
	}
	return fn.Origin()
}

// funcObject returns the declared function or method that fn is, or an
// instance of; nil for func literals and most synthetic wrappers.
func funcObject(fn *ssa.Function) *types.Func {
	if o := fn.Origin(); o != nil {
		fn = o
	}
	obj, _ := fn.Object().(*types.Func)
	if obj != nil {
		obj = obj.Origin()
	}
	return obj
}

// calleeSinks returns the sinks of argument i of a call of obj, by part
// of the argument: from the table, from the summary of a function of this
// package, or from the fact of a function of another.
func (a *pkgAnalysis) calleeSinks(obj *types.Func, reg *registration, i int) []paramSinks {
	if reg != nil {
		if slices.Contains(reg.args, i) {
			return []paramSinks{{Index: i, Sinks: []sink{reg.sink}}}
		}
		return nil
	}
	if obj.Pkg() == nil || opaque(obj.Pkg().Path()) {
		return nil
	}
	if obj.Pkg() == a.pass.Pkg {
		fn := a.index.declared[obj]
		if fn == nil {
			return nil
		}
		return a.summaries[fn].of(i)
	}
	fact := a.importFact(obj)
	if fact == nil {
		return nil
	}
	return fact.sinksOf(i)
}

// calleeMethodSinks returns the sinks of what a call of obj gets back from
// the methods of its argument i, by method.
func (a *pkgAnalysis) calleeMethodSinks(obj *types.Func, i int) []paramSinks {
	if obj.Pkg() == nil || opaque(obj.Pkg().Path()) {
		return nil
	}
	if obj.Pkg() == a.pass.Pkg {
		if fn := a.index.declared[obj]; fn != nil {
			return a.summaries[fn].methodsOf(i)
		}
		return nil
	}
	if fact := a.importFact(obj); fact != nil {
		return fact.methodSinksOf(i)
	}
	return nil
}

// returnsCallback reports whether fn returns a callback of its package: a
// func literal, a function or method of the package, or a value of one of
// its types as an interface, reaching one of fn's results (whole, or in a
// field: return caddy.ModuleInfo{New: func() caddy.Module { ... }}).
// Memoized; a function asked about while its answer is computed is taken
// not to.
func (a *pkgAnalysis) returnsCallback(fn *ssa.Function) bool {
	if r, ok := a.returns[fn]; ok {
		return r
	}
	a.returns[fn] = false
	r := false
	var walk func(g *ssa.Function)
	walk = func(g *ssa.Function) {
		for _, b := range g.Blocks {
			for _, instr := range b.Instrs {
				r = r || a.returnsFrom(fn, instr)
			}
		}
		for _, anon := range g.AnonFuncs {
			walk(anon)
		}
	}
	walk(fn)
	a.returns[fn] = r
	return r
}

// returnsFrom reports whether a callback of the package that instr makes
// or uses reaches a result of fn.
func (a *pkgAnalysis) returnsFrom(fn *ssa.Function, instr ssa.Instruction) bool {
	returned := func(f *flow) bool {
		f.run()
		for _, e := range f.events {
			if e.kind == evReturn && e.instr.Parent() == fn {
				return true
			}
		}
		return false
	}
	switch v := instr.(type) {
	case *ssa.MakeClosure:
		f := a.newFlow()
		f.add(v, asValue, 0)
		if returned(f) {
			return true
		}
	case *ssa.MakeInterface:
		if named := namedOf(v.X.Type()); named != nil && named.Obj().Pkg() == a.pass.Pkg {
			f := a.newFlow()
			f.add(v, asValue, 0)
			if returned(f) {
				return true
			}
		}
	}
	for _, op := range instr.Operands(nil) {
		c, ok := (*op).(*ssa.Function)
		if !ok || (c.Parent() == nil && (c.Pkg == nil || c.Pkg.Pkg != a.pass.Pkg)) {
			continue
		}
		if call, ok := instr.(ssa.CallInstruction); ok && call.Common().Value == c {
			continue // called, not a value
		}
		f := a.newFlow()
		f.mode[c] = asValue
		f.use(instr, c)
		if returned(f) {
			return true
		}
	}
	return false
}

// importFact returns the fact of a function of another package, or nil.
func (a *pkgAnalysis) importFact(obj *types.Func) *retainsFact {
	if f, ok := a.facts[obj]; ok {
		return f
	}
	f := new(retainsFact)
	if !a.pass.ImportObjectFact(obj, f) {
		f = nil
	}
	a.facts[obj] = f
	return f
}

// undoIndex returns the index of the result that undoes a registration:
// the built-in table's entry when there is one, else what the callee's
// signature says; -1 for none.
func undoIndex(reg *registration, callee *types.Func) int {
	if reg != nil {
		return reg.undo
	}
	return undoResult(callee.Signature())
}

// undoKept reports whether a call returns what undoes the registration it
// makes (a cancel or stop func, a *time.Timer, a handle with a Stop or
// Unregister method) and the caller keeps that value rather than
// discarding it.
func (a *pkgAnalysis) undoKept(obj *types.Func, reg *registration, instr ssa.CallInstruction) bool {
	u := undoIndex(reg, obj)
	call, ok := instr.(*ssa.Call)
	if u < 0 || !ok {
		return false // no undo, or a go or defer statement that drops it
	}
	if obj.Signature().Results().Len() == 1 {
		return hasUses(call)
	}
	for _, ref := range *call.Referrers() {
		if ex, ok := ref.(*ssa.Extract); ok && ex.Index == u && hasUses(ex) {
			return true
		}
	}
	return false
}

func hasUses(v ssa.Value) bool {
	refs := v.Referrers()
	if refs == nil {
		return false
	}
	for _, r := range *refs {
		if _, debug := r.(*ssa.DebugRef); !debug {
			return true
		}
	}
	return false
}

// undoNames are the methods by which a returned handle undoes a
// registration.
var undoNames = []string{"Cancel", "Close", "Deregister", "Off", "Release", "Remove", "Stop", "Unregister", "Unsubscribe"}

// undoResult returns the index of the first result that undoes a
// registration, or -1: a func that takes nothing, or a value with one of
// the undoNames methods that takes nothing.
func undoResult(sig *types.Signature) int {
	for i := range sig.Results().Len() {
		t := sig.Results().At(i).Type()
		if fn, ok := t.Underlying().(*types.Signature); ok {
			if fn.Params().Len() == 0 {
				return i
			}
			continue
		}
		for _, name := range undoNames {
			obj, _, _ := types.LookupFieldOrMethod(t, true, nil, name)
			if m, ok := obj.(*types.Func); ok && m.Signature().Params().Len() == 0 {
				return i
			}
		}
	}
	return -1
}

// A callKey names a free variable followed in one mode as one part.
type callKey struct {
	fv   *ssa.FreeVar
	mode mode
	part int
}

// closureCalls reports whether the func literal whose free variable fv
// holds the followed value (in mode m, as part p) calls it: the value
// itself, a callback read out of it, or through a function of the
// package that calls its parameter. Memoized; a literal being asked
// about while its own answer is computed is taken not to call it.
func (a *pkgAnalysis) closureCalls(fv *ssa.FreeVar, m mode, p int) bool {
	k := callKey{fv, m, p}
	if c, ok := a.calls[k]; ok {
		return c
	}
	a.calls[k] = false
	f := a.newFlow()
	f.add(fv, m, p)
	f.run()
	a.calls[k] = f.called
	return f.called
}

// callsParam reports whether a function of the package calls its
// parameter i (or a callback read out of it) before it returns, per its
// summary. Functions of other packages are taken not to: a fact says only
// what a function retains.
func (a *pkgAnalysis) callsParam(obj *types.Func, i int) bool {
	if obj.Pkg() != a.pass.Pkg {
		return false
	}
	fn := a.index.declared[obj]
	return fn != nil && a.summaries[fn].calls(i)
}
