package golangci

import (
	"go/token"
	"path/filepath"
	"testing"

	"golang.org/x/tools/go/analysis"
)

// TestOneIssue checks that the wrapped analyzer reports each finding once,
// its related places in the message, paths relative to the run's directory.
func TestOneIssue(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	fset := token.NewFileSet()
	src := fset.AddFile(filepath.Join(dir, "api", "x.go"), -1, 100)
	src.SetLines([]int{0, 10, 20})
	cfg := fset.AddFile(filepath.Join(dir, ".reloadvet.yml"), -1, 50)
	cfg.SetLines([]int{0, 10, 20})
	outside := fset.AddFile("/elsewhere/y.go", -1, 10)

	inner := &analysis.Analyzer{
		Name: "layering",
		Doc:  "layering: reports test findings",
		Run: func(pass *analysis.Pass) (any, error) {
			pass.Report(analysis.Diagnostic{
				Pos: src.Pos(12), Message: "module api imports module admin",
				Related: []analysis.RelatedInformation{
					{Pos: cfg.Pos(11), Message: "module api is declared in layer 3"},
					{Pos: outside.Pos(0), Message: "admin/y is here"},
					{Message: "no position"},
				},
			})
			pass.Report(analysis.Diagnostic{Pos: src.Pos(25), Message: "no related places"})
			return nil, nil
		},
	}
	var got []analysis.Diagnostic
	pass := &analysis.Pass{Fset: fset, Report: func(d analysis.Diagnostic) { got = append(got, d) }}
	if _, err := oneIssue(inner, dir).Run(pass); err != nil {
		t.Fatal(err)
	}
	want := []string{
		"module api imports module admin (see .reloadvet.yml:2:2: module api is declared in layer 3; /elsewhere/y.go:1:1: admin/y is here; no position)",
		"no related places",
	}
	if len(got) != len(want) {
		t.Fatalf("got %d diagnostics, want %d: %+v", len(got), len(want), got)
	}
	for i, d := range got {
		if d.Message != want[i] || len(d.Related) != 0 {
			t.Errorf("diagnostic %d: message %q, %d related; want %q, none", i, d.Message, len(d.Related), want[i])
		}
	}
	got = nil
	if _, err := inner.Run(pass); err != nil || len(got[0].Related) != 3 {
		t.Errorf("the wrapped analyzer changed the original: %v, %+v", err, got)
	}
}
