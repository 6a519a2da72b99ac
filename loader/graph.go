package loader

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
)

// checkGraph checks the registered modules against the rules and, when they
// hold, returns them in load order. Problems come in a stable order: layer
// declarations, unknown dependencies, cycles, layer violations, each in
// registration order.
func checkGraph(entries []*entry, byName map[string]*entry, layers [][]string) ([]*entry, error) {
	var problems []error
	layerOf, layerProblems := assignLayers(entries, byName, layers)
	problems = append(problems, layerProblems...)
	for _, e := range entries {
		for _, d := range e.deps {
			if byName[d] == nil {
				problems = append(problems, fmt.Errorf("module %s depends on unknown module %s%s", e.name, d, suggest(d, entries)))
			}
		}
	}
	for _, c := range findCycles(entries, byName) {
		problems = append(problems, c)
	}
	if layers != nil {
		for _, e := range entries {
			for _, d := range e.deps {
				ml, dl := layerOf[e.name], layerOf[d]
				if ml == 0 || dl == 0 || byName[d] == nil {
					continue // already reported
				}
				if dl >= ml {
					problems = append(problems, &LayerError{Module: e.name, ModuleLayer: ml, Dep: d, DepLayer: dl})
				}
			}
		}
	}
	if len(problems) > 0 {
		return nil, &GraphError{Problems: problems}
	}
	for _, e := range entries {
		e.layer = layerOf[e.name]
	}
	return loadOrder(entries), nil
}

// assignLayers maps module names to 1-based layers and reports names in no
// layer, in two layers, or in a layer but not registered.
func assignLayers(entries []*entry, byName map[string]*entry, layers [][]string) (map[string]int, []error) {
	if layers == nil {
		return nil, nil
	}
	var problems []error
	layerOf := map[string]int{}
	for i, layer := range layers {
		for _, name := range layer {
			if prev, ok := layerOf[name]; ok {
				if prev == i+1 {
					problems = append(problems, fmt.Errorf("layer %d lists module %s twice", i+1, name))
				} else {
					problems = append(problems, fmt.Errorf("module %s is in layer %d and layer %d: a module belongs to one layer", name, prev, i+1))
				}
				continue
			}
			layerOf[name] = i + 1
			if byName[name] == nil {
				problems = append(problems, fmt.Errorf("layer %d names module %s, which is not registered%s", i+1, name, suggest(name, entries)))
			}
		}
	}
	for _, e := range entries {
		if layerOf[e.name] == 0 {
			problems = append(problems, fmt.Errorf("module %s is in no layer: with layers set, every module must be in one of the %d layers", e.name, len(layers)))
		}
	}
	return layerOf, problems
}

// findCycles returns, for each strongly connected component that has a
// cycle, a shortest cycle through its first registered module, then one
// through each module no cycle has named yet, so that every module caught
// in a cycle appears in the message and the messages are stable.
func findCycles(entries []*entry, byName map[string]*entry) []*CycleError {
	var cycles []*CycleError
	for _, comp := range components(entries, byName) {
		if len(comp) == 1 && !slices.Contains(comp[0].deps, comp[0].name) {
			continue
		}
		in := map[*entry]bool{}
		for _, e := range comp {
			in[e] = true
		}
		named := map[string]bool{}
		for _, e := range comp {
			if named[e.name] {
				continue
			}
			c := shortestCycle(e, in, byName)
			for _, n := range c {
				named[n] = true
			}
			cycles = append(cycles, &CycleError{Cycle: c})
		}
	}
	slices.SortStableFunc(cycles, func(a, b *CycleError) int {
		return cmp.Compare(byName[a.Cycle[0]].index, byName[b.Cycle[0]].index)
	})
	return cycles
}

// shortestCycle finds, breadth first, the shortest path from start back to
// start inside one component.
func shortestCycle(start *entry, in map[*entry]bool, byName map[string]*entry) []string {
	prev := map[*entry]*entry{}
	queue := []*entry{start}
	for len(queue) > 0 {
		e := queue[0]
		queue = queue[1:]
		for _, d := range e.deps {
			next := byName[d]
			if next == nil || !in[next] {
				continue
			}
			if next == start {
				path := []string{start.name}
				for at := e; at != start; at = prev[at] {
					path = append(path, at.name)
				}
				path = append(path, start.name)
				// path runs backwards from start's end: start, e, ..., start.
				slices.Reverse(path[1 : len(path)-1])
				return path
			}
			if _, seen := prev[next]; !seen {
				prev[next] = e
				queue = append(queue, next)
			}
		}
	}
	return []string{start.name, start.name} // unreachable for a real cycle
}

// components returns the strongly connected components (Tarjan), each
// sorted by registration order.
func components(entries []*entry, byName map[string]*entry) [][]*entry {
	index := map[*entry]int{}
	low := map[*entry]int{}
	onStack := map[*entry]bool{}
	var stack []*entry
	var comps [][]*entry
	next := 0
	var visit func(e *entry)
	visit = func(e *entry) {
		index[e], low[e] = next, next
		next++
		stack = append(stack, e)
		onStack[e] = true
		for _, d := range e.deps {
			w := byName[d]
			if w == nil {
				continue
			}
			if _, seen := index[w]; !seen {
				visit(w)
				low[e] = min(low[e], low[w])
			} else if onStack[w] {
				low[e] = min(low[e], index[w])
			}
		}
		if low[e] == index[e] {
			var comp []*entry
			for {
				w := stack[len(stack)-1]
				stack = stack[:len(stack)-1]
				onStack[w] = false
				comp = append(comp, w)
				if w == e {
					break
				}
			}
			slices.SortFunc(comp, func(a, b *entry) int { return cmp.Compare(a.index, b.index) })
			comps = append(comps, comp)
		}
	}
	for _, e := range entries {
		if _, seen := index[e]; !seen {
			visit(e)
		}
	}
	return comps
}

// loadOrder sorts an acyclic graph so that every module comes after its
// dependencies; among modules that are ready at the same time, the one
// registered first loads first.
func loadOrder(entries []*entry) []*entry {
	waiting := make(map[*entry]int, len(entries))
	var ready []*entry
	for _, e := range entries {
		waiting[e] = len(e.deps)
		if len(e.deps) == 0 {
			ready = append(ready, e)
		}
	}
	order := make([]*entry, 0, len(entries))
	for len(ready) > 0 {
		// ready stays sorted by registration index, so the smallest is first.
		e := ready[0]
		ready = ready[1:]
		order = append(order, e)
		for _, d := range e.dependents {
			waiting[d]--
			if waiting[d] == 0 {
				i, _ := slices.BinarySearchFunc(ready, d.index, func(x *entry, idx int) int { return cmp.Compare(x.index, idx) })
				ready = slices.Insert(ready, i, d)
			}
		}
	}
	return order
}

// registrationProblems checks modules before they are registered.
func registrationProblems(mods []Module, byName map[string]*entry) []error {
	var problems []error
	seen := map[string]bool{}
	for i, m := range mods {
		name := m.Name
		switch {
		case strings.TrimSpace(name) == "":
			problems = append(problems, fmt.Errorf("module #%d has no name", i+1))
			continue
		case strings.ContainsAny(name, " \t\n\""):
			problems = append(problems, fmt.Errorf("module name %q contains a space or a quote", name))
		case byName[name] != nil || seen[name]:
			problems = append(problems, fmt.Errorf("module %s is registered twice", name))
		}
		seen[name] = true
		if !m.Factory.isValid() {
			problems = append(problems, fmt.Errorf("module %s has no factory (build one with loader.Func)", name))
		}
		if m.StopTimeout < 0 {
			problems = append(problems, fmt.Errorf("module %s has a negative stop timeout %v", name, m.StopTimeout))
		}
		if m.LoadTimeout < 0 {
			problems = append(problems, fmt.Errorf("module %s has a negative load timeout %v (0 means the loader's default)", name, m.LoadTimeout))
		}
		deps := map[string]bool{}
		for _, d := range m.Deps {
			if deps[d] {
				problems = append(problems, fmt.Errorf("module %s lists dependency %s twice", name, d))
			}
			deps[d] = true
		}
	}
	return problems
}

// suggest returns " (did you mean x?)" for the registered name closest to
// name, or "" when none is close.
func suggest(name string, entries []*entry) string {
	best, bestDist := "", len(name)/2+1
	for _, e := range entries {
		if d := editDistance(name, e.name); d < bestDist {
			best, bestDist = e.name, d
		}
	}
	if best == "" {
		return ""
	}
	return " (did you mean " + best + "?)"
}

func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// nameList formats names for a message, shortening long lists.
func nameList(names []string) string {
	if len(names) == 0 {
		return "none"
	}
	const shown = 8
	if len(names) <= shown {
		return strings.Join(names, ", ")
	}
	return strings.Join(names[:shown], ", ") + fmt.Sprintf(" and %d more", len(names)-shown)
}
