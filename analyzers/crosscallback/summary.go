package crosscallback

import (
	"go/token"
	"go/types"
	"slices"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/buildssa"
	"golang.org/x/tools/go/ssa"

	"github.com/reloadvet/reloadvet/internal/config"
	"github.com/reloadvet/reloadvet/internal/facts"
)

// pkgAnalysis holds what one pass computes about its package.
type pkgAnalysis struct {
	pass      *analysis.Pass
	cfg       *config.Config
	table     map[string]*registration
	ssa       *buildssa.SSA
	funcs     []*ssa.Function // the source functions and the package initialiser
	index     *index
	summaries map[*ssa.Function]summary
	facts     map[*types.Func]*retainsFact // imported, nil when none
	holds     map[types.Type]bool          // memo of mayHold
	carry     map[types.Type]bool          // memo of carries
	joins     map[*ssa.Function]bool       // memo of joinsGoroutines
	calls     map[callKey]bool             // memo of closureCalls
	returns   map[*ssa.Function]bool       // memo of returnsCallback
	from      map[*ssa.Function][]int      // which parameter each result is reached from (see resultsFrom)
	stores    map[fieldKey][]*ssa.Store    // built by fieldStores
	pkgs      map[string]*types.Package    // built by pkgByPath
	module    *config.Module               // owner of the package, when checked
}

// index holds lookups over the package's SSA, built once.
type index struct {
	declared map[*types.Func]*ssa.Function        // declared functions by object
	closures map[*ssa.Function][]*ssa.MakeClosure // func literal -> where its closure is made
	calls    map[*ssa.Function][]callSite         // function of the package -> static calls of it
	valued   map[*ssa.Function]bool               // function used as a value, not only called
	callers  map[*ssa.Function][]*ssa.Function    // declared function -> declared functions calling it
}

// A callSite is a static call of a function of the package.
type callSite struct {
	instr ssa.CallInstruction
}

// newIndex indexes the functions of a package. Calls and uses in the
// functions skip reports as false are left out: code in _test.go files,
// unless the config checks tests, so that a test cannot make a package's
// own object look as if it came from outside.
func newIndex(pkg *ssa.Package, funcs []*ssa.Function, skip func(*ssa.Function) bool) *index {
	ix := &index{
		declared: map[*types.Func]*ssa.Function{},
		closures: map[*ssa.Function][]*ssa.MakeClosure{},
		calls:    map[*ssa.Function][]callSite{},
		valued:   map[*ssa.Function]bool{},
		callers:  map[*ssa.Function][]*ssa.Function{},
	}
	for _, fn := range funcs {
		if obj, ok := fn.Object().(*types.Func); ok && fn.Parent() == nil {
			ix.declared[obj] = fn
		}
		outer := outermost(fn)
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				if mc, ok := instr.(*ssa.MakeClosure); ok {
					anon := mc.Fn.(*ssa.Function)
					ix.closures[anon] = append(ix.closures[anon], mc)
				}
				if !skip(fn) {
					ix.instr(pkg, outer, instr)
				}
			}
		}
	}
	return ix
}

func (ix *index) instr(pkg *ssa.Package, outer *ssa.Function, instr ssa.Instruction) {
	var callee ssa.Value
	if mc, ok := instr.(*ssa.MakeClosure); ok {
		callee = mc.Fn
	}
	if call, ok := instr.(ssa.CallInstruction); ok && !call.Common().IsInvoke() {
		if fn := call.Common().StaticCallee(); fn != nil {
			if o := fn.Origin(); o != nil {
				fn = o
			}
			if fn.Pkg == pkg || fn.Parent() != nil {
				ix.calls[fn] = append(ix.calls[fn], callSite{call})
				if fn.Parent() == nil && fn.Object() != nil {
					ix.callers[fn] = append(ix.callers[fn], outer)
				}
			}
		}
		callee = call.Common().Value
	}
	for _, op := range instr.Operands(nil) {
		if fn, ok := (*op).(*ssa.Function); ok && *op != callee {
			ix.valued[fn] = true
		}
	}
}

// outermost returns the declared function a func literal is written in.
func outermost(fn *ssa.Function) *ssa.Function {
	for fn.Parent() != nil {
		fn = fn.Parent()
	}
	return fn
}

// mayHold reports whether a value of type t can hold a callback: a func,
// an interface other than error and reflect.Type, or something containing
// one. Values that cannot are not followed.
func (a *pkgAnalysis) mayHold(t types.Type) bool {
	if h, ok := a.holds[t]; ok {
		return h
	}
	a.holds[t] = false // assumed while recursing into a recursive type
	h := a.computeHold(t)
	a.holds[t] = h
	return h
}

func (a *pkgAnalysis) computeHold(t types.Type) bool {
	switch t := t.(type) {
	case *types.Alias:
		return a.mayHold(types.Unalias(t))
	case *types.Named:
		if isDescriptor(t) {
			return false
		}
		return a.mayHold(t.Underlying())
	case *types.TypeParam, *types.Signature:
		return true
	case *types.Interface:
		return true
	case *types.Pointer:
		return a.mayHold(t.Elem())
	case *types.Slice:
		return a.mayHold(t.Elem())
	case *types.Array:
		return a.mayHold(t.Elem())
	case *types.Chan:
		return a.mayHold(t.Elem())
	case *types.Map:
		return a.mayHold(t.Key()) || a.mayHold(t.Elem())
	case *types.Struct:
		for i := range t.NumFields() {
			if a.mayHold(t.Field(i).Type()) {
				return true
			}
		}
	case *types.Tuple:
		for i := range t.Len() {
			if a.mayHold(t.At(i).Type()) {
				return true
			}
		}
	}
	return false
}

// carries reports whether a part of type t read out of a followed value
// can itself be a callback worth following: a func, a pointer to one, a
// collection of them, or a struct with such a field (one level deep).
// Interfaces are not: the parts of a data structure typed as interfaces
// (a types.Type, an ast.Node) are data far more often than callbacks.
func (a *pkgAnalysis) carries(t types.Type) bool {
	if c, ok := a.carry[t]; ok {
		return c
	}
	c := carriesDepth(t, 2)
	a.carry[t] = c
	return c
}

func carriesDepth(t types.Type, depth int) bool {
	if depth < 0 {
		return false
	}
	switch u := types.Unalias(t).Underlying().(type) {
	case *types.Signature:
		return true
	case *types.TypeParam:
		return true
	case *types.Pointer:
		return carriesDepth(u.Elem(), depth)
	case *types.Slice:
		return carriesDepth(u.Elem(), depth)
	case *types.Array:
		return carriesDepth(u.Elem(), depth)
	case *types.Chan:
		return carriesDepth(u.Elem(), depth)
	case *types.Map:
		return carriesDepth(u.Elem(), depth)
	case *types.Tuple:
		for i := range u.Len() {
			if carriesDepth(u.At(i).Type(), depth) {
				return true
			}
		}
	case *types.Struct:
		for i := range u.NumFields() {
			if carriesDepth(u.Field(i).Type(), depth-1) {
				return true
			}
		}
	}
	return false
}

// isDescriptor reports whether a named type describes values rather than
// holding them: error values and type descriptors are data, and following
// them would make every reflection-based encoder look like it keeps what
// it encodes.
func isDescriptor(t *types.Named) bool {
	obj := t.Obj()
	if obj.Pkg() == nil {
		return obj.Name() == "error"
	}
	switch obj.Pkg().Path() {
	case "reflect":
		return obj.Name() == "Type" || obj.Name() == "rtype"
	case "internal/abi":
		return true
	}
	return false
}

// summarizeAll computes the summary of every declared function of the
// package, to a fixed point over the calls among them.
func (a *pkgAnalysis) summarizeAll() {
	var queue []*ssa.Function
	queued := map[*ssa.Function]bool{}
	for _, fn := range a.funcs {
		if fn.Parent() == nil {
			queue = append(queue, fn)
			queued[fn] = true
		}
	}
	// Summaries only grow, so this terminates; the budget bounds the
	// work on pathological call graphs.
	budget := 20*len(queue) + 100
	for len(queue) > 0 && budget > 0 {
		fn := queue[0]
		queue = queue[1:]
		queued[fn] = false
		budget--
		s := a.summarize(fn)
		from := a.resultsFrom(fn)
		if s.equal(a.summaries[fn]) && slices.Equal(from, a.from[fn]) {
			continue
		}
		a.summaries[fn] = s
		a.from[fn] = from
		clear(a.calls) // answers of closureCalls may change with it
		for _, caller := range a.index.callers[fn] {
			if !queued[caller] {
				queued[caller] = true
				queue = append(queue, caller)
			}
		}
	}
}

// summarize follows each parameter of a declared function that can hold
// a callback and returns where it, and the parts read out of it, go.
func (a *pkgAnalysis) summarize(fn *ssa.Function) summary {
	s := summary{}
	for i, p := range fn.Params {
		if !a.mayHold(p.Type()) {
			continue
		}
		f := a.newFlow()
		f.add(p, asValue, 0)
		f.run()
		if f.called {
			key := summaryKey{Param: i}
			if s[key] == nil {
				s[key] = sinkSet{}
			}
			s[key][sink{Kind: intoCall}] = true
		}
		for _, e := range f.events {
			k, ok := a.sinkOf(fn, i, e)
			if !ok {
				continue
			}
			if k.Guard, ok = eventGuard(fn, e); !ok {
				continue // on a path that cannot run
			}
			key := summaryKey{Param: i, Part: e.part}
			if s[key] == nil {
				s[key] = sinkSet{}
			}
			s[key][k] = true
		}
		for _, call := range f.invoked {
			a.summarizeInvoked(s, fn, i, call)
		}
	}
	return s
}

// resultsFrom returns, for each result of fn that can hold a callback,
// the parameter it is reached from on every path that returns, or -1
// (nil when no result is): a getter's result is part of its receiver.
// A recursive call of fn counts as returning what the other paths do.
//
//	func GetConfig(c *caddy.Controller) *Config {
//		ctx := c.Context().(*dnsContext)        // result#0 from param#0
//		if cfg, ok := ctx.keysToConfigs[key]; ok {
//			return cfg
//		}
//		...
//		return GetConfig(c)
//	}
func (a *pkgAnalysis) resultsFrom(fn *ssa.Function) []int {
	n := fn.Signature.Results().Len()
	if n == 0 || len(fn.Blocks) == 0 {
		return nil
	}
	from := make([]int, n)
	found := false
	for k := range n {
		from[k] = -1
		if !a.mayHold(fn.Signature.Results().At(k).Type()) {
			continue
		}
		param, ok := -1, true
		for _, b := range fn.Blocks {
			ret, isRet := b.Instrs[len(b.Instrs)-1].(*ssa.Return)
			if !isRet || !ok {
				continue
			}
			for _, r := range a.roots(ret.Results[k]) {
				switch {
				case r.kind == rootLocal && isCallOf(r.local, fn):
					// recursion: what the other paths return
				case r.kind == rootParam && (param < 0 || param == r.index):
					param = r.index
				default:
					ok = false
				}
			}
		}
		if ok && param >= 0 {
			from[k], found = param, true
		}
	}
	if !found {
		return nil
	}
	return from
}

// isCallOf reports whether v is a static call of fn, or a result of one.
func isCallOf(v ssa.Value, fn *ssa.Function) bool {
	if ex, ok := v.(*ssa.Extract); ok {
		v = ex.Tuple
	}
	call, ok := v.(*ssa.Call)
	return ok && call.Common().StaticCallee() == fn
}

// calleeFrom returns which parameter result k of a static call is reached
// from, per the summary of a function of the package or the fact of
// another's, or -1.
func (a *pkgAnalysis) calleeFrom(call *ssa.Call, k int) int {
	callee := call.Common().StaticCallee()
	if callee == nil || call.Common().IsInvoke() {
		return -1
	}
	if callee.Pkg == a.ssa.Pkg || callee.Parent() != nil {
		if o := callee.Origin(); o != nil {
			callee = o
		}
		return resultFrom(a.from[callee], k)
	}
	obj := funcObject(callee)
	if obj == nil || obj.Pkg() == nil || opaque(obj.Pkg().Path()) {
		return -1
	}
	if fact := a.importFact(obj); fact != nil {
		return resultFrom(fact.From, k)
	}
	return -1
}

// summarizeInvoked adds to s where the function puts what a method of
// parameter i returns (an interface whose dynamic type it does not know):
//
//	func RegisterModule(instance Module) {
//		mod := instance.CaddyModule()
//		modules[mod.ID] = mod // retains(instance.CaddyModule(): global caddy)
//	}
//
// A caller that passes a value of a known type whose method returns a
// callback of its own applies these sinks (see flow.methodSinks). Only
// retention counts: a result passed on to the function's own result, or
// called, is not followed.
func (a *pkgAnalysis) summarizeInvoked(s summary, fn *ssa.Function, i int, call *ssa.Call) {
	f := a.newFlow()
	f.add(call, asValue, 0)
	f.run()
	for _, e := range f.events {
		if e.kind == evReturn {
			continue
		}
		k, ok := a.sinkOf(fn, i, e)
		if !ok || k.Kind == intoResult {
			continue
		}
		if k.Guard, ok = eventGuard(fn, e); !ok {
			continue
		}
		key := summaryKey{Param: i, Method: call.Call.Method.Name()}
		if s[key] == nil {
			s[key] = sinkSet{}
		}
		s[key][k] = true
	}
}

// sinkOf turns an event of parameter i of fn into a sink of its summary.
func (a *pkgAnalysis) sinkOf(fn *ssa.Function, i int, e event) (sink, bool) {
	switch e.kind {
	case evStore:
		return a.rootSink(fn, e.root, e.obj, 0, i)
	case evCall:
		switch e.sink.Kind {
		case intoParam:
			return a.rootSink(fn, e.root, e.obj, e.sink.Part, i)
		case intoOwner:
			if e.root.kind == rootParam {
				return sink{Kind: intoOwner, Index: e.root.index}, e.root.index != i
			}
			return a.rootSink(fn, e.root, e.obj, 0, i) // a goroutine of a global object
		}
		return e.sink, true
	case evGo:
		if a.joinsGoroutines(e.instr.Parent()) || a.joinsGoroutines(fn) {
			return sink{}, false
		}
		if fn.Signature.Recv() != nil {
			return sink{Kind: intoOwner, Index: 0}, i != 0 // the receiver owns its goroutines
		}
		return sink{Kind: intoGo, Pkg: a.pass.Pkg.Path()}, true
	case evReturn:
		return sink{Kind: intoResult, Index: e.result}, true
	}
	return sink{}, false
}

// eventGuard returns the condition on fn's parameters under which an
// event happens: the branches on parameters its block lies on, and what
// is left of the guard of the callee's sink. Events in func literals are
// taken to happen under any condition.
func eventGuard(fn *ssa.Function, e event) (string, bool) {
	if e.instr.Parent() != fn {
		return "", true
	}
	return guardText(append(blockGuard(fn, e.instr.Block()), e.guard...))
}

// rootSink turns the root of a receiving object into a sink: a global, or
// a parameter (other than self) and the field of it the object lies in.
// part is the field the callee named, when obj is the parameter itself.
func (a *pkgAnalysis) rootSink(fn *ssa.Function, r root, obj ssa.Value, part, self int) (sink, bool) {
	switch r.kind {
	case rootParam:
		s := sink{Kind: intoParam, Index: r.index}
		if field := outerField(obj); field >= 0 {
			part = field + 1
		}
		if part > 0 {
			if name, ok := fieldNameOf(fn.Params[r.index].Type(), part-1); ok {
				s.Part, s.Field = part, name
			}
		}
		return s, r.index != self
	case rootGlobal:
		return sink{Kind: intoGlobal, Pkg: r.global.Pkg.Pkg.Path()}, true
	}
	return sink{}, false
}

// fieldNameOf returns the name of field i of the struct t is or points
// to.
func fieldNameOf(t types.Type, i int) (string, bool) {
	if p, ok := t.Underlying().(*types.Pointer); ok {
		t = p.Elem()
	}
	st, ok := t.Underlying().(*types.Struct)
	if !ok || i >= st.NumFields() {
		return "", false
	}
	return st.Field(i).Name(), true
}

// joinsGoroutines reports whether fn waits for something it started: it
// calls Wait on a sync.WaitGroup or an errgroup.Group, or receives from a
// channel it made. Goroutines started by such a function are taken to be
// joined before it returns.
func (a *pkgAnalysis) joinsGoroutines(fn *ssa.Function) bool {
	if j, ok := a.joins[fn]; ok {
		return j
	}
	j := false
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			if a.waits(instr) {
				j = true
			}
		}
	}
	a.joins[fn] = j
	return j
}

// waits reports whether instr is one of
//
//	wg.Wait()         on a sync.WaitGroup or errgroup.Group
//	<-ch, v, ok := <-ch, range ch, select { case <-ch: }  on a channel of its own
func (a *pkgAnalysis) waits(instr ssa.Instruction) bool {
	switch in := instr.(type) {
	case *ssa.Call:
		if callee := in.Common().StaticCallee(); callee != nil {
			if fn := funcObject(callee); fn != nil {
				name := fn.FullName()
				return name == "(*sync.WaitGroup).Wait" || name == "(*golang.org/x/sync/errgroup.Group).Wait"
			}
		}
	case *ssa.UnOp:
		return in.Op == token.ARROW && a.madeHere(in.X)
	case *ssa.Select:
		for _, st := range in.States {
			if st.Dir == types.RecvOnly && a.madeHere(st.Chan) {
				return true
			}
		}
	}
	return false
}

// madeHere reports whether a channel belongs to the function: made by
// it, or held by an object it allocated (the signal channel of a
// testing.T that Run makes), rather than passed in or global.
func (a *pkgAnalysis) madeHere(ch ssa.Value) bool {
	for _, r := range a.roots(ch) {
		if r.kind == rootLocal {
			return true
		}
	}
	return false
}

// exportFacts exports the summary of each declared function that retains
// a parameter.
func (a *pkgAnalysis) exportFacts() {
	for _, fn := range a.funcs {
		s := a.summaries[fn]
		obj, ok := fn.Object().(*types.Func)
		if (len(s) == 0 && a.from[fn] == nil) || !ok || fn.Parent() != nil {
			continue
		}
		fact := &retainsFact{Method: fn.Signature.Recv() != nil, From: a.from[fn]}
		for i, p := range fn.Params {
			for _, ps := range s.of(i) {
				ps.Sinks = slices.DeleteFunc(ps.Sinks, func(k sink) bool { return k.Kind == intoCall })
				if len(ps.Sinks) == 0 {
					continue // calls, retains nothing: package-local
				}
				ps.Name = p.Name()
				if ps.Part > 0 {
					field, _ := fieldNameOf(p.Type(), ps.Part-1)
					ps.Name += "." + field
				}
				fact.Params = append(fact.Params, ps)
			}
			for _, ps := range s.methodsOf(i) {
				ps.Name = p.Name() + "." + ps.Method + "()"
				fact.Params = append(fact.Params, ps)
			}
		}
		if len(fact.Params) > 0 || fact.From != nil {
			facts.ExportFunc(a.pass, obj, fact)
		}
	}
}
