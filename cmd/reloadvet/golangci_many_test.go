package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// manyFindings writes a project whose reloadvet findings are more than
// golangci-lint shows by default (50 a linter, 3 of one text, one a line):
// n functions that each start a raw goroutine (rawspawn and unjoined on one
// line, the same texts over and over), and an upward import that also
// closes a cycle (findings with related places).
func manyFindings(t *testing.T, n int) string {
	t.Helper()
	dir := t.TempDir()
	files := map[string]string{
		"go.mod": "module example.com/many\n\ngo 1.26\n",
		".reloadvet.yml": `version: 1
modules:
  - {name: core, packages: ["example.com/many/core/..."]}
  - {name: svc, packages: ["example.com/many/svc/..."]}
layers: [[core], [svc]]
spawners: ["example.com/many/core.(*Handle).Go"]
`,
		"core/core.go": `package core

import (
	"context"
	"sync"
)

// Handle starts goroutines and joins them at unload.
type Handle struct{ wg sync.WaitGroup }

func (h *Handle) Go(f func(context.Context)) {
	h.wg.Add(1)
	go func() { defer h.wg.Done(); f(context.Background()) }()
}

func (h *Handle) Wait() { h.wg.Wait() }
`,
		"core/up/up.go":  "package up\n\nimport \"example.com/many/svc/api\"\n\nvar N = api.N\n",
		"svc/api/api.go": "package api\n\nimport _ \"example.com/many/core\"\n\nvar N = 1\n",
	}
	var b strings.Builder
	b.WriteString("package svc\n\nfunc work() {}\n")
	for i := range n {
		fmt.Fprintf(&b, "\nfunc Start%d() {\n\tgo work()\n}\n", i)
	}
	files["svc/svc.go"] = b.String()
	for name, content := range files {
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// TestGolangciLosesNothing runs golangci-lint with the .golangci.yml that
// docs/ci.md documents on a project with more findings than golangci-lint's
// default caps let through, and wants every per-package finding of the
// reloadvet command, one issue each (the module cycles are the command's
// program-level pass, which no per-package driver runs).
func TestGolangciLosesNothing(t *testing.T) {
	t.Parallel()
	golangciLint(t)
	dir := manyFindings(t, 40)
	recipe := golangciRecipe(t)
	if err := os.WriteFile(filepath.Join(dir, ".golangci.yml"), []byte(recipe.Text), 0o644); err != nil {
		t.Fatal(err)
	}
	rv := reloadvet(t, dir, "-json", "./...")
	expectCode(t, rv, exitFindings)
	_, all := vetTrees(t, dir, rv.stdout)
	trees := perPackage(all)
	want := findingLines(dir, trees)
	if len(want) < 60 {
		t.Fatalf("the project has %d findings, want more than 60 to pass golangci-lint's caps:\n%s", len(want), strings.Join(want, "\n"))
	}
	got := golangciFindings(t, dir, t.TempDir())
	if len(got) != len(want) {
		t.Errorf("golangci-lint with the recipe of %s reports %d issues, the reloadvet command %d findings", recipe, len(got), len(want))
	}
	if wantGL := golangciView(t, dir, trees); strings.Join(got, "\n") != strings.Join(wantGL, "\n") {
		t.Errorf("golangci-lint issues differ from the command's findings:\n%s", diffLines(got, wantGL))
	}
}
