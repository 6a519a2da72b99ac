package starter

import (
	"go/ast"
	"slices"
	"strings"
)

// A Candidate is a method that looks like a spawner: it starts the func it
// is given in a goroutine, and another method of its type waits.
type Candidate struct {
	Name   string // as spawners: entries spell it, "pkg.(*Type).Method"
	Waiter string // the method that waits, "(*Type).Stop"
}

// Candidates returns the spawner-shaped methods declared in one package's
// files, sorted by name. It reads syntax only, so it proposes, and the
// config's reader decides:
//
//	func (h *Handle) Go(f func(context.Context)) {
//		h.wg.Add(1)
//		go func() { defer h.wg.Done(); f(h.ctx) }() // starts its func parameter
//	}
//	func (h *Handle) Stop() { h.cancel(); h.wg.Wait() } // and a sibling waits
func Candidates(pkgPath string, files []*ast.File) []Candidate {
	methods := map[string][]*ast.FuncDecl{} // receiver type name -> methods
	for _, f := range files {
		for _, d := range f.Decls {
			if fd, ok := d.(*ast.FuncDecl); ok && fd.Recv != nil && len(fd.Recv.List) == 1 && fd.Body != nil {
				if name, _ := receiver(fd); name != "" {
					methods[name] = append(methods[name], fd)
				}
			}
		}
	}
	var out []Candidate
	for _, typ := range keys(methods) {
		for _, m := range methods[typ] {
			if !spawnsParam(m) {
				continue
			}
			for _, w := range methods[typ] {
				if w != m && callsWait(w.Body) {
					out = append(out, Candidate{Name: pkgPath + "." + methodName(m), Waiter: methodName(w)})
					break
				}
			}
		}
	}
	slices.SortFunc(out, func(a, b Candidate) int { return strings.Compare(a.Name, b.Name) })
	return out
}

// receiver returns the name of a method's receiver type and whether it is
// a pointer: (h *Handle[T]) is "Handle", true.
func receiver(fd *ast.FuncDecl) (string, bool) {
	t := fd.Recv.List[0].Type
	star, ptr := t.(*ast.StarExpr)
	if ptr {
		t = star.X
	}
	switch x := t.(type) {
	case *ast.IndexExpr:
		t = x.X
	case *ast.IndexListExpr:
		t = x.X
	}
	if id, ok := t.(*ast.Ident); ok {
		return id.Name, ptr
	}
	return "", false
}

// methodName spells a method as spawners: entries do, without the package:
// "(*Handle).Go" or "Pool.Go".
func methodName(fd *ast.FuncDecl) string {
	typ, ptr := receiver(fd)
	if ptr {
		return "(*" + typ + ")." + fd.Name.Name
	}
	return typ + "." + fd.Name.Name
}

// spawnsParam reports whether the method starts one of its func-typed
// parameters in a goroutine: go f(), go func() { ... f() ... }(), or
// g.Go(f) / g.Go(func() { ... f() ... }) on a group.
func spawnsParam(fd *ast.FuncDecl) bool {
	params := map[string]bool{}
	for _, field := range fd.Type.Params.List {
		if _, ok := field.Type.(*ast.FuncType); ok {
			for _, n := range field.Names {
				params[n.Name] = true
			}
		}
	}
	if len(params) == 0 {
		return false
	}
	found := false
	ast.Inspect(fd.Body, func(n ast.Node) bool {
		switch x := n.(type) {
		case *ast.GoStmt:
			found = found || mentions(x.Call, params)
		case *ast.CallExpr:
			if sel, ok := x.Fun.(*ast.SelectorExpr); ok && sel.Sel.Name == "Go" {
				for _, arg := range x.Args {
					found = found || mentions(arg, params)
				}
			}
		}
		return !found
	})
	return found
}

// mentions reports whether n uses one of the named identifiers.
func mentions(n ast.Node, names map[string]bool) bool {
	found := false
	ast.Inspect(n, func(n ast.Node) bool {
		if id, ok := n.(*ast.Ident); ok && names[id.Name] {
			found = true
		}
		return !found
	})
	return found
}

// callsWait reports whether the body calls a method named Wait: the
// WaitGroup's or the errgroup's join.
func callsWait(body *ast.BlockStmt) bool {
	found := false
	ast.Inspect(body, func(n ast.Node) bool {
		if call, ok := n.(*ast.CallExpr); ok {
			if sel, ok := call.Fun.(*ast.SelectorExpr); ok && sel.Sel.Name == "Wait" && len(call.Args) == 0 {
				found = true
			}
		}
		return !found
	})
	return found
}
