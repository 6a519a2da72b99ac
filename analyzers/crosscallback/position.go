package crosscallback

import (
	"go/ast"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/ssa"
)

// This file maps the SSA instructions of an event back to syntax, to
// report at the narrowest range: the argument or right-hand side that
// hands the callback over, or the callback itself when it is written
// there.

// rangeOf returns the range to report an event of a seed at, and whether
// the seed itself is written inside it.
func (c *checker) rangeOf(s seed, e event) (pos, end token.Pos, inRange bool) {
	var candidates []ast.Expr
	var fallback ast.Expr
	switch e.kind {
	case evCall:
		if call := c.callExprOf(e.instr); call != nil {
			candidates, fallback = c.argExprs(call, e.arg, e.callee), call.Fun
		}
	case evStore:
		candidates = c.storedValues(e.instr)
	}
	var target ast.Node = c.pick(candidates, s)
	if target == nil {
		target = fallback
	}
	switch {
	case target == nil && s.expr != nil:
		pos, end = exprRange(s.expr)
		return pos, end, true
	case target == nil:
		return e.instr.Pos(), e.instr.Pos(), false
	case s.expr != nil && contains(target, s.expr):
		pos, end = exprRange(s.expr)
		return pos, end, true
	}
	if s.obj != nil {
		if use := c.useOf(target, s.obj); use != nil {
			return use.Pos(), use.End(), true
		}
	}
	return target.Pos(), target.End(), s.expr == nil
}

// exprRange is the range of an expression, shortened to its signature
// for a func literal.
func exprRange(e ast.Expr) (token.Pos, token.Pos) {
	if lit, ok := e.(*ast.FuncLit); ok {
		return lit.Pos(), lit.Type.End()
	}
	return e.Pos(), e.End()
}

func contains(outer ast.Node, inner ast.Node) bool {
	return outer.Pos() <= inner.Pos() && inner.End() <= outer.End()
}

// pick returns the candidate that holds the seed: the one it is written
// in, else the first.
func (c *checker) pick(candidates []ast.Expr, s seed) ast.Expr {
	for _, e := range candidates {
		if s.expr != nil && contains(e, s.expr) {
			return e
		}
		if s.obj != nil && c.useOf(e, s.obj) != nil {
			return e
		}
	}
	if len(candidates) > 0 {
		return candidates[0]
	}
	return nil
}

// useOf returns the expression in n that refers to obj: an identifier or
// a qualified identifier.
func (c *checker) useOf(n ast.Node, obj types.Object) ast.Expr {
	var found ast.Expr
	ast.Inspect(n, func(n ast.Node) bool {
		if found != nil {
			return false
		}
		switch n := n.(type) {
		case *ast.SelectorExpr:
			if c.a.pass.TypesInfo.Uses[n.Sel] == obj {
				found = n
			}
		case *ast.Ident:
			if c.a.pass.TypesInfo.Uses[n] == obj {
				found = n
			}
		}
		return found == nil
	})
	return found
}

// callExprOf returns the call expression of a call, go or defer
// instruction.
func (c *checker) callExprOf(instr ssa.Instruction) *ast.CallExpr {
	for _, n := range c.pathAt(instr.Pos()) {
		switch n := n.(type) {
		case *ast.CallExpr:
			if n.Lparen == instr.Pos() {
				return n
			}
		case *ast.GoStmt:
			return n.Call
		case *ast.DeferStmt:
			return n.Call
		}
	}
	return nil
}

// argExprs returns the argument expressions that SSA argument i of a call
// of callee comes from: the receiver of a method call, one argument, or
// every argument packed into a variadic slice.
func (c *checker) argExprs(call *ast.CallExpr, i int, callee *types.Func) []ast.Expr {
	j := i
	if sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr); ok {
		if s, ok := c.a.pass.TypesInfo.Selections[sel]; ok && s.Kind() == types.MethodVal {
			if i == 0 {
				return []ast.Expr{sel.X}
			}
			j = i - 1
		}
	}
	sig := callee.Signature()
	if sig.Variadic() && !call.Ellipsis.IsValid() && j == sig.Params().Len()-1 && j <= len(call.Args) {
		return call.Args[j:]
	}
	if j >= 0 && j < len(call.Args) {
		return []ast.Expr{call.Args[j]}
	}
	return nil
}

// argExprText returns the source of the object a call retains its
// argument into.
func (c *checker) argExprText(e event) string {
	if call := c.callExprOf(e.instr); call != nil {
		if args := c.argExprs(call, e.sink.Index, e.callee); len(args) == 1 {
			return types.ExprString(args[0])
		}
	}
	return "its argument"
}

// heldObject returns the object a call retains into as the code holds it:
// for a method promoted from an embedded field, the receiver rather than
// the embedded field SSA selects out of it.
//
//	t.Cleanup(f) // t, a *testing.T; not t.common, the *testing.common declaring Cleanup
func (c *checker) heldObject(e event) ssa.Value {
	obj := e.obj
	for range c.implicitSelections(e) {
		switch x := obj.(type) {
		case *ssa.FieldAddr:
			obj = x.X
		case *ssa.Field:
			obj = x.X
		case *ssa.UnOp:
			// A field embedded by pointer: its address, then a load.
			fa, ok := x.X.(*ssa.FieldAddr)
			if x.Op != token.MUL || !ok {
				return e.obj
			}
			obj = fa.X
		default:
			return e.obj
		}
	}
	return obj
}

// implicitSelections returns how many embedded fields a call that retains
// into its receiver selects implicitly to reach the method: 1 for
// t.Cleanup, promoted from testing.common.
func (c *checker) implicitSelections(e event) int {
	if e.sink.Index != 0 || e.callee.Signature().Recv() == nil {
		return 0
	}
	call := c.callExprOf(e.instr)
	if call == nil {
		return 0
	}
	sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
	if !ok {
		return 0
	}
	s, ok := c.a.pass.TypesInfo.Selections[sel]
	if !ok || s.Kind() != types.MethodVal {
		return 0
	}
	return len(s.Index()) - 1
}

// storedValues returns the expressions whose values a store, map update
// or send instruction stores.
func (c *checker) storedValues(instr ssa.Instruction) []ast.Expr {
	for _, n := range c.pathAt(instr.Pos()) {
		switch n := n.(type) {
		case *ast.AssignStmt:
			return n.Rhs
		case *ast.SendStmt:
			return []ast.Expr{n.Value}
		case *ast.KeyValueExpr:
			return []ast.Expr{n.Value}
		case *ast.ValueSpec:
			return n.Values
		}
	}
	return nil
}

// exprOf returns the source of the object a store instruction stores
// into: r in r.Handlers = ..., m in m[k] = ..., ch in ch <- ....
func (c *checker) exprOf(pos token.Pos) string {
	for _, n := range c.pathAt(pos) {
		switch n := n.(type) {
		case *ast.AssignStmt:
			if len(n.Lhs) > 0 {
				return types.ExprString(container(n.Lhs[0]))
			}
		case *ast.SendStmt:
			return types.ExprString(n.Chan)
		case *ast.IndexExpr:
			return types.ExprString(n.X)
		}
	}
	return "an object"
}

// container strips the last field selection or indexing off an lvalue.
func container(e ast.Expr) ast.Expr {
	switch e := ast.Unparen(e).(type) {
	case *ast.SelectorExpr:
		return e.X
	case *ast.IndexExpr:
		return e.X
	}
	return e
}

// pkgByPath returns the package with the given path among the package
// being analyzed and its dependencies.
func (a *pkgAnalysis) pkgByPath(path string) *types.Package {
	if a.pkgs == nil {
		a.pkgs = map[string]*types.Package{}
		var visit func(p *types.Package)
		visit = func(p *types.Package) {
			if _, ok := a.pkgs[p.Path()]; ok {
				return
			}
			a.pkgs[p.Path()] = p
			for _, q := range p.Imports() {
				visit(q)
			}
		}
		visit(a.pass.Pkg)
	}
	return a.pkgs[path]
}
