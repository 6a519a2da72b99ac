package main

import (
	"go/ast"
	"go/parser"
	"go/token"
	"sort"
	"strconv"
	"strings"

	"github.com/reloadvet/reloadvet/analyzers/layering"
	"github.com/reloadvet/reloadvet/internal/config"
	"github.com/reloadvet/reloadvet/internal/report"
	"github.com/reloadvet/reloadvet/internal/suppress"
)

// importSite is where an import between modules is written.
type importSite struct {
	pkgID     string // go vet's ID of the importing package
	posn, end token.Position
}

// programCycles returns a finding for each elementary module cycle of the
// program, named once, at its first checked breaking import that no
// directive suppresses (layering.ProgramCycles), and whether there were
// more cycles than the limit.
//
//	a/a1 imports b/b1 (upward), b/b2 imports a/a2, cmd/m imports a1 and b2:
//	a/a1/a1.go:3:8: module import cycle a -> b -> a: ... (layering)
func programCycles(cfg *config.Config, prog *program) ([]report.Finding, bool, error) {
	if len(cfg.Modules) == 0 {
		return nil, false, nil
	}
	imports, sites, err := moduleImports(cfg, prog)
	if err != nil {
		return nil, false, err
	}
	cycles, truncated := layering.ProgramCycles(cfg, imports, layering.DefaultCycleLimit)
	var out []report.Finding
	for _, c := range cycles {
		at := sites[c.At]
		f := report.Finding{
			Analyzer: "layering", Category: c.Category, Package: at.pkgID,
			Posn: at.posn, End: at.end, Message: c.Message,
		}
		for i, step := range c.Steps {
			s := sites[step]
			f.Related = append(f.Related, report.Related{Posn: s.posn, End: s.end, Message: c.Related[i]})
		}
		out = append(out, f)
	}
	return out, truncated, nil
}

// moduleImports returns the imports between different modules in the
// program, in file and position order, with where each is written. Only
// the import blocks of the files of module packages are parsed. A package
// and its test variant share files: each import counts once, as checked
// when either is checked.
func moduleImports(cfg *config.Config, prog *program) ([]layering.Import, []importSite, error) {
	roots, all := prog.checked(cfg.Tests)
	checked := map[*listedPackage]bool{}
	for _, p := range roots {
		checked[p] = true
	}
	type found struct {
		imp  layering.Import
		site importSite
	}
	var list []found
	index := map[token.Position]int{}
	fset := token.NewFileSet()
	parsed := map[string]*ast.File{}
	for _, p := range all {
		importer := pkgPath(p.ImportPath)
		from := cfg.Owner(importer)
		if from == nil || !crossesModules(cfg, p, from) {
			continue
		}
		for _, name := range p.files() {
			if !cfg.Tests && strings.HasSuffix(name, "_test.go") {
				continue
			}
			f, ok := parsed[name]
			if !ok {
				var err error
				if f, err = parser.ParseFile(fset, name, nil, parser.ImportsOnly|parser.ParseComments); err != nil {
					return nil, nil, err
				}
				parsed[name] = f
			}
			for _, spec := range f.Imports {
				path, err := strconv.Unquote(spec.Path.Value)
				if err != nil {
					continue
				}
				if mapped, ok := p.ImportMap[path]; ok {
					path = mapped
				}
				to := cfg.Owner(pkgPath(path))
				if to == nil || to == from {
					continue
				}
				posn := fset.Position(spec.Pos())
				if i, dup := index[posn]; dup {
					list[i].imp.Checked = list[i].imp.Checked || checked[p]
					continue
				}
				index[posn] = len(list)
				list = append(list, found{
					imp: layering.Import{From: from.Name, To: to.Name, Importer: importer, Imported: pkgPath(path),
						Checked: checked[p], Suppressed: suppressed(fset, f, posn.Line)},
					site: importSite{importer, posn, fset.Position(spec.End())},
				})
			}
		}
	}
	sort.SliceStable(list, func(i, j int) bool {
		a, b := list[i].site.posn, list[j].site.posn
		if a.Filename != b.Filename {
			return a.Filename < b.Filename
		}
		return a.Offset < b.Offset
	})
	imports := make([]layering.Import, len(list))
	sites := make([]importSite, len(list))
	for i, f := range list {
		imports[i], sites[i] = f.imp, f.site
	}
	return imports, sites, nil
}

// crossesModules reports whether p imports a package of a module other
// than its own, from go list's data alone, so that only such packages'
// files are parsed.
func crossesModules(cfg *config.Config, p *listedPackage, from *config.Module) bool {
	for _, imp := range p.Imports {
		if to := cfg.Owner(pkgPath(imp)); to != nil && to != from {
			return true
		}
	}
	return false
}

// suppressed reports whether a directive in the file silences layering on
// line.
func suppressed(fset *token.FileSet, f *ast.File, line int) bool {
	for _, d := range suppress.Parse(fset, []*ast.File{f}) {
		if d.Covers("layering", line) {
			return true
		}
	}
	return false
}
