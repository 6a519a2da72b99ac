package layering

import (
	"sort"
	"strings"
)

// graph is a module graph: from -> to -> the edge that shows it.
type graph map[string]map[string]edge

func (g graph) add(e edge) {
	out := g[e.From]
	if out == nil {
		out = map[string]edge{}
		g[e.From] = out
	}
	if old, ok := out[e.To]; !ok || e.Via < old.Via {
		out[e.To] = e
	}
}

func (g graph) addAll(edges []edge) {
	for _, e := range edges {
		g.add(e)
	}
}

// edges returns the edges sorted by From, then To, for a deterministic fact.
func (g graph) edges() []edge {
	var out []edge
	for _, to := range g {
		for _, e := range to {
			out = append(out, e)
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].From != out[j].From {
			return out[i].From < out[j].From
		}
		return out[i].To < out[j].To
	})
	return out
}

func (g graph) nodes() []string {
	set := map[string]bool{}
	for from, to := range g {
		set[from] = true
		for t := range to {
			set[t] = true
		}
	}
	out := make([]string, 0, len(set))
	for n := range set {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

func (g graph) successors(n string) []string {
	out := make([]string, 0, len(g[n]))
	for t := range g[n] {
		out = append(out, t)
	}
	sort.Strings(out)
	return out
}

// cycles returns the strongly connected components of more than one
// module, each sorted, in a deterministic order (Tarjan's algorithm).
func (g graph) cycles() [][]string {
	index := map[string]int{}
	low := map[string]int{}
	onStack := map[string]bool{}
	var stack []string
	var out [][]string
	var visit func(n string)
	visit = func(n string) {
		index[n] = len(index)
		low[n] = index[n]
		stack = append(stack, n)
		onStack[n] = true
		for _, m := range g.successors(n) {
			if _, seen := index[m]; !seen {
				visit(m)
				low[n] = min(low[n], low[m])
			} else if onStack[m] {
				low[n] = min(low[n], index[m])
			}
		}
		if low[n] != index[n] {
			return
		}
		var scc []string
		for {
			top := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			onStack[top] = false
			scc = append(scc, top)
			if top == n {
				break
			}
		}
		if len(scc) > 1 {
			sort.Strings(scc)
			out = append(out, scc)
		}
	}
	for _, n := range g.nodes() {
		if _, seen := index[n]; !seen {
			visit(n)
		}
	}
	return out
}

// path returns a shortest path from -> ... -> to inside the given set of
// modules, both ends included.
func (g graph) path(from, to string, within []string) []string {
	in := map[string]bool{}
	for _, m := range within {
		in[m] = true
	}
	prev := map[string]string{from: ""}
	queue := []string{from}
	for len(queue) > 0 {
		n := queue[0]
		queue = queue[1:]
		if n == to {
			break
		}
		for _, m := range g.successors(n) {
			if _, seen := prev[m]; !seen && in[m] {
				prev[m] = n
				queue = append(queue, m)
			}
		}
	}
	var rev []string
	for n := to; n != from && n != ""; n = prev[n] {
		rev = append(rev, n)
	}
	out := []string{from}
	for i := len(rev) - 1; i >= 0; i-- {
		out = append(out, rev[i])
	}
	return out
}

func key(scc []string) string { return strings.Join(scc, ",") }
