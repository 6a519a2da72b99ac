package unjoined

import (
	_ "embed"
	"go/types"
	"reflect"

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
		Name:       name,
		Doc:        analyzerdoc.MustExtract(doc, name),
		URL:        "https://pkg.go.dev/github.com/reloadvet/reloadvet/analyzers/unjoined",
		Requires:   []*analysis.Analyzer{buildssa.Analyzer},
		Run:        suppress.Wrap(name, src, func(pass *analysis.Pass, cfg *config.Config) (any, error) { return run(pass, cfg), nil }),
		ResultType: reflect.TypeFor[*Summary](),
		FactTypes:  []analysis.Fact{new(effectsFact), new(spawnsFact)},
	}
	src.AddFlags(&a.Flags)
	return a
}

// A Summary counts what unjoined decided about the spawns of one package
// (the analyzer's result, for a driver's -v output or a census): how many
// it checked, found joined, reported, and could not judge. A spawn is not
// judged when its end signal goes where the package cannot follow: a
// caller's group, a channel kept or handed out, an exported field, a
// sync.Cond, or code of unknown effect that could reach what is waited on.
type Summary struct {
	Spawns, Joined, Reported, NotJudged int
}

func run(pass *analysis.Pass, cfg *config.Config) *Summary {
	ssainfo := pass.ResultOf[buildssa.Analyzer].(*buildssa.SSA)
	a := joins.New(func(fn *types.Func) []joins.Effect { return importEffects(pass, fn) })
	exportEffects(pass, a, ssainfo.SrcFuncs)
	exportSpawns(pass, a, ssainfo.SrcFuncs)

	unit, ok := scope.Of(pass, cfg, scope.ModulesOrNonMain)
	if !ok {
		return &Summary{}
	}
	inUnit := fileSet(pass, unit)
	r := &reporter{pass: pass, cfg: cfg, unit: unit, a: a, funcs: ssainfo.SrcFuncs}
	for _, fn := range ssainfo.SrcFuncs {
		if !inUnit[pass.Fset.File(fn.Pos())] || insideSpawner(cfg, fn) {
			continue
		}
		for _, s := range joins.Spawns(fn) {
			if isSpawnerCall(cfg, s) {
				continue
			}
			r.check(s, nil)
		}
		for _, h := range helperSpawns(pass, cfg, fn) {
			r.check(h.spawn, h.callee)
		}
	}
	return &r.sum
}

// A helperSpawn is a call of a helper of another package, outside every
// module, that starts the func it is given without waiting for it: the
// call site is where the user can act.
type helperSpawn struct {
	spawn  joins.Spawn
	callee *types.Func
}

// helperSpawns returns the calls in fn of helpers that start their func
// argument (by their spawnsFact) and that no module owns; a helper in a
// module is reported where it spawns.
//
//	lib.Go(func() { ... })
func helperSpawns(pass *analysis.Pass, cfg *config.Config, fn *ssa.Function) []helperSpawn {
	var out []helperSpawn
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			call, ok := instr.(*ssa.Call)
			if !ok {
				continue
			}
			callee := call.Call.StaticCallee()
			if callee == nil {
				continue
			}
			obj, ok := callee.Object().(*types.Func)
			if !ok || cfg.IsSpawner(obj) || isChecked(cfg, obj.Pkg()) {
				continue
			}
			p, ok := importSpawns(pass, obj)
			if !ok {
				continue
			}
			if s, ok := joins.HelperSpawn(call, p); ok {
				out = append(out, helperSpawn{spawn: s, callee: obj})
			}
		}
	}
	return out
}

// isChecked reports whether unjoined checks the package of a helper
// itself, so that its spawn is reported there: the package is owned by a
// module, or, without a config, is not a main package.
func isChecked(cfg *config.Config, pkg *types.Package) bool {
	if pkg == nil {
		return true
	}
	if !cfg.Present() {
		return pkg.Name() != "main"
	}
	return cfg.Owner(pkg.Path()) != nil
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
