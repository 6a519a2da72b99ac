package layering_test

import (
	"fmt"
	"slices"
	"testing"

	"github.com/reloadvet/reloadvet/analyzers/layering"
	"github.com/reloadvet/reloadvet/internal/config/configtest"
)

func message(modules string) string {
	return "module import cycle " + modules + ": modules must form a DAG to be unloaded in order"
}

// TestProgramCycles checks the naming of one cycle: at the first checked,
// unsuppressed breaking import, with each step shown by an import.
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
		{From: "a", To: "b", Importer: "ex/a/z", Imported: "ex/b/q", Checked: true}, // up: breaks too
	}
	got, truncated := layering.ProgramCycles(cfg, imports, layering.DefaultCycleLimit)
	if len(got) != 1 || truncated {
		t.Fatalf("got %d cycles (truncated %v), want 1: %+v", len(got), truncated, got)
	}
	c := got[0]
	if want := message("a -> b -> a"); c.At != 1 || c.Message != want || c.Category != "module-cycle" {
		t.Errorf("cycle named at import %d as %q (%s), want at 1 as %q (module-cycle)", c.At, c.Message, c.Category, want)
	}
	if want := []int{1, 0}; !slices.Equal(c.Steps, want) {
		t.Errorf("steps %v, want %v", c.Steps, want)
	}
	if want := []string{"a -> b: ex/a/p imports ex/b/q", "b -> a: ex/b/r imports ex/a/s"}; !slices.Equal(c.Related, want) {
		t.Errorf("related %q, want %q", c.Related, want)
	}

	// The first breaking import suppressed: the cycle is named at the next.
	suppressed := slices.Clone(imports)
	suppressed[1].Suppressed = true
	if got, _ := layering.ProgramCycles(cfg, suppressed, layering.DefaultCycleLimit); len(got) != 1 || got[0].At != 3 || got[0].Steps[0] != 3 {
		t.Errorf("with the first breaking import suppressed, want the cycle named at import 3: %+v", got)
	}
	// Every breaking import suppressed, or outside the run: not named.
	suppressed[3].Suppressed = true
	if got, _ := layering.ProgramCycles(cfg, suppressed, layering.DefaultCycleLimit); len(got) != 0 {
		t.Errorf("a cycle whose breaking imports are all suppressed was named: %+v", got)
	}
	unchecked := slices.Clone(imports)
	unchecked[1].Checked, unchecked[3].Checked = false, false
	if got, _ := layering.ProgramCycles(cfg, unchecked, layering.DefaultCycleLimit); len(got) != 0 {
		t.Errorf("a cycle whose breaking imports are not checked was named: %+v", got)
	}
}

// tangle is four modules, one a layer, whose imports make seven elementary
// cycles.
func tangle() []layering.Import {
	imp := func(from, importer, to, imported string) layering.Import {
		return layering.Import{From: from, To: to, Importer: "ex/" + importer, Imported: "ex/" + imported, Checked: true}
	}
	return []layering.Import{
		imp("a", "a/p", "b", "b/q"), // 0 up
		imp("b", "b/q", "a", "a/s"), // 1 down
		imp("b", "b/r", "c", "c/x"), // 2 up
		imp("c", "c/x", "a", "a/s"), // 3 down
		imp("c", "c/y", "d", "d/z"), // 4 up
		imp("d", "d/z", "b", "b/r"), // 5 down
		imp("a", "a/t", "d", "d/w"), // 6 up
		imp("d", "d/w", "a", "a/s"), // 7 down
	}
}

const tangleConfig = `version: 1
modules:
  - {name: a, packages: ["ex/a/..."]}
  - {name: b, packages: ["ex/b/..."]}
  - {name: c, packages: ["ex/c/..."]}
  - {name: d, packages: ["ex/d/..."]}
layers: [[a], [b], [c], [d]]
`

// TestProgramCyclesTangle names every elementary cycle of a four-module
// tangle once, each at its first breaking import, in a stable order.
func TestProgramCyclesTangle(t *testing.T) {
	t.Parallel()
	cfg := configtest.Parse(t, tangleConfig)
	got, truncated := layering.ProgramCycles(cfg, tangle(), layering.DefaultCycleLimit)
	var named []string
	for _, c := range got {
		named = append(named, fmt.Sprintf("%d %s", c.At, c.Message))
	}
	want := []string{
		"0 " + message("a -> b -> a"),
		"0 " + message("a -> b -> c -> a"),
		"0 " + message("a -> b -> c -> d -> a"),
		"2 " + message("b -> c -> a -> d -> b"),
		"2 " + message("b -> c -> d -> b"),
		"6 " + message("a -> d -> a"),
		"6 " + message("a -> d -> b -> a"),
	}
	if !slices.Equal(named, want) || truncated {
		t.Errorf("cycles (truncated %v):\n%q\nwant:\n%q", truncated, named, want)
	}
	for _, c := range got {
		if c.Message != message("b -> c -> a -> d -> b") {
			continue
		}
		if wantSteps := []int{2, 3, 6, 5}; !slices.Equal(c.Steps, wantSteps) {
			t.Errorf("%s: steps %v, want %v", c.Message, c.Steps, wantSteps)
		}
		if want := "d -> b: ex/d/z imports ex/b/r"; c.Related[3] != want {
			t.Errorf("%s: last step %q, want %q", c.Message, c.Related[3], want)
		}
	}

	// The same imports in another order name the same cycles (each may be
	// named at another import, so written from another module).
	rev := slices.Clone(tangle())
	slices.Reverse(rev)
	again, _ := layering.ProgramCycles(cfg, rev, layering.DefaultCycleLimit)
	if a, b := canonical(got), canonical(again); !slices.Equal(a, b) {
		t.Errorf("reordered imports name other cycles:\n%q\nwant:\n%q", b, a)
	}
}

// canonical returns the cycles, each written from its least module, sorted.
func canonical(cs []layering.Cycle) []string {
	var out []string
	for _, c := range cs {
		m := c.Modules[:len(c.Modules)-1]
		i := slices.Index(m, slices.Min(m))
		out = append(out, fmt.Sprint(append(slices.Clone(m[i:]), m[:i]...)))
	}
	slices.Sort(out)
	return out
}

// TestProgramCyclesLimit stops at the limit and says so.
func TestProgramCyclesLimit(t *testing.T) {
	t.Parallel()
	cfg := configtest.Parse(t, tangleConfig)
	got, truncated := layering.ProgramCycles(cfg, tangle(), 3)
	if len(got) != 3 || !truncated {
		t.Fatalf("with a limit of 3: %d cycles, truncated %v; want 3, true", len(got), truncated)
	}
	// The first three that Johnson's search finds, from module a.
	for _, c := range got {
		if c.Modules[0] != "a" {
			t.Errorf("cycle %s is not among the first three found", c.Message)
		}
	}
	if got, truncated := layering.ProgramCycles(cfg, tangle(), 7); len(got) != 7 || truncated {
		t.Errorf("with a limit of exactly 7: %d cycles, truncated %v", len(got), truncated)
	}
}

// BenchmarkProgramCyclesClique measures the enumeration on the worst case,
// eight modules that all import each other (16,064 elementary cycles),
// stopped at the default limit.
func BenchmarkProgramCyclesClique(b *testing.B) {
	yaml := "version: 1\nmodules:\n"
	var layers []string
	names := []string{"m0", "m1", "m2", "m3", "m4", "m5", "m6", "m7"}
	for _, n := range names {
		yaml += fmt.Sprintf("  - {name: %s, packages: [\"ex/%s/...\"]}\n", n, n)
		layers = append(layers, n)
	}
	yaml += fmt.Sprintf("layers: [[%s]]\n", joinComma(layers))
	cfg := configtest.Parse(b, yaml)
	var imports []layering.Import
	for _, from := range names {
		for _, to := range names {
			if from != to {
				imports = append(imports, layering.Import{From: from, To: to, Importer: "ex/" + from, Imported: "ex/" + to, Checked: true})
			}
		}
	}
	for b.Loop() {
		if got, truncated := layering.ProgramCycles(cfg, imports, layering.DefaultCycleLimit); len(got) != layering.DefaultCycleLimit || !truncated {
			b.Fatalf("%d cycles, truncated %v", len(got), truncated)
		}
	}
}

func joinComma(ss []string) string {
	out := ""
	for i, s := range ss {
		if i > 0 {
			out += ", "
		}
		out += s
	}
	return out
}
