package rawspawn

import (
	"go/ast"
	"go/token"
	"go/types"
	"strconv"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ast/inspector"
	"golang.org/x/tools/go/types/typeutil"

	"github.com/reloadvet/reloadvet/internal/config"
)

// A shape is how a spawner takes the func it runs.
type shape int

const (
	noShape shape = iota
	plain         // func(func())
	withCtx       // func(func(context.Context))
)

// shapeOf returns the shape of a spawner, or noShape when it takes
// anything but a single func() or func(context.Context), or returns
// something a rewritten go statement would drop.
func shapeOf(fn *types.Func) shape {
	sig := fn.Signature()
	if sig.Params().Len() != 1 || sig.Results().Len() != 0 || sig.Variadic() {
		return noShape
	}
	inner, ok := sig.Params().At(0).Type().Underlying().(*types.Signature)
	if !ok || inner.Results().Len() != 0 || inner.Variadic() {
		return noShape
	}
	switch inner.Params().Len() {
	case 0:
		return plain
	case 1:
		if isContext(inner.Params().At(0).Type()) {
			return withCtx
		}
	}
	return noShape
}

// isContext reports whether t is context.Context.
func isContext(t types.Type) bool {
	named, ok := types.Unalias(t).(*types.Named)
	return ok && named.Obj().Pkg() != nil && named.Obj().Pkg().Path() == "context" && named.Obj().Name() == "Context"
}

// A fixer builds the suggested fixes of one pass.
type fixer struct {
	pass    *analysis.Pass
	cfg     *config.Config
	funcs   []*types.Func // function spawners of the package and its imports
	methods typeutil.MethodSetCache
	mutated map[*ast.FuncDecl]map[*types.Var]bool
}

func newFixer(pass *analysis.Pass, cfg *config.Config) *fixer {
	return &fixer{pass: pass, cfg: cfg, funcs: funcSpawners(pass, cfg), mutated: map[*ast.FuncDecl]map[*types.Var]bool{}}
}

// funcSpawners returns the spawners that are package-level functions of
// the package or of one of its imports.
func funcSpawners(pass *analysis.Pass, cfg *config.Config) []*types.Func {
	var out []*types.Func
	for _, pkg := range append([]*types.Package{pass.Pkg}, pass.Pkg.Imports()...) {
		for _, s := range cfg.Spawners {
			rest, ok := strings.CutPrefix(s, pkg.Path()+".")
			if !ok || !token.IsIdentifier(rest) {
				continue
			}
			if fn, ok := pkg.Scope().Lookup(rest).(*types.Func); ok && cfg.IsSpawner(fn) {
				out = append(out, fn)
			}
		}
	}
	return out
}

// A target is a spawner the go statement can be handed to.
type target struct {
	call  string // how the file calls it there: "h.Go", "s.handle.Go", "core.Spawn"
	shape shape
}

// fix returns the fix that hands a go statement to the one spawner in
// scope, if there is exactly one and the rewrite keeps the meaning.
//
//	go func() { ... }()  =>  h.Go(func(context.Context) { ... })
//	go s.flush(n)        =>  h.Go(func(context.Context) { s.flush(n) })
func (f *fixer) fix(cur inspector.Cursor, stmt *ast.GoStmt) (analysis.SuggestedFix, bool) {
	decl, ok := enclosingDecl(cur)
	if !ok || !f.keepsMeaning(decl, stmt.Call) || f.usesSpawnerValue(stmt.Call) {
		return analysis.SuggestedFix{}, false
	}
	targets := f.targets(cur, decl, stmt.Pos())
	if len(targets) != 1 {
		return analysis.SuggestedFix{}, false // none, or a choice the author must make
	}
	t := targets[0]
	var edits []analysis.TextEdit
	param := ""
	if t.shape == withCtx {
		qual, imp, ok := f.contextQualifier(cur, stmt.Pos())
		if !ok {
			return analysis.SuggestedFix{}, false
		}
		param = qual + ".Context"
		edits = append(edits, imp...)
	}
	call := stmt.Call
	if lit, ok := ast.Unparen(call.Fun).(*ast.FuncLit); ok && len(call.Args) == 0 && lit.Type.Params.NumFields() == 0 && lit.Type.Results == nil {
		// go func() { ... }(): hand the literal itself to the spawner.
		edits = append(edits,
			analysis.TextEdit{Pos: stmt.Go, End: call.Fun.Pos(), NewText: []byte(t.call + "(")},
			analysis.TextEdit{Pos: call.Lparen, End: call.Rparen + 1, NewText: []byte(")")})
		if param != "" {
			at := lit.Type.Params.Opening + 1
			edits = append(edits, analysis.TextEdit{Pos: at, End: at, NewText: []byte(param)})
		}
	} else {
		edits = append(edits,
			analysis.TextEdit{Pos: stmt.Go, End: call.Pos(), NewText: []byte(t.call + "(func(" + param + ") { ")},
			analysis.TextEdit{Pos: call.End(), End: call.End(), NewText: []byte(" })")})
	}
	return analysis.SuggestedFix{Message: "Start the goroutine with " + t.call, TextEdits: edits}, true
}

// usesSpawnerValue reports whether the go statement's call mentions a
// value that has a configured spawner among its methods. Such a goroutine
// already works with a spawner's value (it waits on the WaitGroup, starts
// more work on the handle, calls Done on it): handing it to a spawner by
// scope alone could make it wait for itself or count it twice, so the
// rewrite is left to the author.
//
//	go func() { defer close(done); g.wg.Wait() }()  // no fix: g.wg.Go would make Wait wait for this goroutine
func (f *fixer) usesSpawnerValue(call *ast.CallExpr) bool {
	found := false
	ast.Inspect(call, func(n ast.Node) bool {
		if found {
			return false
		}
		var obj types.Object
		switch n := n.(type) {
		case *ast.Ident:
			obj = f.pass.TypesInfo.Uses[n]
		case *ast.SelectorExpr:
			if sel := f.pass.TypesInfo.Selections[n]; sel != nil && sel.Kind() == types.FieldVal {
				obj = sel.Obj()
			}
		}
		if v, ok := obj.(*types.Var); ok && len(f.spawnerMethods(v.Type())) > 0 {
			found = true
		}
		return !found
	})
	return found
}

// enclosingDecl returns the function declaration around a statement.
func enclosingDecl(cur inspector.Cursor) (*ast.FuncDecl, bool) {
	for c := range cur.Enclosing((*ast.FuncDecl)(nil)) {
		return c.Node().(*ast.FuncDecl), true
	}
	return nil, false
}

// targets returns the spawners that can be called at pos, deduplicated:
// through a parameter of an enclosing function, a field of the method's
// receiver, or a function spawner.
func (f *fixer) targets(cur inspector.Cursor, decl *ast.FuncDecl, pos token.Pos) []target {
	var out []target
	add := func(t target) {
		for _, u := range out {
			if u.call == t.call {
				return
			}
		}
		out = append(out, t)
	}
	for c := range cur.Enclosing((*ast.FuncDecl)(nil), (*ast.FuncLit)(nil)) {
		for _, v := range f.params(c.Node()) {
			if f.visible(v, pos) {
				for _, m := range f.spawnerMethods(v.Type()) {
					add(target{v.Name() + "." + m.Name(), shapeOf(m)})
				}
			}
		}
	}
	if recv := f.receiver(decl); recv != nil && f.visible(recv, pos) {
		if st, ok := derefStruct(recv.Type()); ok {
			for i := range st.NumFields() {
				field := st.Field(i)
				for _, m := range f.spawnerMethods(field.Type()) {
					add(target{recv.Name() + "." + field.Name() + "." + m.Name(), shapeOf(m)})
				}
			}
		}
	}
	for _, fn := range f.funcs {
		if call, ok := f.funcCall(cur, fn, pos); ok {
			add(target{call, shapeOf(fn)})
		}
	}
	return out
}

// params returns the named parameters (and receiver) of a function.
func (f *fixer) params(n ast.Node) []*types.Var {
	var lists []*ast.FieldList
	switch n := n.(type) {
	case *ast.FuncDecl:
		lists = []*ast.FieldList{n.Recv, n.Type.Params}
	case *ast.FuncLit:
		lists = []*ast.FieldList{n.Type.Params}
	}
	var out []*types.Var
	for _, list := range lists {
		if list == nil {
			continue
		}
		for _, field := range list.List {
			for _, id := range field.Names {
				if v, ok := f.pass.TypesInfo.Defs[id].(*types.Var); ok && id.Name != "_" {
					out = append(out, v)
				}
			}
		}
	}
	return out
}

func (f *fixer) receiver(decl *ast.FuncDecl) *types.Var {
	if decl.Recv == nil || len(decl.Recv.List) == 0 || len(decl.Recv.List[0].Names) == 0 {
		return nil
	}
	id := decl.Recv.List[0].Names[0]
	v, _ := f.pass.TypesInfo.Defs[id].(*types.Var)
	if id.Name == "_" {
		return nil
	}
	return v
}

// visible reports whether obj's name denotes obj at pos, rather than
// something declared in between.
func (f *fixer) visible(obj types.Object, pos token.Pos) bool {
	inner := f.pass.Pkg.Scope().Innermost(pos)
	if inner == nil {
		return false
	}
	_, found := inner.LookupParent(obj.Name(), pos)
	return found == obj
}

// spawnerMethods returns the configured spawners of usable shape among
// the methods of a value of type t (addressable, as variables are).
func (f *fixer) spawnerMethods(t types.Type) []*types.Func {
	if _, isPtr := t.Underlying().(*types.Pointer); !isPtr && !types.IsInterface(t) {
		t = types.NewPointer(t)
	}
	var out []*types.Func
	mset := f.methods.MethodSet(t)
	for i := range mset.Len() {
		m, ok := mset.At(i).Obj().(*types.Func)
		if ok && (m.Exported() || m.Pkg() == f.pass.Pkg) && f.cfg.IsSpawner(m) && shapeOf(m) != noShape {
			out = append(out, m)
		}
	}
	return out
}

func derefStruct(t types.Type) (*types.Struct, bool) {
	if p, ok := t.Underlying().(*types.Pointer); ok {
		t = p.Elem()
	}
	st, ok := t.Underlying().(*types.Struct)
	return st, ok
}

// funcCall returns how the file refers to a function spawner at pos:
// unqualified in its own package, else through the file's import of it.
func (f *fixer) funcCall(cur inspector.Cursor, fn *types.Func, pos token.Pos) (string, bool) {
	if shapeOf(fn) == noShape {
		return "", false
	}
	if fn.Pkg() == f.pass.Pkg {
		return fn.Name(), f.visible(fn, pos)
	}
	file := fileOf(cur)
	for _, spec := range file.Imports {
		pn := f.pass.TypesInfo.PkgNameOf(spec)
		if pn != nil && pn.Imported() == fn.Pkg() && pn.Name() != "_" && pn.Name() != "." && f.visible(pn, pos) {
			return pn.Name() + "." + fn.Name(), true
		}
	}
	return "", false
}

func fileOf(cur inspector.Cursor) *ast.File {
	for c := range cur.Enclosing((*ast.File)(nil)) {
		return c.Node().(*ast.File)
	}
	return nil
}

// contextQualifier returns the name by which the file can refer to the
// context package at pos, with the edit that imports it when the file
// does not yet.
func (f *fixer) contextQualifier(cur inspector.Cursor, pos token.Pos) (string, []analysis.TextEdit, bool) {
	file := fileOf(cur)
	for _, spec := range file.Imports {
		pn := f.pass.TypesInfo.PkgNameOf(spec)
		if pn != nil && pn.Imported().Path() == "context" {
			if pn.Name() == "_" || pn.Name() == "." || !f.visible(pn, pos) {
				return "", nil, false
			}
			return pn.Name(), nil, true
		}
	}
	// Not imported: the name must be free where it will be used.
	inner := f.pass.Pkg.Scope().Innermost(pos)
	if inner == nil {
		return "", nil, false
	}
	if _, obj := inner.LookupParent("context", pos); obj != nil {
		return "", nil, false
	}
	return "context", importEdits(file, "context"), true
}

// importEdits returns the edits that add an import of path to file: into
// its first import declaration, parenthesizing it if need be, or as a new
// declaration after the package clause.
func importEdits(file *ast.File, path string) []analysis.TextEdit {
	quoted := strconv.Quote(path)
	insert := func(pos token.Pos, text string) analysis.TextEdit {
		return analysis.TextEdit{Pos: pos, End: pos, NewText: []byte(text)}
	}
	for _, decl := range file.Decls {
		gen, ok := decl.(*ast.GenDecl)
		if !ok || gen.Tok != token.IMPORT {
			continue
		}
		if gen.Lparen.IsValid() {
			return []analysis.TextEdit{insert(gen.Lparen+1, "\n\t"+quoted)}
		}
		spec := gen.Specs[0]
		return []analysis.TextEdit{insert(spec.Pos(), "(\n\t"+quoted+"\n\t"), insert(spec.End(), "\n)")}
	}
	return []analysis.TextEdit{insert(file.Name.End(), "\n\nimport "+quoted)}
}
