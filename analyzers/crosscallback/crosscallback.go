package crosscallback

import (
	_ "embed"
	"go/ast"
	"go/token"
	"go/types"
	"slices"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/buildssa"
	"golang.org/x/tools/go/ssa"

	"github.com/reloadvet/reloadvet/internal/analyzerdoc"
	"github.com/reloadvet/reloadvet/internal/config"
	"github.com/reloadvet/reloadvet/internal/configpos"
	"github.com/reloadvet/reloadvet/internal/scope"
	"github.com/reloadvet/reloadvet/internal/suppress"
)

//go:embed doc.go
var doc string

const name = "crosscallback"

// Analyzer is crosscallback without a config: it has nothing to check.
// Drivers use New with the config in effect.
var Analyzer = New(config.Default())

// New returns the crosscallback analyzer for the given config.
//
// Its flag -skip-init (-crosscallback.skip-init in drivers), once given,
// overrides the config's crosscallback.skip-init either way.
func New(cfg *config.Config) *analysis.Analyzer {
	table := tableIndex()
	opts := &options{}
	src := config.NewSource(cfg)
	a := &analysis.Analyzer{
		Name:      name,
		Doc:       analyzerdoc.MustExtract(doc, name),
		URL:       "https://pkg.go.dev/github.com/reloadvet/reloadvet/analyzers/crosscallback",
		Requires:  []*analysis.Analyzer{buildssa.Analyzer},
		FactTypes: []analysis.Fact{new(retainsFact)},
		Run: suppress.Wrap(name, src, func(pass *analysis.Pass, cfg *config.Config) (any, error) {
			return nil, run(pass, cfg, opts, table)
		}),
	}
	a.Flags.Var(&opts.skipInit, "skip-init",
		"do not report callbacks registered during package initialisation (category init-registration); overrides crosscallback.skip-init of the config")
	src.AddFlags(&a.Flags)
	return a
}

// options are the settings of one instance: flags that, once set, override
// keys of the config in effect.
type options struct {
	skipInit config.Override
}

// Note says, for a driver's -v output, why crosscallback has nothing to
// check under cfg, or returns "".
func Note(cfg *config.Config) string {
	switch {
	case !cfg.Present():
		return "no config: nothing to check"
	case len(cfg.Modules) == 0:
		return "no modules configured: nothing to check"
	}
	return ""
}

func run(pass *analysis.Pass, cfg *config.Config, opts *options, table map[string]*registration) error {
	if Note(cfg) != "" {
		return nil
	}
	res := pass.ResultOf[buildssa.Analyzer].(*buildssa.SSA)
	funcs := withInit(res)
	a := &pkgAnalysis{
		pass:      pass,
		cfg:       cfg,
		table:     table,
		ssa:       res,
		funcs:     funcs,
		index:     newIndex(res.Pkg, funcs, skipTests(pass, cfg)),
		summaries: map[*ssa.Function]summary{},
		facts:     map[*types.Func]*retainsFact{},
		holds:     map[types.Type]bool{},
		carry:     map[types.Type]bool{},
		joins:     map[*ssa.Function]bool{},
		calls:     map[callKey]bool{},
		returns:   map[*ssa.Function]bool{},
		from:      map[*ssa.Function][]int{},
	}
	// Facts are computed for every package, module or not, so that a
	// module's call into the standard library or a lower layer knows what
	// the callee keeps.
	if !opaque(pass.Pkg.Path()) {
		a.summarizeAll()
		a.exportFacts()
	}

	unit, ok := scope.Of(pass, cfg, scope.Modules)
	if !ok {
		return nil
	}
	a.module = unit.Module
	files := map[*token.File]*ast.File{}
	for _, f := range unit.Files {
		files[pass.Fset.File(f.FileStart)] = f
	}
	c := &checker{
		a:       a,
		module:  unit.Module,
		layer:   unit.Layer,
		files:   files,
		cfgFile: configpos.New(pass, cfg),
		pending: map[token.Pos]*pendingDiag{},
		handles: map[*types.Named]bool{},
		opts:    opts,
	}
	c.run()
	return nil
}

// withInit returns the package's source functions and, after them, its
// initialiser with the func literals of package-level variable
// initialisers (var once = sync.OnceValue(func() ...)), which buildssa
// leaves out.
func withInit(res *buildssa.SSA) []*ssa.Function {
	funcs := slices.Clone(res.SrcFuncs)
	init := res.Pkg.Func("init")
	if init == nil {
		return funcs
	}
	var add func(fn *ssa.Function)
	add = func(fn *ssa.Function) {
		funcs = append(funcs, fn)
		for _, anon := range fn.AnonFuncs {
			add(anon)
		}
	}
	add(init)
	return funcs
}

// isInit reports whether fn runs package initialisation: an init
// function, or the initialiser of the package-level variables. A func
// literal written in one is not: it runs when it is called, as the func
// of a sync.OnceValue in a variable's initialiser.
func isInit(fn *ssa.Function) bool {
	return fn.Parent() == nil && fn.Signature.Recv() == nil && (fn.Name() == "init" || strings.HasPrefix(fn.Name(), "init#"))
}

// skipTests returns the filter that leaves out functions written in
// _test.go files, unless the config checks tests.
func skipTests(pass *analysis.Pass, cfg *config.Config) func(*ssa.Function) bool {
	return func(fn *ssa.Function) bool {
		return !cfg.Tests && scope.InTestFile(pass.Fset, fn.Pos())
	}
}

// ownedByModule reports whether the package with the given path belongs
// to the module being checked.
func (a *pkgAnalysis) ownedByModule(path string) bool {
	return a.module != nil && a.cfg.Owner(path) == a.module
}
