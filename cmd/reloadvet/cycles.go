package main

import (
	"go/ast"
	"go/token"
	"slices"
	"sort"
	"strconv"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/packages"

	"github.com/reloadvet/reloadvet/analyzers/layering"
	"github.com/reloadvet/reloadvet/internal/config"
	"github.com/reloadvet/reloadvet/internal/report"
	"github.com/reloadvet/reloadvet/internal/suppress"
)

// importSite is where an import between modules is written.
type importSite struct {
	pkgID string
	fset  *token.FileSet
	file  *ast.File
	spec  *ast.ImportSpec
}

// cyclesOnce makes the findings name each module cycle once: the layering
// analyzer names a cycle in every package that closes it with a breaking
// import of its own (api/x1 and api/x2 both import admin/y, which imports
// api/z), so repeats of a cycle of the same modules are dropped, keeping
// the first in position order; then the cycles no package could see whole
// are added (programCycles). The findings come sorted, as collect returns
// them.
func cyclesOnce(cfg *config.Config, selected []*analysis.Analyzer, pkgs []*packages.Package, findings []report.Finding) []report.Finding {
	seen := map[string]bool{}
	kept := findings[:0:0]
	for _, f := range findings {
		if modules, ok := cycleOf(f); ok {
			slices.Sort(modules)
			key := strings.Join(slices.Compact(modules), ",")
			if seen[key] {
				continue
			}
			seen[key] = true
		}
		kept = append(kept, f)
	}
	if more := programCycles(cfg, selected, pkgs, kept); len(more) > 0 {
		return report.Sort(append(kept, more...))
	}
	return kept
}

// cycleOf returns the modules of the cycle a layering finding names.
func cycleOf(f report.Finding) ([]string, bool) {
	if f.Analyzer != "layering" || f.Category != "module-cycle" {
		return nil, false
	}
	return layering.CycleModules(f.Message)
}

// programCycles returns findings for the module cycles that the layering
// analyzer could not name because no single package sees them whole (the
// two halves meet only in a package that imports both). The command loads
// the whole program, so it names each such cycle once, at its first
// breaking import in the checked packages, unless a directive there
// suppresses layering.
//
//	a/a1 imports b/b1 (upward), b/b2 imports a/a2, cmd/m imports a1 and b2:
//	a/a1/a1.go:3:8: module import cycle a -> b -> a: ... (layering)
func programCycles(cfg *config.Config, selected []*analysis.Analyzer, pkgs []*packages.Package, findings []report.Finding) []report.Finding {
	if len(cfg.Modules) == 0 || !slices.ContainsFunc(selected, func(a *analysis.Analyzer) bool { return a.Name == "layering" }) {
		return nil
	}
	imports, sites := moduleImports(cfg, pkgs)
	var named [][]string
	for _, f := range findings {
		if modules, ok := cycleOf(f); ok {
			named = append(named, modules)
		}
	}
	var out []report.Finding
	for _, c := range layering.ProgramCycles(cfg, imports, named) {
		at := sites[c.At]
		posn := at.fset.Position(at.spec.Pos())
		if suppressed(at, posn.Line) {
			continue
		}
		f := report.Finding{
			Analyzer: "layering", Category: "module-cycle", Package: at.pkgID,
			Posn: posn, End: at.fset.Position(at.spec.End()), Message: c.Message,
		}
		for i, step := range c.Steps {
			s := sites[step]
			f.Related = append(f.Related, report.Related{
				Posn: s.fset.Position(s.spec.Pos()), End: s.fset.Position(s.spec.End()), Message: c.Related[i],
			})
		}
		out = append(out, f)
	}
	return out
}

// moduleImports returns the imports between different modules in the
// loaded program, in file and position order, with where each is written.
// A package and its test variant share files: each import counts once.
func moduleImports(cfg *config.Config, pkgs []*packages.Package) ([]layering.Import, []importSite) {
	roots := map[*packages.Package]bool{}
	for _, p := range pkgs {
		roots[p] = true
	}
	type found struct {
		imp  layering.Import
		site importSite
		posn token.Position
	}
	var all []found
	index := map[token.Position]int{}
	packages.Visit(pkgs, nil, func(p *packages.Package) {
		from := cfg.Owner(p.PkgPath)
		if from == nil {
			return
		}
		for _, f := range p.Syntax {
			if !cfg.Tests && strings.HasSuffix(p.Fset.File(f.FileStart).Name(), "_test.go") {
				continue
			}
			for _, spec := range f.Imports {
				path, err := strconv.Unquote(spec.Path.Value)
				q := p.Imports[path]
				if err != nil || q == nil {
					continue
				}
				to := cfg.Owner(q.PkgPath)
				if to == nil || to == from {
					continue
				}
				posn := p.Fset.Position(spec.Pos())
				if i, dup := index[posn]; dup {
					all[i].imp.Checked = all[i].imp.Checked || roots[p]
					continue
				}
				index[posn] = len(all)
				all = append(all, found{
					imp:  layering.Import{From: from.Name, To: to.Name, Importer: p.PkgPath, Imported: q.PkgPath, Checked: roots[p]},
					site: importSite{p.ID, p.Fset, f, spec},
					posn: posn,
				})
			}
		}
	})
	sort.SliceStable(all, func(i, j int) bool {
		if all[i].posn.Filename != all[j].posn.Filename {
			return all[i].posn.Filename < all[j].posn.Filename
		}
		return all[i].posn.Offset < all[j].posn.Offset
	})
	imports := make([]layering.Import, len(all))
	sites := make([]importSite, len(all))
	for i, f := range all {
		imports[i], sites[i] = f.imp, f.site
	}
	return imports, sites
}

// suppressed reports whether a directive in the import's file silences
// layering on line.
func suppressed(s importSite, line int) bool {
	for _, d := range suppress.Parse(s.fset, []*ast.File{s.file}) {
		if d.Covers("layering", line) {
			return true
		}
	}
	return false
}
