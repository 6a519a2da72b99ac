// Package declared reads what a package declares from its syntax alone,
// so that names in the config can be checked against the code without
// type-checking it.
package declared

import (
	"go/ast"
	"go/parser"
	"go/token"

	"github.com/reloadvet/reloadvet/internal/config"
)

// Read parses the named Go files of one package and returns its
// package-level functions, its methods and the types whose method sets
// the syntax cannot close.
func Read(files []string) (*config.Declared, error) {
	d := &config.Declared{Funcs: map[string]bool{}, Open: map[string]bool{}}
	fset := token.NewFileSet()
	for _, name := range files {
		f, err := parser.ParseFile(fset, name, nil, parser.SkipObjectResolution)
		if err != nil {
			return nil, err
		}
		for _, decl := range f.Decls {
			switch decl := decl.(type) {
			case *ast.FuncDecl:
				if decl.Name.Name == "init" || decl.Name.Name == "_" {
					continue // cannot be called, so cannot be a spawner
				}
				if decl.Recv == nil || len(decl.Recv.List) == 0 {
					d.Funcs[decl.Name.Name] = true
				} else if typ := recvType(decl.Recv.List[0].Type); typ != "" {
					d.Funcs[typ+"."+decl.Name.Name] = true
				}
			case *ast.GenDecl:
				for _, spec := range decl.Specs {
					if ts, ok := spec.(*ast.TypeSpec); ok {
						typeSpec(d, ts)
					}
				}
			}
		}
	}
	return d, nil
}

// typeSpec records the methods of an interface type and marks the types
// whose method sets hold more than the package's method declarations.
func typeSpec(d *config.Declared, ts *ast.TypeSpec) {
	name := ts.Name.Name
	if ts.Assign.IsValid() {
		d.Open[name] = true // an alias: its methods are declared with the aliased type
		return
	}
	switch t := ts.Type.(type) {
	case *ast.StructType:
		for _, f := range t.Fields.List {
			if len(f.Names) == 0 {
				d.Open[name] = true // an embedded field promotes its methods
			}
		}
	case *ast.InterfaceType:
		for _, m := range t.Methods.List {
			if len(m.Names) == 0 {
				d.Open[name] = true // an embedded interface or a type constraint
			}
			for _, n := range m.Names {
				d.Funcs[name+"."+n.Name] = true
			}
		}
	case *ast.FuncType, *ast.MapType, *ast.ChanType, *ast.ArrayType:
		// no methods but the declared ones
	default:
		d.Open[name] = true // defined from another type, whose fields may embed
	}
}

// recvType returns the name of a method's receiver type: T for T, *T,
// T[K] and *T[K, V].
func recvType(x ast.Expr) string {
	for {
		switch t := x.(type) {
		case *ast.StarExpr:
			x = t.X
		case *ast.ParenExpr:
			x = t.X
		case *ast.IndexExpr:
			x = t.X
		case *ast.IndexListExpr:
			x = t.X
		case *ast.Ident:
			return t.Name
		default:
			return ""
		}
	}
}
