package layering

import (
	_ "embed"
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"sort"
	"strconv"
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/reloadvet/reloadvet/internal/analyzerdoc"
	"github.com/reloadvet/reloadvet/internal/config"
	"github.com/reloadvet/reloadvet/internal/configpos"
	"github.com/reloadvet/reloadvet/internal/scope"
	"github.com/reloadvet/reloadvet/internal/suppress"
)

//go:embed doc.go
var doc string

const name = "layering"

// Analyzer is layering without a config: it has nothing to check. Drivers
// use New with the config in effect.
var Analyzer = New(config.Default())

// New returns the layering analyzer for the given config.
func New(cfg *config.Config) *analysis.Analyzer {
	src := config.NewSource(cfg)
	a := &analysis.Analyzer{
		Name:      name,
		Doc:       analyzerdoc.MustExtract(doc, name),
		URL:       "https://pkg.go.dev/github.com/reloadvet/reloadvet/analyzers/layering",
		Run:       suppress.Wrap(name, src, func(pass *analysis.Pass, cfg *config.Config) (any, error) { return nil, run(pass, cfg) }),
		FactTypes: []analysis.Fact{new(edgesFact)},
	}
	src.AddFlags(&a.Flags)
	return a
}

// edgesFact is the set of module-to-module imports in a package and its
// dependencies, so that a package can see a cycle that runs through
// packages it does not import directly.
type edgesFact struct {
	Layout string // the config's Layout when the fact was computed
	Edges  []edge // sorted by From, then To
}

// An edge is a module importing another, with one import that shows it.
type edge struct {
	From, To string // module names
	Via      string // "p imports q", the least such in sort order
}

func (*edgesFact) AFact() {}

func (f *edgesFact) String() string {
	parts := make([]string, len(f.Edges))
	for i, e := range f.Edges {
		parts[i] = e.From + "->" + e.To
	}
	return "moduleEdges(" + strings.Join(parts, ", ") + ")"
}

// ownImport is an import spec of the package being checked that crosses
// from its module into another.
type ownImport struct {
	edge
	spec *ast.ImportSpec
}

func run(pass *analysis.Pass, cfg *config.Config) error {
	if len(cfg.Modules) == 0 {
		return nil
	}
	files := scope.Files(pass, cfg)
	// seen holds every edge the checked files show; exported only those of
	// non-test files, so that a package and its test variant export the same
	// fact: the package as its importers see it.
	seen, exported := graph{}, graph{}
	deps := depFacts(pass, cfg, files)
	for _, d := range deps {
		seen.addAll(d.fact.Edges)
		if !scope.InTestFile(pass.Fset, d.spec.Pos()) {
			exported.addAll(d.fact.Edges)
		}
	}
	var own []ownImport
	if owner := cfg.Owner(pass.Pkg.Path()); owner != nil {
		rel := configpos.New(pass, cfg)
		own = crossings(pass, cfg, owner, files)
		for _, imp := range own {
			seen.add(imp.edge)
			if !scope.InTestFile(pass.Fset, imp.spec.Pos()) {
				exported.add(imp.edge)
			}
			checkLayers(pass, cfg, rel, imp)
		}
	}
	if len(exported) > 0 && pass.Pkg.Name() != "main" { // nothing imports main
		pass.ExportPackageFact(&edgesFact{Layout: cfg.Layout(), Edges: exported.edges()})
	}
	if len(own) > 0 {
		reportCycles(pass, cfg, seen, own, deps)
	}
	return nil
}

// depFact is the fact of a package imported by a checked file.
type depFact struct {
	spec *ast.ImportSpec // the first import of it, in file order
	fact *edgesFact
}

func depFacts(pass *analysis.Pass, cfg *config.Config, files []*ast.File) []depFact {
	var deps []depFact
	seen := map[*types.Package]bool{}
	for _, f := range files {
		for _, spec := range f.Imports {
			pkg := importedPackage(pass, spec)
			if pkg == nil || seen[pkg] {
				continue
			}
			seen[pkg] = true
			// A fact computed under another layout (a driver's cache that
			// outlived a config edit) names modules that may no longer
			// exist: leave it out rather than report from it.
			fact := new(edgesFact)
			if pass.ImportPackageFact(pkg, fact) && fact.Layout == cfg.Layout() {
				deps = append(deps, depFact{spec, fact})
			}
		}
	}
	return deps
}

// importedPackage returns the package an import spec refers to, or nil for
// an import the type checker could not resolve (such as "C").
func importedPackage(pass *analysis.Pass, spec *ast.ImportSpec) *types.Package {
	if pn := pass.TypesInfo.PkgNameOf(spec); pn != nil {
		return pn.Imported()
	}
	return nil
}

// crossings returns the imports of the checked files that lead from the
// owner's module into another module, in file order.
func crossings(pass *analysis.Pass, cfg *config.Config, owner *config.Module, files []*ast.File) []ownImport {
	var out []ownImport
	for _, f := range files {
		for _, spec := range f.Imports {
			path, err := strconv.Unquote(spec.Path.Value)
			if pkg := importedPackage(pass, spec); pkg != nil {
				path, err = pkg.Path(), nil
			}
			if err != nil {
				continue
			}
			target := cfg.Owner(path)
			if target == nil || target == owner {
				continue
			}
			e := edge{From: owner.Name, To: target.Name, Via: pass.Pkg.Path() + " imports " + path}
			out = append(out, ownImport{e, spec})
		}
	}
	return out
}

// checkLayers reports an import that goes up or sideways.
//
//	import "example.com/app/admin/users" // from a module in the same or a lower layer than admin
func checkLayers(pass *analysis.Pass, cfg *config.Config, rel *configpos.File, imp ownImport) {
	var category, rule string
	switch cfg.Direction(imp.From, imp.To) {
	case config.Down:
		return
	case config.Up:
		category, rule = "upward-import", "a module may only import lower layers"
	case config.Sideways:
		category, rule = "sideways-import", "peers in one layer may not import each other"
	}
	from, to := cfg.Layer(imp.From), cfg.Layer(imp.To)
	pass.Report(analysis.Diagnostic{
		Pos:      imp.spec.Pos(),
		End:      imp.spec.End(),
		Category: category,
		Message:  fmt.Sprintf("module %s (layer %d) imports module %s (layer %d): %s", imp.From, from, imp.To, to, rule),
		Related:  append(rel.Layer(imp.From), rel.Layer(imp.To)...),
	})
}

// reportCycles reports each cycle among modules that the package's own
// imports close and that none of its dependencies already contains.
//
// A cycle is named only at an import that breaks the layering (every cycle
// has one, since layers are strictly ordered): the many packages that
// import downwards into a cycle each see it too, and reporting it there
// would repeat it once per package.
func reportCycles(pass *analysis.Pass, cfg *config.Config, g graph, own []ownImport, deps []depFact) {
	known := map[string]bool{} // cycles already visible in a dependency
	for _, d := range deps {
		dg := graph{}
		dg.addAll(d.fact.Edges)
		for _, scc := range dg.cycles() {
			known[key(scc)] = true
		}
	}
	sort.SliceStable(own, func(i, j int) bool { return own[i].spec.Pos() < own[j].spec.Pos() })
	for _, scc := range g.cycles() {
		if known[key(scc)] {
			continue
		}
		in := map[string]bool{}
		for _, m := range scc {
			in[m] = true
		}
		for _, imp := range own {
			if in[imp.From] && in[imp.To] && cfg.Direction(imp.From, imp.To) != config.Down {
				reportCycle(pass, g, imp, scc, own, deps)
				break
			}
		}
	}
}

// reportCycle reports the cycle through imp's edge, naming every module on
// it, with each edge of it as related information.
//
//	import "example.com/app/admin/x" // in api, while admin imports api elsewhere
func reportCycle(pass *analysis.Pass, g graph, imp ownImport, scc []string, own []ownImport, deps []depFact) {
	path := g.path(imp.To, imp.From, scc)
	cycle := append([]string{imp.From}, path...)
	msg := cycleMessage(cycle)
	var rel []analysis.RelatedInformation
	for i := 0; i+1 < len(cycle); i++ {
		e := g[cycle[i]][cycle[i+1]]
		rel = append(rel, analysis.RelatedInformation{
			Pos:     evidence(e, own, deps),
			Message: fmt.Sprintf("%s -> %s: %s", e.From, e.To, e.Via),
		})
	}
	pass.Report(analysis.Diagnostic{
		Pos: imp.spec.Pos(), End: imp.spec.End(), Category: "module-cycle",
		Message: msg, Related: rel,
	})
}

// evidence returns where the package shows an edge: its own import, or the
// import of the dependency through which it learned of the edge.
func evidence(e edge, own []ownImport, deps []depFact) token.Pos {
	for _, imp := range own {
		if imp.From == e.From && imp.To == e.To {
			return imp.spec.Pos()
		}
	}
	for _, d := range deps {
		for _, de := range d.fact.Edges {
			if de.From == e.From && de.To == e.To {
				return d.spec.Pos()
			}
		}
	}
	return token.NoPos
}

// Note says, for a driver's -v output, why layering has nothing to check
// under cfg, or returns "".
func Note(cfg *config.Config) string {
	switch {
	case !cfg.Present():
		return "no config: nothing to check"
	case len(cfg.Modules) == 0:
		return "no modules configured: nothing to check"
	}
	return ""
}
