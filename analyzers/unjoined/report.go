package unjoined

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ast/inspector"
	"golang.org/x/tools/go/ssa"

	"github.com/reloadvet/reloadvet/internal/config"
	"github.com/reloadvet/reloadvet/internal/joins"
	"github.com/reloadvet/reloadvet/internal/scope"
)

// reporter turns verdicts into diagnostics.
type reporter struct {
	pass  *analysis.Pass
	cfg   *config.Config
	unit  scope.Unit
	a     *joins.Analysis
	funcs []*ssa.Function
	own   *owners // built on the first spawn that needs it
	sum   Summary
	calls map[token.Pos]*ast.CallExpr // by Lparen, built on first use
	names map[token.Pos]string        // variable named by the make call at Lparen
}

// owners returns what the package does to its fields, computed once.
func (r *reporter) owners() *owners {
	if r.own == nil {
		r.own = ownersOf(r.a, r.funcs)
	}
	return r.own
}

// check judges one spawn and reports it unless it is joined or cannot be
// decided. helper is the function of another package that the spawn
// calls to start its func argument, or nil.
func (r *reporter) check(s joins.Spawn, helper *types.Func) {
	r.sum.Spawns++
	res := r.a.Check(s)
	switch res.Verdict {
	case joins.Unsure:
		if call, ok := r.droppedResult(s, res); ok {
			r.reportDropped(s, res, call)
			return
		}
		r.sum.NotJudged++
		return
	case joins.Joined:
		r.sum.Joined++
		return
	}
	if res.Verdict == joins.Silent && (r.settle(s, res) == joins.Unsure || returnsUnnamed(r.a, s)) {
		r.sum.NotJudged++
		return
	}
	if res.Verdict == joins.Silent && res.Param >= 0 && helper == nil {
		if r.counted(r.atCallers(s, res.Param)) {
			return
		}
	}
	r.report(s, res, helper)
}

// returnsUnnamed reports whether the goroutine of s sends on a channel the
// analysis cannot name while its spawning function returns a channel: the
// end signal may be on the channel the callers are handed, which they may
// wait on.
//
//	ch := make(chan Result, 1); c.chans = append(c.chans, ch)
//	go g.doCall(c, key, fn)   // sends on each of c.chans
//	return ch
func returnsUnnamed(a *joins.Analysis, s joins.Spawn) bool {
	res := s.Instr.Parent().Signature.Results()
	returnsChan := false
	for i := range res.Len() {
		if _, ok := res.At(i).Type().Underlying().(*types.Chan); ok {
			returnsChan = true
		}
	}
	return returnsChan && a.SendsUnnamed(s.Body())
}

// atCallers judges a helper of the package that starts the func it is
// given (parameter param) by the funcs its callers give it, when the
// package is all there is to call it: an unexported function that is only
// called. It returns Joined when every call gives a func that is joined
// there, Unsure when none gives one that is not but some cannot be
// judged, and NotJoined otherwise (a caller gives a func nothing waits
// for, or the helper may be called from elsewhere): then the finding stays
// at the helper.
//
//	func (g *onDemand) start(run func()) { go run() }
//	g.start(l.loop)   // loop closes g.exited as it returns; Stop waits for it
func (r *reporter) atCallers(s joins.Spawn, param int) joins.Verdict {
	fn := s.Instr.Parent()
	if fn.Parent() != nil || fn.Object() == nil || fn.Object().Exported() {
		return joins.NotJoined
	}
	calls, ok := r.callsOf(fn)
	if !ok || len(calls) == 0 {
		return joins.NotJoined // no caller in the package, or called who knows where
	}
	verdict := joins.Joined
	for _, call := range calls {
		hs, ok := joins.HelperSpawn(call, param)
		if !ok {
			return joins.NotJoined
		}
		switch r.settle(hs, r.a.Check(hs)) {
		case joins.NotJoined:
			return joins.NotJoined
		case joins.Unsure:
			verdict = joins.Unsure
		}
	}
	return verdict
}

// counted counts a spawn that v settles, joined or not judged, and reports
// whether it did; a NotJoined spawn is left to be reported.
func (r *reporter) counted(v joins.Verdict) bool {
	switch v {
	case joins.Joined:
		r.sum.Joined++
	case joins.Unsure:
		r.sum.NotJudged++
	default:
		return false
	}
	return true
}

// settle turns Check's result for s into Joined, Unsure (not decidable)
// or NotJoined by what the package does around it: an owner's field that
// is waited on or cannot be decided, and unknown code that could hide a
// join.
func (r *reporter) settle(s joins.Spawn, res joins.Result) joins.Verdict {
	switch res.Verdict {
	case joins.Joined, joins.Unsure:
		return res.Verdict
	case joins.Owned:
		own := r.owners()
		if own.waitedAt(r.pass.Pkg, res.Signal) {
			return joins.Joined
		}
		if !own.decidesLoc(r.pass.Pkg, res.Signal) {
			return joins.Unsure
		}
	case joins.Silent:
		own := r.owners()
		if own.reachWaited(r.pass.Pkg, res.Reach, codeOf(s)) || len(res.Notify) > 0 && own.notifyWaited(res.Notify, codeOf(s)) || r.invokedWaiter(s) {
			return joins.Unsure
		}
	}
	return joins.NotJoined
}

func (r *reporter) report(s joins.Spawn, res joins.Result, helper *types.Func) {
	own := r.owners()
	var msg, category string
	var related []analysis.RelatedInformation
	var waitIn *ssa.Function // where to wait, for the way out
	stopper := false         // waitIn is the function that signals stop
	sig := res.Signal
	switch res.Verdict {
	case joins.NotJoined:
		waitIn = s.Instr.Parent()
		switch {
		case res.Add:
			g := r.name(sig, "the group")
			category = "add-in-goroutine"
			msg = fmt.Sprintf("%s.Add runs inside the goroutine, so %s.Wait can return before it starts", g, g)
			waitIn = nil
		case res.Escape != nil:
			category = "skipped-join"
			ret := joins.Pos(res.Escape)
			line := r.pass.Fset.Position(ret).Line
			what := "the function"
			if res.Select != nil {
				what = "the select"
				related = append(related, analysis.RelatedInformation{Pos: res.Select.Pos(), Message: "this select can take another case"})
			}
			msg = fmt.Sprintf("%s can return at line %d without %s", what, line, r.waiting(sig, res.SignalOp))
			related = append(related, analysis.RelatedInformation{Pos: ret, Message: "returns here without waiting for the goroutine"})
		default:
			category = "no-join"
			msg = "nothing " + r.waits(sig, res.SignalOp)
		}
	case joins.Owned:
		f := sig.Field()
		// A stop that starts the goroutine itself and waits for it keeps
		// its wait even where a failed call can skip it: such a skip is
		// most often a check that returns before the spawn.
		if sk, ok := own.skipped[f]; ok && sk.fn == topFunc(s.Instr.Parent()) {
			r.sum.Joined++
			return
		}
		if r.counted(r.settle(s, res)) {
			return
		}
		category = "no-join"
		msg = "nothing " + r.waits(sig, res.SignalOp)
		if f.Pkg() != r.pass.Pkg {
			// The signal is another package's (http.Server's listener
			// group, marked done as Serve returns).
			msg = fmt.Sprintf("it %s inside %s (%s), and nothing joined waits on it", r.signals(sig, res.SignalOp), own.holder(r.pass.Pkg, sig).Name(), f.Pkg().Path())
		}
		if sk, ok := own.skipped[f]; ok {
			category = "skipped-join"
			ret := joins.Pos(sk.ret)
			name := funcName(sk.fn)
			if sk.fn.Parent() == nil {
				name = methodName(sk.fn)
			}
			msg = fmt.Sprintf("%s can return at line %d without %s", name, r.pass.Fset.Position(ret).Line, r.waiting(sig, res.SignalOp))
			related = append(related, analysis.RelatedInformation{Pos: ret, Message: "returns here without waiting for the goroutine"})
			waitIn = sk.fn
		} else if st, field, ok := stopperOf(r.pass.Pkg, own, res.Listens); ok {
			category = "stop-without-wait"
			msg = fmt.Sprintf("%s %s but nothing %s", funcName(st.fn), stopVerb(field), r.waits(sig, res.SignalOp))
			related = append(related, analysis.RelatedInformation{Pos: st.pos, Message: "signals the goroutine to stop here"})
			waitIn, stopper = st.fn, true
		}
		if res.Waiter != nil {
			related = append(related, analysis.RelatedInformation{Pos: res.Waiter.Pos(), Message: "this goroutine waits for it, and nothing waits for this one"})
		}
	case joins.Silent:
		category = "no-join"
		msg = "it signals no end (Done, close or send) that anything waits for"
		if len(res.Reach) > 0 {
			msg = "nothing waits for it to return"
		}
		waitIn = s.Instr.Parent()
		early := res.Early.Root != nil
		if early {
			category = "early-signal"
			msg = fmt.Sprintf("it %s before more of its work, so %s does not wait for it to return", r.signals(res.Early, res.EarlyOp), r.waiting(res.Early, res.EarlyOp))
		}
		if early && res.EarlyOp == joins.OpDone {
			// A Done too soon: the wait is there, the signal is not at
			// the end. (A close or send is more often a "started" or
			// each item of a loop: the waiting is what is missing.)
			msg += ": make that its last act"
			waitIn = nil
		} else if st, field, ok := stopperOf(r.pass.Pkg, own, res.Listens); ok {
			category = "stop-without-wait"
			msg = fmt.Sprintf("%s %s but never waits for the goroutine to return", funcName(st.fn), stopVerb(field))
			related = append(related, analysis.RelatedInformation{Pos: st.pos, Message: "signals the goroutine to stop here"})
			waitIn, stopper = st.fn, true
		}
		if res.Param >= 0 && helper == nil {
			msg = funcName(topFunc(s.Instr.Parent())) + " starts the func it is given and nothing waits for it to return"
		}
	default:
		return
	}
	if helper != nil {
		msg = qualifiedName(helper) + " starts it, and " + lowerFirst(msg)
	}
	pos, end := r.spawnRange(s)
	r.sum.Reported++
	r.pass.Report(analysis.Diagnostic{
		Pos: pos, End: end, Category: category,
		Message: r.subject() + " is not joined: " + msg + r.wayOut(waitIn, stopper),
		Related: related,
	})
}

// droppedResult reports whether the end signal of the goroutine leaves
// its unexported spawning function only as a result that every caller in
// the package drops, and returns one such call.
//
//	func start() <-chan struct{} { done := ...; go ...; return done }
//	func (s *S) Run() { start() }   // nobody receives from done
func (r *reporter) droppedResult(s joins.Spawn, res joins.Result) (*ssa.Call, bool) {
	fn := s.Instr.Parent()
	if res.Returned < 0 || res.Signal.Root == nil || fn.Parent() != nil || fn.Object() == nil || fn.Object().Exported() {
		return nil, false
	}
	calls, ok := r.callsOf(fn)
	if !ok || len(calls) == 0 {
		return nil, false
	}
	for _, call := range calls {
		if usesResult(call, res.Returned) {
			return nil, false
		}
	}
	return calls[0], true
}

// callsOf returns the calls of fn in the package, and false when fn is
// also used as a value (called who knows where).
func (r *reporter) callsOf(fn *ssa.Function) ([]*ssa.Call, bool) {
	var calls []*ssa.Call
	for _, caller := range r.funcs {
		for _, f := range withClosures(caller) {
			for _, b := range f.Blocks {
				for _, instr := range b.Instrs {
					if call, ok := instr.(*ssa.Call); ok && call.Call.StaticCallee() == fn && call.Call.Value == fn {
						if !refersTo(call.Call.Args, fn) {
							calls = append(calls, call)
							continue
						}
					}
					if refersTo(operands(instr), fn) {
						return nil, false
					}
				}
			}
		}
	}
	return calls, true
}

// operands returns the values instr uses.
func operands(instr ssa.Instruction) []ssa.Value {
	var vs []ssa.Value
	for _, op := range instr.Operands(nil) {
		if op != nil {
			vs = append(vs, *op)
		}
	}
	return vs
}

// refersTo reports whether fn is among the values.
func refersTo(vs []ssa.Value, fn *ssa.Function) bool {
	for _, v := range vs {
		if v == fn {
			return true
		}
	}
	return false
}

// usesResult reports whether the k-th result of call is used.
func usesResult(call *ssa.Call, k int) bool {
	refs := call.Referrers()
	if refs == nil {
		return false
	}
	if call.Call.Signature().Results().Len() == 1 {
		return len(*refs) > 0
	}
	for _, ref := range *refs {
		if ext, ok := ref.(*ssa.Extract); ok && ext.Index == k {
			if er := ext.Referrers(); er != nil && len(*er) > 0 {
				return true
			}
		}
	}
	return false
}

// reportDropped reports a goroutine whose end signal is returned and
// dropped by every caller.
func (r *reporter) reportDropped(s joins.Spawn, res joins.Result, call *ssa.Call) {
	fn := s.Instr.Parent()
	pos, end := r.spawnRange(s)
	r.sum.Reported++
	r.pass.Report(analysis.Diagnostic{
		Pos: pos, End: end, Category: "no-join",
		Message: fmt.Sprintf("%s is not joined: nothing %s: %s returns it and every caller drops it%s",
			r.subject(), r.waits(res.Signal, res.SignalOp), methodName(fn), r.wayOut(nil, false)),
		Related: []analysis.RelatedInformation{{Pos: call.Pos(), Message: "drops the result here"}},
	})
}

// subject names the goroutine by its module: "goroutine of module api",
// or "goroutine" without a config.
func (r *reporter) subject() string {
	if r.unit.Module != nil {
		return "goroutine of module " + r.unit.Module.Name
	}
	return "goroutine"
}

// wayOut completes a message with what would join the goroutine: the
// configured spawners, and the function that should wait: the stop
// method that signals it (stop), or else the spawning function.
//
//	; start it with core.(*Handle).Go, or wait for it in (*Server).Stop
func (r *reporter) wayOut(waitIn *ssa.Function, stop bool) string {
	var ways []string
	if len(r.cfg.Spawners) > 0 {
		ways = append(ways, "start it with "+r.cfg.SpawnerNames())
	}
	if waitIn != nil && waitIn.Parent() == nil {
		if stop {
			ways = append(ways, "wait for it in "+methodName(waitIn))
		} else {
			ways = append(ways, "wait for it before "+methodName(waitIn)+" returns")
		}
	}
	if len(ways) == 0 {
		return ""
	}
	return "; " + strings.Join(ways, ", or ")
}

// methodName names a function as Go spells it in a message: Start,
// (*Server).Stop, (Ring).Close.
func methodName(fn *ssa.Function) string {
	return recvPrefix(fn.Signature.Recv()) + fn.Name()
}

// qualifiedName names a function of another package: lib.Go,
// lib.(*Pool).Submit.
func qualifiedName(fn *types.Func) string {
	return fn.Pkg().Name() + "." + recvPrefix(fn.Signature().Recv()) + fn.Name()
}

// recvPrefix is what precedes a method's name for its receiver: "(*T)."
// or "(T).", and "" for a function or a receiver of no named type.
func recvPrefix(recv *types.Var) string {
	if recv == nil {
		return ""
	}
	t := recv.Type()
	star := ""
	if p, ok := t.(*types.Pointer); ok {
		t, star = p.Elem(), "*"
	}
	if named, ok := types.Unalias(t).(*types.Named); ok {
		return "(" + star + named.Obj().Name() + ")."
	}
	return ""
}

// topFunc returns the function declared at package level that fn is, or
// is nested in.
func topFunc(fn *ssa.Function) *ssa.Function {
	for fn.Parent() != nil {
		fn = fn.Parent()
	}
	return fn
}

func lowerFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToLower(s[:1]) + s[1:]
}

// stopperOf returns the first function that closes a field the goroutine
// receives from, and that field.
func stopperOf(pkg *types.Package, own *owners, listens []joins.Loc) (stop, *types.Var, bool) {
	for _, l := range listens {
		if f := l.Field(); f != nil {
			if st, ok := own.stopper[own.via(pkg, l)]; ok {
				return st, f, true
			}
		}
	}
	return stop{}, nil, false
}

// stopVerb says what a stopper does: "closes quit".
func stopVerb(field *types.Var) string { return "closes " + field.Name() }

// funcName names a function for a message: a method or function by its
// name, a closure as a func literal in the function it is in.
func funcName(fn *ssa.Function) string {
	if fn.Parent() == nil {
		return fn.Name()
	}
	for fn.Parent() != nil {
		fn = fn.Parent()
	}
	return "a func literal in " + fn.Name()
}

// waits completes "nothing ..." for a signal: "waits on wg", "receives
// from done".
func (r *reporter) waits(l joins.Loc, op joins.Op) string {
	if op == joins.OpDone {
		return "waits on " + r.name(l, "its group")
	}
	return "receives from " + r.name(l, "its channel")
}

// signals says what a goroutine does to give its end signal: "marks wg
// done", "closes done", "sends on out".
func (r *reporter) signals(l joins.Loc, op joins.Op) string {
	switch op {
	case joins.OpDone:
		return "marks " + r.name(l, "its group") + " done"
	case joins.OpClose:
		return "closes " + r.name(l, "its channel")
	}
	return "sends on " + r.name(l, "its channel")
}

// waiting completes "can return ... without ...".
func (r *reporter) waiting(l joins.Loc, op joins.Op) string {
	if op == joins.OpDone {
		return "waiting on " + r.name(l, "its group")
	}
	return "receiving from " + r.name(l, "its channel")
}

// name returns the source name of l, or the fallback.
func (r *reporter) name(l joins.Loc, fallback string) string {
	switch v := l.Root.(type) {
	case *ssa.MakeChan, *ssa.Alloc: // make(chan T), new(T), &T{}
		r.index()
		if n := r.names[v.Pos()]; n != "" && l.Path == "" {
			return n
		}
	}
	if n := l.Name(); n != "" {
		return n
	}
	return fallback
}

// spawnRange returns the narrowest range of a spawn: the go keyword, or
// the Go or TryGo selector.
func (r *reporter) spawnRange(s joins.Spawn) (token.Pos, token.Pos) {
	pos := s.Instr.Pos()
	if _, ok := s.Instr.(*ssa.Go); ok {
		return pos, pos + token.Pos(len("go"))
	}
	r.index()
	if call := r.calls[s.Call.Pos()]; call != nil {
		if sel, ok := call.Fun.(*ast.SelectorExpr); ok {
			return sel.Sel.Pos(), sel.Sel.End()
		}
		return call.Pos(), call.End()
	}
	return pos, pos
}

// index maps call positions to calls, and make calls to the variables they
// initialise:
//
//	ch := make(chan T)      var ch = make(chan T, 1)
func (r *reporter) index() {
	if r.calls != nil {
		return
	}
	r.calls = map[token.Pos]*ast.CallExpr{}
	r.names = map[token.Pos]string{}
	ins := inspector.New(r.pass.Files)
	for c := range ins.Root().Preorder((*ast.CallExpr)(nil), (*ast.AssignStmt)(nil), (*ast.ValueSpec)(nil)) {
		switch n := c.Node().(type) {
		case *ast.CallExpr:
			r.calls[n.Lparen] = n
		case *ast.AssignStmt:
			r.nameMakes(n.Lhs, n.Rhs)
		case *ast.ValueSpec:
			lhs := make([]ast.Expr, len(n.Names))
			for i, id := range n.Names {
				lhs[i] = id
			}
			r.nameMakes(lhs, n.Values)
		}
	}
}

func (r *reporter) nameMakes(lhs, rhs []ast.Expr) {
	if len(lhs) != len(rhs) {
		return
	}
	for i, e := range rhs {
		call, ok := ast.Unparen(e).(*ast.CallExpr)
		if !ok {
			continue
		}
		if id, ok := lhs[i].(*ast.Ident); ok {
			r.names[call.Lparen] = id.Name
		} else if sel, ok := lhs[i].(*ast.SelectorExpr); ok {
			r.names[call.Lparen] = sel.Sel.Name
		}
	}
}
