package joins_test

import (
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"testing"

	"golang.org/x/tools/go/ssa"
	"golang.org/x/tools/go/ssa/ssautil"

	"github.com/reloadvet/reloadvet/internal/joins"
)

const src = `package p

import (
	"context"
	"sync"
)

func work() {}

func joined() {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { defer wg.Done(); work() }()
	wg.Wait()
}

func early(b bool) {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { defer wg.Done(); work() }()
	if b {
		return
	}
	wg.Wait()
}

func selected(ctx context.Context) {
	done := make(chan struct{})
	go func() { defer close(done); work() }()
	select {
	case <-done:
	case <-ctx.Done():
	}
}

func silent() {
	go work()
}
`

func build(t *testing.T) *ssa.Package {
	t.Helper()
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "p.go", src, 0)
	if err != nil {
		t.Fatal(err)
	}
	pkg, _, err := ssautil.BuildPackage(&types.Config{Importer: importer.Default()}, fset,
		types.NewPackage("p", "p"), []*ast.File{f}, ssa.SanityCheckFunctions)
	if err != nil {
		t.Fatal(err)
	}
	return pkg
}

func TestScoped(t *testing.T) {
	pkg := build(t)
	for _, tc := range []struct {
		fn         string
		ok         bool
		escapeLine int // 0: none
	}{
		{"joined", true, 0},
		{"early", false, 22},
		{"selected", false, 34},
		{"silent", false, 0},
	} {
		fn := pkg.Func(tc.fn)
		spawns := joins.Spawns(fn)
		if len(spawns) != 1 {
			t.Fatalf("%s: %d spawns, want 1", tc.fn, len(spawns))
		}
		ok, esc := joins.Scoped(spawns[0].Instr)
		line := 0
		if esc.IsValid() {
			line = pkg.Prog.Fset.Position(esc).Line
		}
		if ok != tc.ok || line != tc.escapeLine {
			t.Errorf("%s: Scoped = %v, escape at line %d; want %v, line %d", tc.fn, ok, line, tc.ok, tc.escapeLine)
		}
	}
}
