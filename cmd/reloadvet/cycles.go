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

// cyclesOnce adds the module cycles of the program to the findings, which
// come sorted as collect returns them: the layering analyzer reports the
// imports that break the layering, and naming the cycles they close is a
// program-level pass (layering.ProgramCycles).
func cyclesOnce(cfg *config.Config, selected []*analysis.Analyzer, pkgs []*packages.Package, findings []report.Finding) []report.Finding {
	if more := programCycles(cfg, selected, pkgs); len(more) > 0 {
		return report.Sort(append(findings, more...))
	}
	return findings
}

// programCycles returns a finding for each elementary module cycle, named
// once, at its first checked breaking import that no directive
// suppresses.
//
//	a/a1 imports b/b1 (upward), b/b2 imports a/a2, cmd/m imports a1 and b2:
//	a/a1/a1.go:3:8: module import cycle a -> b -> a: ... (layering)
func programCycles(cfg *config.Config, selected []*analysis.Analyzer, pkgs []*packages.Package) []report.Finding {
	if len(cfg.Modules) == 0 || !slices.ContainsFunc(selected, func(a *analysis.Analyzer) bool { return a.Name == "layering" }) {
		return nil
	}
	imports, sites := moduleImports(cfg, pkgs)
	cycles, _ := layering.ProgramCycles(cfg, imports, layering.DefaultCycleLimit)
	var out []report.Finding
	for _, c := range cycles {
		at := sites[c.At]
		f := report.Finding{
			Analyzer: "layering", Category: c.Category, Package: at.pkgID,
			Posn: at.fset.Position(at.spec.Pos()), End: at.fset.Position(at.spec.End()), Message: c.Message,
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
				site := importSite{p.ID, p.Fset, f, spec}
				all = append(all, found{
					imp: layering.Import{From: from.Name, To: to.Name, Importer: p.PkgPath, Imported: q.PkgPath,
						Checked: roots[p], Suppressed: suppressed(site, posn.Line)},
					site: site,
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
