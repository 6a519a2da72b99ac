package layering

import (
	_ "embed"
	"fmt"
	"go/ast"
	"go/types"
	"strconv"

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
		Name: name,
		Doc:  analyzerdoc.MustExtract(doc, name),
		URL:  "https://pkg.go.dev/github.com/reloadvet/reloadvet/analyzers/layering",
		Run:  suppress.Wrap(name, src, func(pass *analysis.Pass, cfg *config.Config) (any, error) { return nil, run(pass, cfg) }),
	}
	src.AddFlags(&a.Flags)
	return a
}

// ownImport is an import spec of the package being checked that crosses
// from its module into another.
type ownImport struct {
	from, to string // module names
	spec     *ast.ImportSpec
}

func run(pass *analysis.Pass, cfg *config.Config) error {
	if len(cfg.Modules) == 0 {
		return nil
	}
	owner := cfg.Owner(pass.Pkg.Path())
	if owner == nil {
		return nil
	}
	rel := configpos.New(pass, cfg)
	for _, imp := range crossings(pass, cfg, owner, scope.Files(pass, cfg)) {
		checkLayers(pass, cfg, rel, imp)
	}
	return nil
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
			out = append(out, ownImport{owner.Name, target.Name, spec})
		}
	}
	return out
}

// checkLayers reports an import that goes up or sideways.
//
//	import "example.com/app/admin/users" // from a module in the same or a lower layer than admin
func checkLayers(pass *analysis.Pass, cfg *config.Config, rel *configpos.File, imp ownImport) {
	var category, rule string
	switch cfg.Direction(imp.from, imp.to) {
	case config.Down:
		return
	case config.Up:
		category, rule = "upward-import", "a module may only import lower layers"
	case config.Sideways:
		category, rule = "sideways-import", "peers in one layer may not import each other"
	}
	from, to := cfg.Layer(imp.from), cfg.Layer(imp.to)
	pass.Report(analysis.Diagnostic{
		Pos:      imp.spec.Pos(),
		End:      imp.spec.End(),
		Category: category,
		Message:  fmt.Sprintf("module %s (layer %d) imports module %s (layer %d): %s", imp.from, from, imp.to, to, rule),
		Related:  append(rel.Layer(imp.from), rel.Layer(imp.to)...),
	})
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
