// Package modgraph builds the graph of imports between the modules of a
// config from package imports, and writes it as DOT or Mermaid: modules
// grouped by layer, violating edges marked.
package modgraph

import (
	"cmp"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/reloadvet/reloadvet/internal/config"
	"github.com/reloadvet/reloadvet/internal/digraph"
)

// A Graph is the module graph of one set of packages.
type Graph struct {
	Layers [][]string // module names by layer, bottom first, as configured
	Edges  []Edge     // sorted by From, then To
	Cycles [][]string // modules that import each other in a cycle, each set sorted, sets in order
}

// An Edge is one module importing another.
type Edge struct {
	From, To  string
	Direction config.Direction
	Imports   int    // how many package imports make the edge
	Example   string // one of them: "p imports q", the least in sort order
	InCycle   bool   // From and To are in one of the graph's Cycles
}

// Build returns the module graph of the packages: imports maps each
// package path to the paths it imports.
func Build(cfg *config.Config, imports map[string][]string) *Graph {
	type key struct{ from, to string }
	edges := map[key]*Edge{}
	for pkg, imps := range imports {
		from := cfg.Owner(pkg)
		if from == nil {
			continue
		}
		for _, imp := range imps {
			to := cfg.Owner(imp)
			if to == nil || to == from {
				continue
			}
			k := key{from.Name, to.Name}
			e := edges[k]
			if e == nil {
				e = &Edge{From: from.Name, To: to.Name, Direction: cfg.Direction(from.Name, to.Name)}
				edges[k] = e
			}
			e.Imports++
			if ex := pkg + " imports " + imp; e.Example == "" || ex < e.Example {
				e.Example = ex
			}
		}
	}
	g := &Graph{Layers: cfg.Layers}
	for _, e := range edges {
		g.Edges = append(g.Edges, *e)
	}
	slices.SortFunc(g.Edges, func(a, b Edge) int { return cmp.Or(cmp.Compare(a.From, b.From), cmp.Compare(a.To, b.To)) })
	g.markCycles()
	return g
}

// markCycles finds the sets of modules that import each other in a cycle
// (the strongly connected components of more than one module) and marks
// the edges inside each.
func (g *Graph) markCycles() {
	succ := map[string][]string{}
	var nodes []string
	for _, layer := range g.Layers {
		nodes = append(nodes, layer...)
	}
	for _, e := range g.Edges {
		succ[e.From] = append(succ[e.From], e.To)
	}
	slices.Sort(nodes)
	comp := map[string]int{}
	for i, scc := range digraph.Components(nodes, func(m string) []string { return succ[m] }) {
		if len(scc) < 2 {
			continue
		}
		g.Cycles = append(g.Cycles, scc)
		for _, m := range scc {
			comp[m] = i + 1
		}
	}
	slices.SortFunc(g.Cycles, slices.Compare)
	for i := range g.Edges {
		e := &g.Edges[i]
		e.InCycle = comp[e.From] != 0 && comp[e.From] == comp[e.To]
	}
}

func label(e Edge) string {
	n := fmt.Sprintf("%d import", e.Imports)
	if e.Imports != 1 {
		n += "s"
	}
	switch e.Direction {
	case config.Up:
		n = "upward: " + n
	case config.Sideways:
		n = "sideways: " + n
	}
	if e.InCycle {
		n += ", on a cycle"
	}
	return n
}

// legend says how to read the drawing.
func (g *Graph) legend() string {
	s := "top layer at the top; red: an upward or sideways import; dashed: an import on a module cycle"
	for _, c := range g.Cycles {
		s += "; on a module cycle: " + strings.Join(c, ", ")
	}
	return s
}

// WriteDOT writes the graph in Graphviz DOT as a ladder: one rank per
// layer, the bottom layer at the bottom, peers level. Imports that go down
// shape the ladder; upward and sideways ones are drawn red without moving
// it (constraint=false), so they point up or across as they go. Imports on
// a module cycle are dashed and the legend names each cycle.
func (g *Graph) WriteDOT(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "digraph modules {\n\trankdir=TB;\n\tnewrank=true;\n\tnode [shape=box];\n\tlabelloc=b;\n\tlabel=%q;\n", g.legend())
	for i := len(g.Layers) - 1; i >= 0; i-- {
		fmt.Fprintf(&b, "\tsubgraph cluster_layer%d {\n\t\tlabel=%q;\n", i+1, fmt.Sprintf("layer %d", i+1))
		for _, m := range g.Layers[i] {
			fmt.Fprintf(&b, "\t\t%q;\n", m)
		}
		b.WriteString("\t}\n")
	}
	for i := len(g.Layers) - 1; i >= 0; i-- {
		if len(g.Layers[i]) == 0 {
			continue
		}
		fmt.Fprintf(&b, "\t{ rank=same; %s; }\n", quoteAll(g.Layers[i]))
		// The spine: an invisible edge down to the next layer keeps the
		// ranks in order where no import links them.
		if i > 0 && len(g.Layers[i-1]) > 0 {
			fmt.Fprintf(&b, "\t%q -> %q [style=invis];\n", g.Layers[i][0], g.Layers[i-1][0])
		}
	}
	for _, e := range g.Edges {
		attrs := fmt.Sprintf("label=%q, tooltip=%q", label(e), e.Example)
		var style []string
		if e.Direction != config.Down {
			attrs += ", constraint=false, color=red, fontcolor=red"
			style = append(style, "bold")
		}
		if e.InCycle {
			style = append(style, "dashed")
		}
		if len(style) > 0 {
			attrs += fmt.Sprintf(", style=%q", strings.Join(style, ","))
		}
		fmt.Fprintf(&b, "\t%q -> %q [%s];\n", e.From, e.To, attrs)
	}
	b.WriteString("}\n")
	_, err := io.WriteString(w, b.String())
	return err
}

func quoteAll(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = strconv.Quote(n)
	}
	return strings.Join(q, "; ")
}

// WriteMermaid writes the graph as a Mermaid flowchart: one subgraph per
// layer, top layer first, kept in that order by invisible links; upward
// and sideways imports dotted and red, imports on a cycle thick. Mermaid
// has no way to keep an edge from moving the layout, so an upward import
// may bend the ladder; the DOT output keeps it straight.
func (g *Graph) WriteMermaid(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "flowchart TB\n\t%%%% %s\n", g.legend())
	for i := len(g.Layers) - 1; i >= 0; i-- {
		fmt.Fprintf(&b, "\tsubgraph layer%d[\"layer %d\"]\n", i+1, i+1)
		for _, m := range g.Layers[i] {
			fmt.Fprintf(&b, "\t\t%s[%q]\n", mermaidID(m), m)
		}
		b.WriteString("\tend\n")
	}
	links := 0
	for i := len(g.Layers) - 1; i > 0; i-- {
		fmt.Fprintf(&b, "\tlayer%d ~~~ layer%d\n", i+1, i)
		links++
	}
	var bad, cyc []int
	for _, e := range g.Edges {
		arrow := "-->"
		switch {
		case e.Direction != config.Down:
			arrow = "-.->"
			bad = append(bad, links)
		case e.InCycle:
			arrow = "==>"
		}
		if e.InCycle {
			cyc = append(cyc, links)
		}
		fmt.Fprintf(&b, "\t%s %s|%q| %s\n", mermaidID(e.From), arrow, label(e), mermaidID(e.To))
		links++
	}
	for _, i := range bad {
		fmt.Fprintf(&b, "\tlinkStyle %d stroke:red,color:red\n", i)
	}
	for _, i := range cyc {
		if !slices.Contains(bad, i) {
			fmt.Fprintf(&b, "\tlinkStyle %d stroke-dasharray:6 3\n", i)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// mermaidID turns a module name into a node id Mermaid accepts: module
// names may hold '-' and '.', which Mermaid ids may not.
func mermaidID(name string) string {
	return "m_" + strings.NewReplacer("-", "_2d", ".", "_2e").Replace(name)
}
