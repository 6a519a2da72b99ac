// Package starter proposes a first .reloadvet.yml for a tree of packages
// that has none: modules cut from the import paths at a chosen depth,
// layers from the import graph, and the functions that look like
// spawners. It backs reloadvet init and scripts/layerconfig.go.
//
// The proposal follows the code: each module sits one layer above the
// highest module it imports, so every import goes down, except where
// modules import each other in a cycle. There the cycle is either merged
// into one module (Options.MergeCycles) or kept apart and layered as if
// its weakest imports did not exist; those imports (Plan.Against) then go
// up, and the first reloadvet run reports each of them, the cycle named.
package starter

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/reloadvet/reloadvet/internal/digraph"
)

// A Package is one package of the tree, as go list describes it.
type Package struct {
	Path    string   // import path
	Name    string   // package name; main packages are the host, in no module
	Imports []string // import paths of its non-test files
}

// Options say how to cut the tree into modules.
type Options struct {
	// Prefix is the import path the modules are cut under; packages not
	// under it are in no module. Empty: every package, cut from the first
	// path element.
	Prefix string
	// Depth is how many path elements after Prefix name a module; 0 makes
	// each package a module of its own.
	Depth int
	// MergeCycles merges modules that import each other in a cycle into
	// one module, instead of keeping them apart with the imports that
	// break the layers listed in Plan.Against.
	MergeCycles bool
	// KeepMain keeps main packages in modules; by default they are the
	// host program, which loads the modules and is never reloaded.
	KeepMain bool
	// Exact lists every package of a module by its path, never as a tree
	// (prefix/...), so that the modules own exactly the packages given.
	Exact bool
}

// A Plan is the proposed config.
type Plan struct {
	Options Options
	Modules []Module   // sorted by name
	Layers  [][]string // module names by layer, bottom first, each sorted
	// Cycles are the sets of groups that import each other in a cycle,
	// each sorted: merged into one module, or kept apart with Against.
	Cycles [][]string
	// Against are the imports, one per pair of modules, that go against
	// the proposed layers: what keeps a cycle apart. Empty with
	// MergeCycles.
	Against []Import
	// Host are the packages left out of every module: main packages.
	Host []string
}

// A Module is one proposed module.
type Module struct {
	Name     string
	Packages []string // patterns: exact paths, or prefix/... for a whole tree
	Members  []string // the package paths it owns in this tree, sorted
	Groups   []string // the path groups merged into it (one, unless a cycle was merged)
}

// An Import is a package of one module importing a package of another.
type Import struct {
	From, To           string // module names
	Importer, Imported string // the package import that shows it, the least in sort order
	Count              int    // how many package imports make the edge
}

// Propose cuts pkgs into modules and layers.
func Propose(pkgs []Package, opts Options) *Plan {
	p := &Plan{Options: opts}
	members := map[string][]string{} // group -> package paths
	groupOf := map[string]string{}   // package path -> group
	for _, pkg := range pkgs {
		if pkg.Name == "main" && !opts.KeepMain {
			p.Host = append(p.Host, pkg.Path)
			continue
		}
		if g, ok := group(pkg.Path, opts); ok {
			members[g] = append(members[g], pkg.Path)
			groupOf[pkg.Path] = g
		}
	}
	slices.Sort(p.Host)

	// The graph of imports between groups, with a witness for each edge.
	edges := graph{}
	for _, pkg := range pkgs {
		from, ok := groupOf[pkg.Path]
		if !ok {
			continue
		}
		for _, imp := range pkg.Imports {
			if to, ok := groupOf[imp]; ok && to != from {
				edges.add(from, to, pkg.Path, imp)
			}
		}
	}
	groups := keys(members)
	sccs := digraph.Components(groups, edges.succ)

	// Merge or keep apart what imports each other in a cycle.
	moduleOf := map[string]string{} // group -> module name
	for _, scc := range sccs {
		if len(scc) > 1 {
			p.Cycles = append(p.Cycles, scc)
		}
		if len(scc) > 1 && opts.MergeCycles {
			name := moduleName(scc[0], opts.Prefix) + fmt.Sprintf("_and_%d", len(scc)-1)
			for _, g := range scc {
				moduleOf[g] = name
			}
			continue
		}
		for _, g := range scc {
			moduleOf[g] = moduleName(g, opts.Prefix)
		}
	}
	slices.SortFunc(p.Cycles, slices.Compare)
	uniqueNames(groups, moduleOf)

	byName := map[string]*Module{}
	for _, g := range groups {
		name := moduleOf[g]
		m := byName[name]
		if m == nil {
			m = &Module{Name: name}
			byName[name] = m
		}
		m.Groups = append(m.Groups, g)
		m.Members = append(m.Members, members[g]...)
	}
	for _, name := range keys(byName) {
		m := byName[name]
		slices.Sort(m.Members)
		m.Packages = patterns(m, opts, p.Host, groups)
		p.Modules = append(p.Modules, *m)
	}

	// The module graph, and the layers over it.
	mods := graph{}
	for from, tos := range edges {
		for to, e := range tos {
			if moduleOf[from] != moduleOf[to] {
				mods.merge(moduleOf[from], moduleOf[to], e)
			}
		}
	}
	names := keys(byName)
	against := mods.feedback(names)
	p.Layers = mods.layers(names, against)
	for _, e := range against {
		p.Against = append(p.Against, *e)
	}
	slices.SortFunc(p.Against, func(a, b Import) int { return cmp.Or(cmp.Compare(a.From, b.From), cmp.Compare(a.To, b.To)) })
	return p
}

// group returns the group of a package path: its first Depth path elements
// under Prefix, or false when it is not under Prefix.
func group(path string, opts Options) (string, bool) {
	rest := path
	if opts.Prefix != "" {
		r, ok := strings.CutPrefix(path, opts.Prefix)
		if !ok || (r != "" && !strings.HasPrefix(r, "/")) {
			return "", false
		}
		rest = strings.TrimPrefix(r, "/")
	}
	elems := strings.Split(rest, "/")
	if rest == "" {
		elems = nil
	}
	if opts.Depth > 0 && len(elems) > opts.Depth {
		elems = elems[:opts.Depth]
	}
	return strings.Join(append(prefixElems(opts.Prefix), elems...), "/"), true
}

func prefixElems(prefix string) []string {
	if prefix == "" {
		return nil
	}
	return []string{strings.TrimSuffix(prefix, "/")}
}

// moduleName names a module after its group's path below the prefix:
// "api", "api_v2" ("/" and "." become "_", which module names accept);
// the prefix's own package is named after the prefix's last element.
func moduleName(g, prefix string) string {
	short := strings.TrimPrefix(strings.TrimPrefix(g, strings.TrimSuffix(prefix, "/")), "/")
	if short == "" {
		short = g[strings.LastIndex(g, "/")+1:]
	}
	if short == "" {
		short = "root"
	}
	name := strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '_':
			return r
		}
		return '_'
	}, short)
	if c := name[0]; (c < 'a' || c > 'z') && (c < 'A' || c > 'Z') {
		name = "m" + name
	}
	return name
}

// uniqueNames gives groups that share a name (api.v2 and api_v2) a number.
func uniqueNames(groups []string, moduleOf map[string]string) {
	owner := map[string]string{} // name -> first group holding it
	for _, g := range groups {
		name := moduleOf[g]
		first, taken := owner[name]
		if !taken {
			owner[name] = g
			continue
		}
		if moduleOf[first] == name && sameModule(first, g, moduleOf) {
			continue // merged groups share their module's name
		}
		for i := 2; ; i++ {
			if n := fmt.Sprintf("%s_%d", name, i); owner[n] == "" {
				moduleOf[g], owner[n] = n, g
				break
			}
		}
	}
}

// sameModule reports whether two groups were merged into one module.
func sameModule(a, b string, moduleOf map[string]string) bool {
	return strings.Contains(moduleOf[a], "_and_") && moduleOf[a] == moduleOf[b]
}

// patterns returns the import-path patterns of a module: one tree pattern
// per group when the tree holds exactly the module's packages of that
// group (no package of others, such as the host's main packages or
// another group, below it), else its paths.
func patterns(m *Module, opts Options, host, groups []string) []string {
	var out []string
	for _, g := range m.Groups {
		var own []string
		for _, p := range m.Members {
			if gg, _ := group(p, opts); gg == g {
				own = append(own, p)
			}
		}
		tree := g + "/..."
		clean := !opts.Exact && opts.Depth > 0 && g != strings.TrimSuffix(opts.Prefix, "/")
		for _, h := range host {
			clean = clean && h != g && !strings.HasPrefix(h, g+"/")
		}
		for _, o := range groups {
			clean = clean && !strings.HasPrefix(o, g+"/")
		}
		if clean {
			out = append(out, tree)
		} else {
			out = append(out, own...)
		}
	}
	slices.Sort(out)
	return out
}

func keys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}
