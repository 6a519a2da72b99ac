// Package modgraph builds the graph of imports between the modules of a
// config from package imports, and writes it as DOT or Mermaid: modules
// grouped by layer, violating edges marked.
package modgraph

import (
	"cmp"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/reloadvet/reloadvet/internal/config"
)

// A Graph is the module graph of one set of packages.
type Graph struct {
	Layers [][]string // module names by layer, bottom first, as configured
	Edges  []Edge     // sorted by From, then To
}

// An Edge is one module importing another.
type Edge struct {
	From, To  string
	Direction config.Direction
	Imports   int    // how many package imports make the edge
	Example   string // one of them: "p imports q", the least in sort order
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
	return g
}

func label(e Edge) string {
	n := fmt.Sprintf("%d import", e.Imports)
	if e.Imports != 1 {
		n += "s"
	}
	switch e.Direction {
	case config.Up:
		return "upward: " + n
	case config.Sideways:
		return "sideways: " + n
	}
	return n
}

// WriteDOT writes the graph in Graphviz DOT: one cluster per layer, bottom
// layer at the bottom, violating edges red.
func (g *Graph) WriteDOT(w io.Writer) error {
	var b strings.Builder
	b.WriteString("digraph modules {\n\trankdir=BT;\n\tnode [shape=box];\n")
	for i, layer := range g.Layers {
		fmt.Fprintf(&b, "\tsubgraph cluster_layer%d {\n\t\tlabel=%q;\n", i+1, fmt.Sprintf("layer %d", i+1))
		for _, m := range layer {
			fmt.Fprintf(&b, "\t\t%q;\n", m)
		}
		b.WriteString("\t}\n")
	}
	for _, e := range g.Edges {
		attrs := fmt.Sprintf("label=%q, tooltip=%q", label(e), e.Example)
		if e.Direction != config.Down {
			attrs += ", color=red, fontcolor=red, style=bold"
		}
		fmt.Fprintf(&b, "\t%q -> %q [%s];\n", e.From, e.To, attrs)
	}
	b.WriteString("}\n")
	_, err := io.WriteString(w, b.String())
	return err
}

// WriteMermaid writes the graph as a Mermaid flowchart: one subgraph per
// layer, violating edges dotted and red.
func (g *Graph) WriteMermaid(w io.Writer) error {
	var b strings.Builder
	b.WriteString("flowchart BT\n")
	for i, layer := range g.Layers {
		fmt.Fprintf(&b, "\tsubgraph layer%d[\"layer %d\"]\n", i+1, i+1)
		for _, m := range layer {
			fmt.Fprintf(&b, "\t\t%s[%q]\n", mermaidID(m), m)
		}
		b.WriteString("\tend\n")
	}
	var bad []int
	for i, e := range g.Edges {
		arrow := "-->"
		if e.Direction != config.Down {
			arrow = "-.->"
			bad = append(bad, i)
		}
		fmt.Fprintf(&b, "\t%s %s|%q| %s\n", mermaidID(e.From), arrow, label(e), mermaidID(e.To))
	}
	for _, i := range bad {
		fmt.Fprintf(&b, "\tlinkStyle %d stroke:red,color:red\n", i)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// mermaidID turns a module name into a node id Mermaid accepts: module
// names may hold '-' and '.', which Mermaid ids may not.
func mermaidID(name string) string {
	return "m_" + strings.NewReplacer("-", "_2d", ".", "_2e").Replace(name)
}
