// Package facts decides which objects an analyzer may export facts on, so
// that every driver carries the same facts to the packages that import
// them.
//
// Drivers move facts differently. unitchecker (go vet -vettool, Bazel's
// nogo) serialises them: a fact survives only on an object objectpath can
// name, and an importer decodes it only for an object in the export data it
// has; facts on package-level functions and variables of indirect
// dependencies are not passed on. golangci-lint keeps facts in memory and
// passes on, from each dependency, facts on its exported functions, on
// methods and fields, types and constants. The intersection, for the
// function facts reloadvet's analyzers export, is: a function of the
// package being analysed that objectpath can name and that other packages
// can refer to (exported), or a method. A fact exported anywhere else is
// seen by one driver and not another, or by none, and could make the
// drivers decide differently.
package facts

import (
	"go/types"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/types/objectpath"
)

// Exportable reports whether a fact on fn reaches the importers of pass's
// package under every driver.
func Exportable(pass *analysis.Pass, fn *types.Func) bool {
	if fn.Pkg() != pass.Pkg {
		return false
	}
	if fn.Signature().Recv() == nil && (!fn.Exported() || fn.Parent() != pass.Pkg.Scope()) {
		return false // an unexported function, init, or a function not at package level
	}
	_, err := objectpath.For(fn)
	return err == nil
}

// ExportFunc exports fact on fn when Exportable allows it, and reports
// whether it did.
func ExportFunc(pass *analysis.Pass, fn *types.Func, fact analysis.Fact) bool {
	if !Exportable(pass, fn) {
		return false
	}
	pass.ExportObjectFact(fn, fact)
	return true
}
