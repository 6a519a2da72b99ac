package rawspawn

import (
	"go/ast"
	"go/token"
	"go/types"
	"go/version"
)

// keepsMeaning reports whether handing call to a spawner as
// func() { call } keeps its meaning. A go statement evaluates the function
// value and the arguments before the goroutine starts; inside the func
// literal they are evaluated when it runs. The two agree when nothing
// those operands read can change in between and evaluating them has no
// effect of its own.
func (f *fixer) keepsMeaning(decl *ast.FuncDecl, call *ast.CallExpr) bool {
	if !f.stableCallee(decl, call.Fun) {
		return false
	}
	for _, arg := range call.Args {
		if !f.stableOperand(decl, arg) {
			return false
		}
	}
	return true
}

// stableCallee reports whether the called function is one of
//
//	func(...) { ... }   a func literal
//	flush, pkg.Flush    a declared function
//	s.flush             a pointer-receiver method of a variable s of pointer
//	                    type that never changes (no copy of *s is made)
func (f *fixer) stableCallee(decl *ast.FuncDecl, fun ast.Expr) bool {
	info := f.pass.TypesInfo
	switch fun := ast.Unparen(fun).(type) {
	case *ast.FuncLit:
		return true
	case *ast.Ident:
		switch info.Uses[fun].(type) {
		case *types.Func, *types.Builtin:
			return true
		}
	case *ast.SelectorExpr:
		if sel, ok := info.Selections[fun]; ok {
			if sel.Kind() != types.MethodVal || len(sel.Index()) != 1 {
				return false
			}
			m := sel.Obj().(*types.Func)
			_, ptrRecv := m.Signature().Recv().Type().Underlying().(*types.Pointer)
			_, ptrX := sel.Recv().Underlying().(*types.Pointer)
			x, isIdent := ast.Unparen(fun.X).(*ast.Ident)
			return ptrRecv && ptrX && isIdent && f.stableVar(decl, x)
		}
		_, isFunc := info.Uses[fun.Sel].(*types.Func) // qualified identifier
		return isFunc
	}
	return false
}

// stableOperand reports whether an argument is a constant, a func
// literal, a declared function or a variable that never changes.
func (f *fixer) stableOperand(decl *ast.FuncDecl, arg ast.Expr) bool {
	info := f.pass.TypesInfo
	if tv, ok := info.Types[arg]; ok && (tv.Value != nil || tv.IsNil()) {
		return true
	}
	switch arg := ast.Unparen(arg).(type) {
	case *ast.FuncLit:
		return true
	case *ast.Ident:
		if _, ok := info.Uses[arg].(*types.Func); ok {
			return true
		}
		return f.stableVar(decl, arg)
	case *ast.SelectorExpr:
		_, isFunc := info.Uses[arg.Sel].(*types.Func)
		_, isSel := info.Selections[arg]
		return isFunc && !isSel // pkg.Func
	}
	return false
}

// stableVar reports whether id denotes a parameter or local variable of
// decl that keeps the value it was declared with: never assigned,
// incremented or ranged into afterwards, and never addressed (explicitly,
// or by calling a pointer method on it), so nothing else can change it.
func (f *fixer) stableVar(decl *ast.FuncDecl, id *ast.Ident) bool {
	v, ok := f.pass.TypesInfo.Uses[id].(*types.Var)
	if !ok || v.IsField() || v.Pos() < decl.Pos() || v.Pos() >= decl.End() {
		return false // not declared in decl: package-level, or unknown
	}
	m, ok := f.mutated[decl]
	if !ok {
		m = mutatedVars(f.pass.TypesInfo, f.pass.Fset, decl)
		f.mutated[decl] = m
	}
	return !m[v]
}

// mutatedVars returns the variables that decl changes after declaring
// them, or whose address it takes.
func mutatedVars(info *types.Info, fset *token.FileSet, decl *ast.FuncDecl) map[*types.Var]bool {
	out := map[*types.Var]bool{}
	mark := func(e ast.Expr) {
		if v := rootVar(info, e); v != nil {
			out[v] = true
		}
	}
	perIteration := true // Go 1.22 and later give each iteration its own range variables
	if file := fset.File(decl.Pos()); file != nil {
		for f, ver := range info.FileVersions {
			if fset.File(f.FileStart) == file {
				perIteration = ver == "" || version.Compare(ver, "go1.22") >= 0
			}
		}
	}
	ast.Inspect(decl, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.AssignStmt:
			for _, lhs := range n.Lhs {
				if id, ok := lhs.(*ast.Ident); ok && n.Tok == token.DEFINE && info.Defs[id] != nil {
					continue // declared here
				}
				mark(lhs)
			}
		case *ast.IncDecStmt:
			mark(n.X)
		case *ast.UnaryExpr:
			if n.Op == token.AND {
				mark(n.X)
			}
		case *ast.RangeStmt:
			if n.Tok == token.ASSIGN || !perIteration {
				for _, e := range []ast.Expr{n.Key, n.Value} {
					if e != nil {
						mark(e)
					}
				}
			}
		case *ast.SelectorExpr:
			// x.m with a pointer method on an addressable x takes &x.
			if sel, ok := info.Selections[n]; ok && sel.Kind() == types.MethodVal {
				_, ptrRecv := sel.Obj().(*types.Func).Signature().Recv().Type().Underlying().(*types.Pointer)
				_, ptrX := sel.Recv().Underlying().(*types.Pointer)
				if ptrRecv && !ptrX {
					mark(n.X)
				}
			}
		}
		return true
	})
	return out
}

// rootVar returns the variable an lvalue or operand is rooted in, through
// field selections, indexing and parentheses: v in v.a[i].b.
func rootVar(info *types.Info, e ast.Expr) *types.Var {
	for {
		switch x := e.(type) {
		case *ast.ParenExpr:
			e = x.X
		case *ast.SelectorExpr:
			if _, ok := info.Selections[x]; !ok {
				return nil // qualified identifier: package-level
			}
			e = x.X
		case *ast.IndexExpr:
			e = x.X
		case *ast.Ident:
			v, _ := info.ObjectOf(x).(*types.Var)
			return v
		default:
			return nil
		}
	}
}
