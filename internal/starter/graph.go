package starter

import (
	"slices"

	"github.com/reloadvet/reloadvet/internal/digraph"
)

// graph holds imports between groups or modules: from -> to -> edge.
type graph map[string]map[string]*Import

// add records that package importer (of from) imports imported (of to).
func (g graph) add(from, to, importer, imported string) {
	e := g.edge(from, to)
	e.Count++
	if e.Importer == "" || importer+" "+imported < e.Importer+" "+e.Imported {
		e.Importer, e.Imported = importer, imported
	}
}

// merge adds the imports of another edge to from -> to.
func (g graph) merge(from, to string, other *Import) {
	e := g.edge(from, to)
	e.Count += other.Count
	if e.Importer == "" || other.Importer+" "+other.Imported < e.Importer+" "+e.Imported {
		e.Importer, e.Imported = other.Importer, other.Imported
	}
}

func (g graph) edge(from, to string) *Import {
	if g[from] == nil {
		g[from] = map[string]*Import{}
	}
	e := g[from][to]
	if e == nil {
		e = &Import{From: from, To: to}
		g[from][to] = e
	}
	return e
}

// succ returns the nodes from imports, sorted.
func (g graph) succ(from string) []string { return keys(g[from]) }

// feedback returns imports whose removal leaves no cycle: inside each
// component of more than one node, it orders the nodes importers first
// (the greedy rule of Eades, Lin and Smyth, weighing each edge by its
// import count) and returns the edges that point back in that order. It
// picks few and light edges, not always the fewest.
func (g graph) feedback(nodes []string) []*Import {
	var out []*Import
	for _, scc := range digraph.Components(nodes, g.succ) {
		if len(scc) < 2 {
			continue
		}
		in := map[string]bool{}
		for _, v := range scc {
			in[v] = true
		}
		order := g.order(scc)
		pos := map[string]int{}
		for i, v := range order {
			pos[v] = i
		}
		for _, v := range scc {
			for _, w := range g.succ(v) {
				if in[w] && pos[w] < pos[v] {
					out = append(out, g[v][w])
				}
			}
		}
	}
	return out
}

// order returns the nodes of one component, importers before what they
// import wherever the cycles allow.
func (g graph) order(nodes []string) []string {
	left := map[string]bool{}
	for _, v := range nodes {
		left[v] = true
	}
	weight := func(v string, out bool) int {
		n := 0
		for _, w := range nodes {
			if !left[w] || w == v {
				continue
			}
			if e := g[v][w]; out && e != nil {
				n += e.Count
			}
			if e := g[w][v]; !out && e != nil {
				n += e.Count
			}
		}
		return n
	}
	var head, tail []string
	for len(head)+len(tail) < len(nodes) {
		changed := false
		for _, v := range nodes { // sinks import nothing left: they go last
			if left[v] && weight(v, true) == 0 {
				tail = append([]string{v}, tail...)
				left[v], changed = false, true
			}
		}
		for _, v := range nodes { // sources are imported by nothing left: first
			if left[v] && weight(v, false) == 0 {
				head = append(head, v)
				left[v], changed = false, true
			}
		}
		if changed {
			continue
		}
		best, bestScore := "", 0
		for _, v := range nodes {
			if score := weight(v, true) - weight(v, false); left[v] && (best == "" || score > bestScore) {
				best, bestScore = v, score
			}
		}
		head = append(head, best)
		left[best] = false
	}
	return append(head, tail...)
}

// layers assigns each node one layer above the highest node it imports,
// leaving out the against edges, and returns the layers bottom first.
func (g graph) layers(nodes []string, against []*Import) [][]string {
	skip := map[*Import]bool{}
	for _, e := range against {
		skip[e] = true
	}
	layer := map[string]int{}
	var visit func(v string) int
	visit = func(v string) int {
		if l, done := layer[v]; done {
			return l
		}
		layer[v] = 0 // on the path: the against edges make this unreachable again
		l := 1
		for _, w := range g.succ(v) {
			if e := g[v][w]; !skip[e] && slices.Contains(nodes, w) {
				l = max(l, visit(w)+1)
			}
		}
		layer[v] = l
		return l
	}
	top := 0
	for _, v := range nodes {
		top = max(top, visit(v))
	}
	out := make([][]string, top)
	for _, v := range nodes {
		out[layer[v]-1] = append(out[layer[v]-1], v)
	}
	for _, l := range out {
		slices.Sort(l)
	}
	return out
}
