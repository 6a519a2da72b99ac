package layering_test

import (
	"slices"
	"testing"

	"github.com/reloadvet/reloadvet/analyzers/layering"
	"github.com/reloadvet/reloadvet/internal/config/configtest"
)

// TestProgramCycles checks the whole-program naming of cycles: once per
// cycle, at the first checked breaking import, and not when the analyzer
// named it or the breaking import is not checked.
func TestProgramCycles(t *testing.T) {
	t.Parallel()
	cfg := configtest.Parse(t, `version: 1
modules:
  - {name: a, packages: ["ex/a/..."]}
  - {name: b, packages: ["ex/b/..."]}
  - {name: c, packages: ["ex/c/..."]}
layers: [[a], [b], [c]]
`)
	imports := []layering.Import{
		{From: "b", To: "a", Importer: "ex/b/r", Imported: "ex/a/s", Checked: true}, // down
		{From: "a", To: "b", Importer: "ex/a/p", Imported: "ex/b/q", Checked: true}, // up: breaks
		{From: "a", To: "c", Importer: "ex/a/x", Imported: "ex/c/y", Checked: true}, // up, no way back
	}
	got := layering.ProgramCycles(cfg, imports, nil)
	if len(got) != 1 {
		t.Fatalf("got %d cycles, want 1: %+v", len(got), got)
	}
	c := got[0]
	if want := "module import cycle a -> b -> a: modules must form a DAG to be unloaded in order"; c.At != 1 || c.Message != want {
		t.Errorf("cycle named at import %d as %q, want at 1 as %q", c.At, c.Message, want)
	}
	if want := []int{1, 0}; !slices.Equal(c.Steps, want) {
		t.Errorf("steps %v, want %v", c.Steps, want)
	}
	if want := []string{"a -> b: ex/a/p imports ex/b/q", "b -> a: ex/b/r imports ex/a/s"}; !slices.Equal(c.Related, want) {
		t.Errorf("related %q, want %q", c.Related, want)
	}

	modules, ok := layering.CycleModules(c.Message)
	if !ok || !slices.Equal(modules, []string{"a", "b", "a"}) {
		t.Errorf("CycleModules(%q) = %v, %v", c.Message, modules, ok)
	}
	if _, ok := layering.CycleModules("module a (layer 1) imports module b (layer 2): a module may only import lower layers"); ok {
		t.Error("CycleModules took a message that names no cycle")
	}
	if got := layering.ProgramCycles(cfg, imports, [][]string{modules}); len(got) != 0 {
		t.Errorf("a cycle the analyzer named was named again: %+v", got)
	}

	unchecked := slices.Clone(imports)
	unchecked[1].Checked = false
	if got := layering.ProgramCycles(cfg, unchecked, nil); len(got) != 0 {
		t.Errorf("a cycle whose breaking import is not checked was named: %+v", got)
	}
}
