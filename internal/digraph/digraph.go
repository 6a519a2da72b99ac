// Package digraph answers questions about small directed graphs of named
// nodes (modules, groups of packages) that several parts of reloadvet ask.
package digraph

import "slices"

// Components returns the strongly connected components of the graph over
// nodes, each sorted, in an order where a component comes after every
// component it reaches (Tarjan's algorithm). succ returns a node's
// successors; nodes it returns that are not in nodes are ignored. The
// result depends only on the order of nodes and of each succ result.
func Components(nodes []string, succ func(string) []string) [][]string {
	known := make(map[string]bool, len(nodes))
	for _, v := range nodes {
		known[v] = true
	}
	index, low := map[string]int{}, map[string]int{}
	onStack := map[string]bool{}
	var stack []string
	var out [][]string
	var visit func(v string)
	visit = func(v string) {
		index[v], low[v] = len(index), len(index)
		stack = append(stack, v)
		onStack[v] = true
		for _, w := range succ(v) {
			if !known[w] {
				continue
			}
			if _, seen := index[w]; !seen {
				visit(w)
				low[v] = min(low[v], low[w])
			} else if onStack[w] {
				low[v] = min(low[v], index[w])
			}
		}
		if low[v] != index[v] {
			return
		}
		var scc []string
		for {
			w := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			onStack[w] = false
			scc = append(scc, w)
			if w == v {
				break
			}
		}
		slices.Sort(scc)
		out = append(out, scc)
	}
	for _, v := range nodes {
		if _, seen := index[v]; !seen {
			visit(v)
		}
	}
	return out
}
