package rawspawn

import (
	_ "embed"
	"go/ast"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/inspect"
	"golang.org/x/tools/go/ast/inspector"
	"golang.org/x/tools/go/types/typeutil"

	"github.com/reloadvet/reloadvet/internal/analyzerdoc"
	"github.com/reloadvet/reloadvet/internal/config"
	"github.com/reloadvet/reloadvet/internal/configpos"
	"github.com/reloadvet/reloadvet/internal/scope"
	"github.com/reloadvet/reloadvet/internal/suppress"
)

//go:embed doc.go
var doc string

const name = "rawspawn"

// Analyzer is rawspawn without a config: it has nothing to check. Drivers
// use New with the config in effect.
var Analyzer = New(config.Default())

// options are the settings of one instance that its flags give, each
// overriding the config in effect.
type options struct {
	allowScoped config.Override
}

// New returns the rawspawn analyzer for the given config. Its flag
// -allow-scoped (-rawspawn.allow-scoped in drivers) overrides the config's
// rawspawn.allow-scoped, whichever config is in effect.
func New(cfg *config.Config) *analysis.Analyzer {
	opts := &options{}
	src := config.NewSource(cfg)
	a := &analysis.Analyzer{
		Name:     name,
		Doc:      analyzerdoc.MustExtract(doc, name),
		URL:      "https://pkg.go.dev/github.com/reloadvet/reloadvet/analyzers/rawspawn",
		Requires: []*analysis.Analyzer{inspect.Analyzer},
		Run: suppress.Wrap(name, src, func(pass *analysis.Pass, cfg *config.Config) (any, error) {
			return nil, run(pass, cfg, opts)
		}),
	}
	a.Flags.Var(&opts.allowScoped, "allow-scoped",
		"allow go statements that the function starting them waits for on every path; overrides rawspawn.allow-scoped of the config")
	src.AddFlags(&a.Flags)
	return a
}

// Note says, for a driver's -v output, why rawspawn has nothing to check
// under cfg, or returns "".
func Note(cfg *config.Config) string {
	switch {
	case !cfg.Present():
		return "no config: nothing to check"
	case len(cfg.Modules) == 0:
		return "no modules configured: nothing to check"
	case len(cfg.Spawners) == 0:
		return "no spawners configured: nothing to check"
	}
	return ""
}

func run(pass *analysis.Pass, cfg *config.Config, opts *options) error {
	if Note(cfg) != "" {
		return nil
	}
	unit, ok := scope.Of(pass, cfg, scope.Modules)
	if !ok {
		return nil
	}
	c := &checker{
		pass:     pass,
		cfg:      cfg,
		module:   unit.Module.Name,
		spawners: cfg.SpawnerNames(),
		fixes:    newFixer(pass, cfg),
	}
	if opts.allowScoped.Or(cfg.Rawspawn.AllowScoped) {
		c.scoped = newScopeProver(pass)
	}
	inScope := map[*ast.File]bool{}
	for _, f := range unit.Files {
		inScope[f] = true
	}
	insp := pass.ResultOf[inspect.Analyzer].(*inspector.Inspector)
	for file := range insp.Root().Children() {
		if inScope[file.Node().(*ast.File)] {
			c.file(file)
		}
	}
	return nil
}

type checker struct {
	pass     *analysis.Pass
	cfg      *config.Config
	module   string
	spawners string // the configured spawners, for messages
	fixes    *fixer
	scoped   *scopeProver // nil unless allow-scoped

	related     []analysis.RelatedInformation
	relatedDone bool
}

// relatedInfo returns the spawners entries of the config file, computed
// for the first finding.
func (c *checker) relatedInfo() []analysis.RelatedInformation {
	if !c.relatedDone {
		c.related, c.relatedDone = spawnerRelated(c.pass, c.cfg), true
	}
	return c.related
}

var filter = []ast.Node{(*ast.FuncDecl)(nil), (*ast.GoStmt)(nil), (*ast.CallExpr)(nil)}

// file reports the raw spawns of one file, skipping the bodies of
// configured spawners.
func (c *checker) file(file inspector.Cursor) {
	file.Inspect(filter, func(cur inspector.Cursor) bool {
		switch n := cur.Node().(type) {
		case *ast.FuncDecl:
			fn, _ := c.pass.TypesInfo.Defs[n.Name].(*types.Func)
			return fn == nil || !c.cfg.IsSpawner(fn)
		case *ast.GoStmt:
			c.goStmt(cur, n)
		case *ast.CallExpr:
			c.call(n)
		}
		return true
	})
}

// goStmt reports a go statement.
//
//	go s.flush(n)
func (c *checker) goStmt(cur inspector.Cursor, stmt *ast.GoStmt) {
	if c.scoped != nil && c.scoped.joined(stmt.Go) {
		return // allow-scoped: the spawning function waits for it
	}
	d := analysis.Diagnostic{
		Pos:      stmt.Go,
		End:      stmt.Go + token.Pos(len(token.GO.String())),
		Category: "go-statement",
		Message:  "direct goroutine in module " + c.module + ": start it with " + c.spawners + " so it is joined at unload",
		Related:  c.relatedInfo(),
	}
	if fix, ok := c.fixes.fix(cur, stmt); ok {
		d.SuggestedFixes = []analysis.SuggestedFix{fix}
	}
	c.pass.Report(d)
}

// call reports a call that starts a goroutine the module's handle cannot
// join: an AfterFunc or a group's Go.
func (c *checker) call(call *ast.CallExpr) {
	fn := typeutil.StaticCallee(c.pass.TypesInfo, call)
	if fn == nil || fn.Pkg() == nil {
		return
	}
	if group := groupOf(fn); group != "" {
		c.groupGo(call, fn, group)
		return
	}
	if fn.Name() != "AfterFunc" || fn.Signature().Recv() != nil {
		return
	}
	if p := fn.Pkg().Path(); p != "time" && p != "context" {
		return
	}
	c.afterFunc(call, fn)
}

// afterFunc reports a call of time.AfterFunc or context.AfterFunc.
//
//	time.AfterFunc(d, s.expire)
//	context.AfterFunc(ctx, s.cleanup)
func (c *checker) afterFunc(call *ast.CallExpr, fn *types.Func) {
	c.pass.Report(analysis.Diagnostic{
		Pos:      call.Fun.Pos(),
		End:      call.Fun.End(),
		Category: "after-func",
		Message: fn.Pkg().Name() + ".AfterFunc in module " + c.module + " runs its func on a raw goroutine: start it with " +
			c.spawners + " so it is joined at unload",
		Related: c.relatedInfo(),
	})
}

// groupGo reports a call of a group's Go or TryGo, unless allow-scoped
// shows that the calling function waits for the group on every path.
//
//	wg.Go(s.flush)
//	g.Go(func() error { return s.fetch(ctx) })
func (c *checker) groupGo(call *ast.CallExpr, fn *types.Func, group string) {
	if c.scoped != nil && c.scoped.joined(call.Lparen) {
		return // allow-scoped: the spawning function waits for it
	}
	sel, _ := ast.Unparen(call.Fun).(*ast.SelectorExpr)
	if sel == nil {
		return // a method expression, (*sync.WaitGroup).Go(wg, f): reported as the call it is, if ever written
	}
	c.pass.Report(analysis.Diagnostic{
		Pos:      sel.Sel.Pos(),
		End:      call.Lparen,
		Category: "group-go",
		Message: group + "." + fn.Name() + " in module " + c.module + " starts a goroutine the module's handle cannot join: start it with " +
			c.spawners + " so it is joined at unload",
		Related: c.relatedInfo(),
	})
}

// groupOf returns "(*sync.WaitGroup)" or "(*errgroup.Group)" when fn is
// the Go or TryGo method of that group, and "" otherwise. Groups are known
// by import path and name, as internal/joins knows them.
func groupOf(fn *types.Func) string {
	if fn.Name() != "Go" && fn.Name() != "TryGo" {
		return ""
	}
	recv := fn.Signature().Recv()
	if recv == nil {
		return ""
	}
	ptr, ok := recv.Type().(*types.Pointer)
	if !ok {
		return ""
	}
	named, ok := types.Unalias(ptr.Elem()).(*types.Named)
	if !ok || named.Obj().Pkg() == nil {
		return ""
	}
	switch path, name := named.Obj().Pkg().Path(), named.Obj().Name(); {
	case path == "sync" && name == "WaitGroup" && fn.Name() == "Go":
		return "(*sync.WaitGroup)"
	case path == "golang.org/x/sync/errgroup" && name == "Group":
		return "(*errgroup.Group)"
	}
	return ""
}

// spawnerNames lists the configured spawners for a message, each by its
// package name rather than its full import path: core.(*Handle).Go.

// spawnerRelated points at the spawners entries of the config file.
func spawnerRelated(pass *analysis.Pass, cfg *config.Config) []analysis.RelatedInformation {
	file := configpos.New(pass, cfg)
	var out []analysis.RelatedInformation
	for i, s := range cfg.Spawners {
		p, ok := cfg.SpawnerPos(i)
		if !ok {
			continue
		}
		if pos := file.Pos(p); pos.IsValid() {
			out = append(out, analysis.RelatedInformation{Pos: pos, Message: "spawner " + s + " is configured here"})
		}
	}
	return out
}
