package unjoined

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ast/inspector"
	"golang.org/x/tools/go/ssa"

	"github.com/reloadvet/reloadvet/internal/joins"
)

// reporter turns verdicts into diagnostics.
type reporter struct {
	pass  *analysis.Pass
	calls map[token.Pos]*ast.CallExpr // by Lparen, built on first use
	names map[token.Pos]string        // variable named by the make call at Lparen
}

func (r *reporter) report(s joins.Spawn, res joins.Result, own *owners) {
	var msg, category string
	var related []analysis.RelatedInformation
	sig := res.Signal
	switch res.Verdict {
	case joins.NotJoined:
		switch {
		case res.Add:
			g := r.name(sig, "the group")
			category = "add-in-goroutine"
			msg = fmt.Sprintf("%s.Add runs inside the goroutine, so %s.Wait can return before it starts", g, g)
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
		if own.waited[f] || !own.decides(r.pass.Pkg, f) {
			return
		}
		category = "no-join"
		msg = "nothing " + r.waits(sig, res.SignalOp)
		if st, field, ok := stopperOf(own, res.Listens); ok {
			category = "stop-without-wait"
			msg = fmt.Sprintf("%s %s but nothing %s", funcName(st.fn), stopVerb(field), r.waits(sig, res.SignalOp))
			related = append(related, analysis.RelatedInformation{Pos: st.pos, Message: "signals the goroutine to stop here"})
		}
	case joins.Silent:
		category = "no-join"
		msg = "it signals no end (Done, close or send) that anything waits for"
		if st, field, ok := stopperOf(own, res.Listens); ok {
			category = "stop-without-wait"
			msg = fmt.Sprintf("%s %s but never waits for the goroutine to return", funcName(st.fn), stopVerb(field))
			related = append(related, analysis.RelatedInformation{Pos: st.pos, Message: "signals the goroutine to stop here"})
		}
	default:
		return
	}
	pos, end := r.spawnRange(s)
	r.pass.Report(analysis.Diagnostic{
		Pos: pos, End: end, Category: category,
		Message: "goroutine is not joined: " + msg,
		Related: related,
	})
}

// stopperOf returns the first function that closes a field the goroutine
// receives from, and that field.
func stopperOf(own *owners, listens []joins.Loc) (stop, *types.Var, bool) {
	for _, l := range listens {
		if f := l.Field(); f != nil {
			if st, ok := own.stopper[f]; ok {
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
