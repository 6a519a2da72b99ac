//go:build ignore

// Censuslist prints every spawn in the non-test, non-generated files of
// the packages named, one a line, for the unjoined census
// (scripts/census-unjoined.sh): the go statements, and apart from them the
// group spawns ((*sync.WaitGroup).Go, (*errgroup.Group).Go and TryGo).
//
// Usage (from the directory whose go command sees the packages):
//
//	go run scripts/censuslist.go [-root DIR] PATTERN... > spawns.tsv
//
// Each line is tab-separated: the file relative to -root (default the
// working directory) with line and column, the kind (go or group), the
// enclosing function as Func, Type.Method or a func literal in either
// (Func.func), and the package's import path. main packages are left out:
// nothing reloads them in process. Lines are sorted by file, then by line
// and column as numbers.
package main

import (
	"flag"
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"log"
	"path/filepath"
	"sort"
	"strings"

	"golang.org/x/tools/go/packages"
)

func main() {
	root := flag.String("root", ".", "directory the file names are printed relative to")
	flag.Parse()
	log.SetFlags(0)
	abs, err := filepath.Abs(*root)
	if err != nil {
		log.Fatal(err)
	}
	cfg := &packages.Config{Mode: packages.NeedName | packages.NeedFiles | packages.NeedSyntax | packages.NeedTypes | packages.NeedTypesInfo}
	pkgs, err := packages.Load(cfg, flag.Args()...)
	if err != nil {
		log.Fatalf("loading packages: %v", err)
	}
	var rows []row
	for _, p := range pkgs {
		if p.Name == "main" || len(p.Errors) > 0 {
			for _, e := range p.Errors {
				log.Printf("censuslist: skipping %s: %v", p.PkgPath, e)
				break
			}
			continue
		}
		for _, f := range p.Syntax {
			name := p.Fset.File(f.FileStart).Name()
			if strings.HasSuffix(name, "_test.go") || ast.IsGenerated(f) {
				continue
			}
			rel, err := filepath.Rel(abs, name)
			if err != nil {
				rel = name
			}
			for _, s := range spawns(p.TypesInfo, f) {
				pos := p.Fset.Position(s.pos)
				rows = append(rows, row{rel, pos.Line, pos.Column, fmt.Sprintf("%s:%d:%d\t%s\t%s\t%s", rel, pos.Line, pos.Column, s.kind, s.fn, p.PkgPath)})
			}
		}
	}
	sort.Slice(rows, func(i, j int) bool {
		a, b := rows[i], rows[j]
		if a.file != b.file {
			return a.file < b.file
		}
		if a.line != b.line {
			return a.line < b.line
		}
		return a.col < b.col
	})
	for _, r := range rows {
		fmt.Println(r.text)
	}
}

// A row is one printed line with the position it is sorted by.
type row struct {
	file      string
	line, col int
	text      string
}

// A spawn is one go statement or group spawn of a file.
type spawn struct {
	pos  token.Pos
	kind string // go or group
	fn   string // the enclosing function
}

// spawns returns the spawns of one file with their enclosing functions:
//
//	go f(x)            go func() { ... }()
//	wg.Go(f)           g.Go(f)            g.TryGo(f)
func spawns(info *types.Info, f *ast.File) []spawn {
	var out []spawn
	var stack []string // the enclosing function of each open node
	ast.Inspect(f, func(n ast.Node) bool {
		if n == nil {
			stack = stack[:len(stack)-1]
			return true
		}
		name := top(stack)
		switch n := n.(type) {
		case *ast.FuncDecl:
			name = funcName(n)
		case *ast.FuncLit:
			name += ".func"
		case *ast.GoStmt:
			out = append(out, spawn{n.Go, "go", name})
		case *ast.CallExpr:
			if sel, ok := n.Fun.(*ast.SelectorExpr); ok && isGroupGo(info, sel) {
				out = append(out, spawn{sel.Sel.Pos(), "group", name})
			}
		}
		stack = append(stack, name)
		return true
	})
	return out
}

func top(stack []string) string {
	if len(stack) == 0 {
		return "(package)"
	}
	return stack[len(stack)-1]
}

// funcName names a declared function: F, T.M or (*T).M.
func funcName(fd *ast.FuncDecl) string {
	if fd.Recv == nil || len(fd.Recv.List) == 0 {
		return fd.Name.Name
	}
	t := fd.Recv.List[0].Type
	star := ""
	if s, ok := t.(*ast.StarExpr); ok {
		t, star = s.X, "*"
	}
	switch x := t.(type) {
	case *ast.IndexExpr:
		t = x.X
	case *ast.IndexListExpr:
		t = x.X
	}
	id, _ := t.(*ast.Ident)
	if id == nil {
		return fd.Name.Name
	}
	if star != "" {
		return "(*" + id.Name + ")." + fd.Name.Name
	}
	return id.Name + "." + fd.Name.Name
}

// isGroupGo reports whether sel is the Go or TryGo method of
// sync.WaitGroup or errgroup.Group.
func isGroupGo(info *types.Info, sel *ast.SelectorExpr) bool {
	if sel.Sel.Name != "Go" && sel.Sel.Name != "TryGo" {
		return false
	}
	fn, ok := info.Uses[sel.Sel].(*types.Func)
	if !ok {
		return false
	}
	recv := fn.Type().(*types.Signature).Recv()
	if recv == nil {
		return false
	}
	t := recv.Type()
	if p, ok := t.(*types.Pointer); ok {
		t = p.Elem()
	}
	named, ok := types.Unalias(t).(*types.Named)
	if !ok || named.Obj().Pkg() == nil {
		return false
	}
	switch named.Obj().Pkg().Path() + "." + named.Obj().Name() {
	case "sync.WaitGroup", "golang.org/x/sync/errgroup.Group":
		return true
	}
	return false
}
