package unjoined

import (
	_ "embed"
	"go/types"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/buildssa"
	"golang.org/x/tools/go/ssa"

	"github.com/reloadvet/reloadvet/internal/analyzerdoc"
	"github.com/reloadvet/reloadvet/internal/config"
	"github.com/reloadvet/reloadvet/internal/joins"
	"github.com/reloadvet/reloadvet/internal/scope"
	"github.com/reloadvet/reloadvet/internal/suppress"
)

//go:embed doc.go
var doc string

const name = "unjoined"

// Analyzer is unjoined with the default config: it checks every non-main
// package and knows no spawners.
var Analyzer = New(config.Default())

// New returns the unjoined analyzer for the given config.
func New(cfg *config.Config) *analysis.Analyzer {
	src := config.NewSource(cfg)
	a := &analysis.Analyzer{
		Name:      name,
		Doc:       analyzerdoc.MustExtract(doc, name),
		URL:       "https://pkg.go.dev/github.com/reloadvet/reloadvet/analyzers/unjoined",
		Requires:  []*analysis.Analyzer{buildssa.Analyzer},
		Run:       suppress.Wrap(name, src, func(pass *analysis.Pass, cfg *config.Config) (any, error) { return nil, run(pass, cfg) }),
		FactTypes: []analysis.Fact{new(effectsFact)},
	}
	src.AddFlags(&a.Flags)
	return a
}

func run(pass *analysis.Pass, cfg *config.Config) error {
	ssainfo := pass.ResultOf[buildssa.Analyzer].(*buildssa.SSA)
	a := joins.New(func(fn *types.Func) []joins.Effect { return importEffects(pass, fn) })
	exportEffects(pass, a, ssainfo.SrcFuncs)

	unit, ok := scope.Of(pass, cfg, scope.ModulesOrNonMain)
	if !ok {
		return nil
	}
	inUnit := fileSet(pass, unit)
	var own *owners // built on the first spawn that needs it
	r := &reporter{pass: pass}
	for _, fn := range ssainfo.SrcFuncs {
		if !inUnit[pass.Fset.File(fn.Pos())] || insideSpawner(cfg, fn) {
			continue
		}
		for _, s := range joins.Spawns(fn) {
			if isSpawnerCall(cfg, s) {
				continue
			}
			res := a.Check(s)
			if res.Verdict == joins.Joined || res.Verdict == joins.Unsure {
				continue
			}
			if own == nil {
				own = ownersOf(a, ssainfo.SrcFuncs)
			}
			r.report(s, res, own)
		}
	}
	return nil
}

// insideSpawner reports whether fn is, or is nested in, a configured
// spawner: the spawner's owner joins what it starts.
func insideSpawner(cfg *config.Config, fn *ssa.Function) bool {
	for ; fn != nil; fn = fn.Parent() {
		if obj, ok := fn.Object().(*types.Func); ok && cfg.IsSpawner(obj) {
			return true
		}
	}
	return false
}

// isSpawnerCall reports whether a group spawn calls a method the config
// lists as a spawner (errgroup's Go, say): calls to spawners are not
// spawns.
func isSpawnerCall(cfg *config.Config, s joins.Spawn) bool {
	if s.Group == nil {
		return false
	}
	callee := s.Call.StaticCallee()
	if callee == nil {
		return false
	}
	obj, ok := callee.Object().(*types.Func)
	return ok && cfg.IsSpawner(obj)
}

// Note says, for a driver's -v output, what unjoined checks under cfg when
// that is out of the ordinary, or returns "".
func Note(cfg *config.Config) string {
	switch {
	case !cfg.Present():
		return "no config: checking every package but main"
	case len(cfg.Modules) == 0:
		return "no modules configured: nothing to check"
	}
	return ""
}
