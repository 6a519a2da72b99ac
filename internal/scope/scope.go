// Package scope decides what part of a package a reload-safety analyzer
// checks: which module owns it, and which of its files are in scope.
//
// With a config, the reload-scope analyzers check packages owned by a
// module. Without one, unjoined checks every package but main, and the
// others have nothing to check. _test.go files are checked only when the
// config (or the -tests flag) asks for them.
package scope

import (
	"go/ast"
	"go/token"
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/reloadvet/reloadvet/internal/config"
)

// A Policy says which packages an analyzer checks.
type Policy int

const (
	// Modules checks packages owned by a module, and nothing without a
	// config.
	Modules Policy = iota
	// ModulesOrNonMain checks packages owned by a module or, without a
	// config, every package but main.
	ModulesOrNonMain
)

// A Unit is the part of one package that an analyzer checks.
type Unit struct {
	Module *config.Module // owner; nil when there is no config
	Layer  int            // 1-based layer of Module; 0 without a config
	Files  []*ast.File    // the files to check
}

// Of returns the unit of pass.Pkg that an analyzer with the given policy
// checks, and whether there is anything to check.
func Of(pass *analysis.Pass, cfg *config.Config, policy Policy) (Unit, bool) {
	files := Files(pass, cfg)
	if len(files) == 0 {
		return Unit{}, false
	}
	if !cfg.Present() {
		if policy == ModulesOrNonMain && pass.Pkg.Name() != "main" {
			return Unit{Files: files}, true
		}
		return Unit{}, false
	}
	m := cfg.Owner(pass.Pkg.Path())
	if m == nil {
		return Unit{}, false
	}
	return Unit{Module: m, Layer: cfg.Layer(m.Name), Files: files}, true
}

// Files returns the files of pass that are in scope: all of them with
// cfg.Tests, else all but _test.go files.
func Files(pass *analysis.Pass, cfg *config.Config) []*ast.File {
	if cfg.Tests {
		return pass.Files
	}
	files := make([]*ast.File, 0, len(pass.Files))
	for _, f := range pass.Files {
		if !InTestFile(pass.Fset, f.FileStart) {
			files = append(files, f)
		}
	}
	return files
}

// InTestFile reports whether pos is in a _test.go file.
func InTestFile(fset *token.FileSet, pos token.Pos) bool {
	tf := fset.File(pos)
	return tf != nil && strings.HasSuffix(tf.Name(), "_test.go")
}
