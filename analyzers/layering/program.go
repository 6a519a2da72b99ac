package layering

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/reloadvet/reloadvet/internal/config"
	"github.com/reloadvet/reloadvet/internal/digraph"
)

// Naming module cycles is a program-level pass: a cycle runs through
// imports of many packages, and only a driver that sees the import graph of
// the whole program sees it whole. The analyzer, which sees one package,
// reports the imports that break the layering, and every cycle has one;
// the reloadvet command names the cycles from the import graph it gets
// from the go command (see ProgramCycles). Under go vet and golangci-lint
// cycles are not named; their breaking imports are reported all the same.

// An Import is an import between packages of two modules, as a driver that
// sees the whole program finds it.
type Import struct {
	From, To           string // module names
	Importer, Imported string // package paths
	// Checked is true when the importing package is one the driver checks
	// (a root of the run), so that a finding may be placed at the import.
	Checked bool
	// Suppressed is true when a //reloadvet:ignore directive naming
	// layering covers the import.
	Suppressed bool
}

// A Cycle is an elementary cycle between modules, named at one import that
// breaks the layering on it.
type Cycle struct {
	At       int      // index into the imports given to ProgramCycles
	Category string   // "module-cycle"
	Message  string   // "module import cycle a -> b -> a: ..."
	Modules  []string // the cycle from the module of At, its first module repeated at the end
	Steps    []int    // for each step of the cycle, the index of one import that makes it
	Related  []string // for each step, "a -> b: p imports q"
}

// DefaultCycleLimit bounds how many elementary cycles ProgramCycles
// enumerates: a tangle of n modules that all import each other has more
// than (n-1)! of them.
const DefaultCycleLimit = 1000

// ProgramCycles returns every elementary cycle of the module graph that the
// imports make, each once, named at its first import (in the order given,
// which should be position order) that breaks the layering, is checked and
// is not suppressed. A cycle with no such import is not named: its breaking
// imports are all outside the run or suppressed. Each step of a cycle is
// shown by the first import that makes it, except the step named, which is
// shown by the import it is named at.
//
// Cycles are enumerated with Johnson's algorithm over the modules in name
// order, and at most limit of them; truncated reports that there are more.
// The result is sorted by the import a cycle is named at, then by message.
func ProgramCycles(cfg *config.Config, imports []Import, limit int) (cycles []Cycle, truncated bool) {
	byEdge := map[[2]string][]int{} // module edge -> its imports, in order
	succ := map[string][]string{}
	for i, imp := range imports {
		e := [2]string{imp.From, imp.To}
		if byEdge[e] == nil {
			succ[imp.From] = append(succ[imp.From], imp.To)
		}
		byEdge[e] = append(byEdge[e], i)
	}
	elementary, truncated := elementaryCycles(succ, limit)
	for _, c := range elementary {
		at, step := -1, -1
		for i := range c {
			from, to := c[i], c[(i+1)%len(c)]
			if cfg.Direction(from, to) == config.Down {
				continue
			}
			for _, j := range byEdge[[2]string{from, to}] {
				if imports[j].Checked && !imports[j].Suppressed && (at < 0 || j < at) {
					at, step = j, i
				}
			}
		}
		if at < 0 {
			continue
		}
		rotated := append(slices.Clone(c[step:]), c[:step]...)
		cy := Cycle{At: at, Category: "module-cycle", Modules: append(rotated, rotated[0])}
		cy.Message = cycleMessage(cy.Modules)
		for i := range rotated {
			from, to := cy.Modules[i], cy.Modules[i+1]
			j := byEdge[[2]string{from, to}][0]
			if i == 0 {
				j = at
			}
			cy.Steps = append(cy.Steps, j)
			cy.Related = append(cy.Related, fmt.Sprintf("%s -> %s: %s imports %s", from, to, imports[j].Importer, imports[j].Imported))
		}
		cycles = append(cycles, cy)
	}
	slices.SortFunc(cycles, func(a, b Cycle) int { return cmp.Or(cmp.Compare(a.At, b.At), cmp.Compare(a.Message, b.Message)) })
	return cycles, truncated
}

// elementaryCycles returns the elementary cycles of the graph given by its
// successor lists, each once, starting at its least node, in a stable
// order: Johnson's algorithm, over the nodes in sorted order with sorted
// successors. It stops after limit cycles and reports whether there were
// more.
func elementaryCycles(succ map[string][]string, limit int) (cycles [][]string, truncated bool) {
	set := map[string]bool{}
	for from, tos := range succ {
		set[from] = true
		for _, to := range tos {
			set[to] = true
		}
	}
	nodes := make([]string, 0, len(set))
	for n := range set {
		nodes = append(nodes, n)
	}
	slices.Sort(nodes)
	rank := map[string]int{}
	for i, n := range nodes {
		rank[n] = i
	}
	sorted := map[string][]string{}
	for from, tos := range succ {
		sorted[from] = slices.Sorted(slices.Values(tos))
	}
	for _, s := range nodes {
		comp := componentOf(s, nodes[rank[s]:], sorted)
		if len(comp) < 2 {
			continue
		}
		j := &johnson{succ: sorted, comp: comp, start: s, blocked: map[string]bool{}, b: map[string]map[string]bool{}, limit: limit - len(cycles)}
		j.circuit(s)
		cycles = append(cycles, j.found...)
		if j.full {
			return cycles, true
		}
	}
	return cycles, false
}

// componentOf returns the strongly connected component of s in the
// subgraph of nodes.
func componentOf(s string, nodes []string, succ map[string][]string) map[string]bool {
	comp := map[string]bool{}
	for _, c := range digraph.Components(nodes, func(n string) []string { return succ[n] }) {
		if slices.Contains(c, s) {
			for _, n := range c {
				comp[n] = true
			}
			break
		}
	}
	return comp
}

// johnson is the search for the cycles through start within one component.
type johnson struct {
	succ    map[string][]string
	comp    map[string]bool
	start   string
	blocked map[string]bool
	b       map[string]map[string]bool
	stack   []string
	found   [][]string
	limit   int
	full    bool // more cycles than limit
}

func (j *johnson) circuit(v string) bool {
	closed := false
	j.stack = append(j.stack, v)
	j.blocked[v] = true
	for _, w := range j.succ[v] {
		if j.full {
			break
		}
		switch {
		case !j.comp[w]:
		case w == j.start:
			if len(j.found) == j.limit {
				j.full = true
				break
			}
			j.found = append(j.found, slices.Clone(j.stack))
			closed = true
		case !j.blocked[w]:
			if j.circuit(w) {
				closed = true
			}
		}
	}
	if closed {
		j.unblock(v)
	} else {
		for _, w := range j.succ[v] {
			if j.comp[w] {
				if j.b[w] == nil {
					j.b[w] = map[string]bool{}
				}
				j.b[w][v] = true
			}
		}
	}
	j.stack = j.stack[:len(j.stack)-1]
	return closed
}

func (j *johnson) unblock(u string) {
	j.blocked[u] = false
	for w := range j.b[u] {
		delete(j.b[u], w)
		if j.blocked[w] {
			j.unblock(w)
		}
	}
}

const cyclePrefix, cycleSuffix = "module import cycle ", ": modules must form a DAG to be unloaded in order"

// cycleMessage words a cycle given as its modules, the first repeated at
// the end. The message names the cycle only, not all modules tangled with
// it, so that an unrelated import elsewhere does not change it (and churn
// baselines keyed on messages).
func cycleMessage(cycle []string) string {
	return cyclePrefix + strings.Join(cycle, " -> ") + cycleSuffix
}
