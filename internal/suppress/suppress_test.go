package suppress

import (
	"go/ast"
	"go/parser"
	"go/token"
	"slices"
	"testing"
)

func TestParse(t *testing.T) {
	src := `package p

//reloadvet:ignore layering,unjoined  the reason, with spaces
var a = 1 //reloadvet:ignore layering trailing

// reloadvet:ignore layering spaced
//reloadvet:ignore layering
//reloadvet:ignore
//reloadvet:nolint layering x
// ordinary comment mentioning reloadvet:ignore
//	      reloadvet:
//	  a YAML example in a doc comment, above: not a directive
`
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "p.go", src, parser.ParseComments)
	if err != nil {
		t.Fatal(err)
	}
	dirs := Parse(fset, []*ast.File{f})
	type row struct {
		line    int
		names   []string
		reason  string
		problem bool
	}
	want := []row{
		{3, []string{"layering", "unjoined"}, "the reason, with spaces", false},
		{4, []string{"layering"}, "trailing", false},
		{6, nil, "", true},
		{7, []string{"layering"}, "", true},
		{8, nil, "", true},
		{9, nil, "", true},
	}
	if len(dirs) != len(want) {
		t.Fatalf("Parse found %d directives, want %d", len(dirs), len(want))
	}
	for i, d := range dirs {
		w := want[i]
		if d.Line != w.line || !slices.Equal(d.Names, w.names) || d.Reason != w.reason || (d.Problem != "") != w.problem {
			t.Errorf("directive %d = line %d names %v reason %q problem %q; want %+v", i, d.Line, d.Names, d.Reason, d.Problem, w)
		}
	}
	if !dirs[0].Covers("unjoined", 4) || !dirs[0].Covers("layering", 3) || dirs[0].Covers("layering", 5) || dirs[0].Covers("rawspawn", 4) {
		t.Error("covers: want own line and the next, named analyzers only")
	}
	if dirs[3].Covers("layering", 7) {
		t.Error("a directive without a reason must not suppress")
	}
}
