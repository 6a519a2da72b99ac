package baseline

import (
	"go/ast"
	"go/token"
	"path/filepath"
	"strings"
)

// Enclosing names the declaration of file that holds pos, for a key that
// survives edits elsewhere in the file:
//
//	func Start()                  Start
//	func (s *Server) Stop()       (*Server).Stop
//	func (l List[T]) Len()        List.Len
//	func init()                   init
//	var pool = newPool()          var pool
//	const a, b = 1, 2             const a   (the first name of the spec)
//	type Hooks struct{...}        type Hooks
//	imports, comments between     <file users.go>
//	declarations, the package
//	clause
//
// A function literal belongs to the declaration that holds it. Findings
// outside any declaration are keyed by the file's base name: an import
// stays the same finding while the file's functions change.
func Enclosing(fset *token.FileSet, file *ast.File, pos token.Pos) string {
	for _, decl := range file.Decls {
		if pos < decl.Pos() || pos >= decl.End() {
			continue
		}
		switch d := decl.(type) {
		case *ast.FuncDecl:
			return funcName(d)
		case *ast.GenDecl:
			if name := specName(d, pos); name != "" {
				return name
			}
		}
	}
	return "<file " + filepath.Base(fset.File(file.FileStart).Name()) + ">"
}

// funcName is "F", "T.M" or "(*T).M", without type parameters.
func funcName(d *ast.FuncDecl) string {
	if d.Recv == nil || len(d.Recv.List) == 0 {
		return d.Name.Name
	}
	t := d.Recv.List[0].Type
	ptr := false
	if star, ok := t.(*ast.StarExpr); ok {
		ptr, t = true, star.X
	}
	switch x := t.(type) {
	case *ast.IndexExpr: // T[P]
		t = x.X
	case *ast.IndexListExpr: // T[P, Q]
		t = x.X
	}
	recv := "?"
	if id, ok := t.(*ast.Ident); ok {
		recv = id.Name
	}
	if ptr {
		return "(*" + recv + ")." + d.Name.Name
	}
	return recv + "." + d.Name.Name
}

// specName is "var x", "const x" or "type T" for the spec of d that holds
// pos, or "" for an import or a place between specs.
func specName(d *ast.GenDecl, pos token.Pos) string {
	if d.Tok == token.IMPORT {
		return ""
	}
	for _, spec := range d.Specs {
		// Without parentheses the one spec is the whole declaration,
		// its keyword included.
		ungrouped := !d.Lparen.IsValid()
		if !ungrouped && (pos < spec.Pos() || pos >= spec.End()) {
			continue
		}
		var name string
		switch s := spec.(type) {
		case *ast.ValueSpec:
			name = s.Names[0].Name
		case *ast.TypeSpec:
			name = s.Name.Name
		}
		return strings.ToLower(d.Tok.String()) + " " + name
	}
	return ""
}
