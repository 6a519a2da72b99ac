package layering

import (
	"fmt"
	"strings"

	"github.com/reloadvet/reloadvet/internal/config"
)

// An Import is an import between packages of two modules, as a driver that
// sees the whole program finds it.
type Import struct {
	From, To           string // module names
	Importer, Imported string // package paths
	// Checked is true when the importing package is one the driver checks
	// (a root of the run), so that a finding may be placed at the import.
	Checked bool
}

// A Cycle is a cycle between modules, named at one breaking import.
type Cycle struct {
	At      int      // index into the imports given to ProgramCycles
	Message string   // as the analyzer words it: "module import cycle a -> b -> a: ..."
	Steps   []int    // for each step of the cycle, the index of one import that makes it
	Related []string // for each step, "a -> b: p imports q"
}

// ProgramCycles returns the module cycles among imports that none of the
// named cycles (module lists, as CycleModules returns them from the
// analyzer's findings) already covers, each named once, at its first
// checked import, in the order given, that breaks the layering.
//
// The analyzer names a cycle where the package with the breaking import
// can see the way back through its dependencies. When the two halves of a
// cycle meet only in a package that imports both, no single package's
// analysis sees it whole; a driver that loads the whole program calls
// this to name it anyway, once.
func ProgramCycles(cfg *config.Config, imports []Import, named [][]string) []Cycle {
	g := graph{}
	byVia := map[string]int{} // an edge's Via to the first import that shows it
	for i, imp := range imports {
		via := imp.Importer + " imports " + imp.Imported
		g.add(edge{From: imp.From, To: imp.To, Via: via})
		if _, ok := byVia[via]; !ok {
			byVia[via] = i
		}
	}
	var out []Cycle
	for _, scc := range g.cycles() {
		in := map[string]bool{}
		for _, m := range scc {
			in[m] = true
		}
		if coveredBy(in, named) {
			continue
		}
		at := -1
		for i, imp := range imports {
			if imp.Checked && in[imp.From] && in[imp.To] && cfg.Direction(imp.From, imp.To) != config.Down {
				at = i
				break
			}
		}
		if at < 0 {
			continue // the cycle breaks the layering only in packages this run does not check
		}
		cycle := append([]string{imports[at].From}, g.path(imports[at].To, imports[at].From, scc)...)
		c := Cycle{At: at, Message: cycleMessage(cycle)}
		for i := 0; i+1 < len(cycle); i++ {
			e := g[cycle[i]][cycle[i+1]]
			c.Related = append(c.Related, fmt.Sprintf("%s -> %s: %s", e.From, e.To, e.Via))
			c.Steps = append(c.Steps, byVia[e.Via])
		}
		out = append(out, c)
	}
	return out
}

// coveredBy reports whether one of the named cycles runs inside the
// strongly connected set of modules in.
func coveredBy(in map[string]bool, named [][]string) bool {
	for _, cycle := range named {
		inside := len(cycle) > 0
		for _, m := range cycle {
			inside = inside && in[m]
		}
		if inside {
			return true
		}
	}
	return false
}

const cyclePrefix, cycleSuffix = "module import cycle ", ": modules must form a DAG to be unloaded in order"

// cycleMessage words a cycle given as its modules, the first repeated at
// the end. The message names the cycle only, not all modules tangled with
// it, so that an unrelated import elsewhere does not change it (and churn
// baselines keyed on messages).
func cycleMessage(cycle []string) string {
	return cyclePrefix + strings.Join(cycle, " -> ") + cycleSuffix
}

// CycleModules returns the modules of the cycle a module-cycle finding
// names, or false for any other message.
func CycleModules(message string) ([]string, bool) {
	rest, ok := strings.CutPrefix(message, cyclePrefix)
	if !ok {
		return nil, false
	}
	path, ok := strings.CutSuffix(rest, cycleSuffix)
	if !ok {
		return nil, false
	}
	return strings.Split(path, " -> "), true
}
