package starter

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"strings"
	"testing"

	"github.com/reloadvet/reloadvet/internal/config"
)

// app is a small program: core at the bottom, a store over it, api and
// admin importing each other in a cycle (through different packages), and
// the host in cmd.
func app() []Package {
	return []Package{
		{Path: "example.com/app/core", Name: "core", Imports: []string{"context", "sync"}},
		{Path: "example.com/app/core/log", Name: "log", Imports: []string{"fmt"}},
		{Path: "example.com/app/store", Name: "store", Imports: []string{"example.com/app/core"}},
		{Path: "example.com/app/api/handlers", Name: "handlers", Imports: []string{"example.com/app/store", "example.com/app/admin/users", "example.com/app/api/metrics"}},
		{Path: "example.com/app/api/metrics", Name: "metrics", Imports: []string{"example.com/app/core/log"}},
		{Path: "example.com/app/admin/users", Name: "users", Imports: []string{"example.com/app/api/metrics", "example.com/app/core"}},
		{Path: "example.com/app/admin/audit", Name: "audit", Imports: []string{"example.com/app/api/metrics"}},
		{Path: "example.com/app/cmd/server", Name: "main", Imports: []string{"example.com/app/api/handlers"}},
		{Path: "example.com/app/store/cmd/migrate", Name: "main", Imports: []string{"example.com/app/store"}},
	}
}

func describePlan(p *Plan) string {
	var b strings.Builder
	for _, m := range p.Modules {
		fmt.Fprintf(&b, "module %s %v\n", m.Name, m.Packages)
	}
	fmt.Fprintf(&b, "layers %v\n", p.Layers)
	for _, e := range p.Against {
		fmt.Fprintf(&b, "against %s -> %s: %s imports %s (%d)\n", e.From, e.To, e.Importer, e.Imported, e.Count)
	}
	fmt.Fprintf(&b, "cycles %v\nhost %v\n", p.Cycles, p.Host)
	return b.String()
}

func TestProposeKeepsCyclesApart(t *testing.T) {
	t.Parallel()
	got := describePlan(Propose(app(), Options{Prefix: "example.com/app", Depth: 1}))
	// admin imports api twice (users and audit import metrics), api imports
	// admin once: the lighter import is the one that goes against the layers.
	want := `module admin [example.com/app/admin/...]
module api [example.com/app/api/...]
module core [example.com/app/core/...]
module store [example.com/app/store]
layers [[core] [store] [api] [admin]]
against api -> admin: example.com/app/api/handlers imports example.com/app/admin/users (1)
cycles [[example.com/app/admin example.com/app/api]]
host [example.com/app/cmd/server example.com/app/store/cmd/migrate]
`
	// store is an exact path: store/... would take in the host's migrate.
	if got != want {
		t.Errorf("plan:\n%s\nwant:\n%s", got, want)
	}
}

func TestProposeMergesCycles(t *testing.T) {
	t.Parallel()
	got := describePlan(Propose(app(), Options{Prefix: "example.com/app", Depth: 1, MergeCycles: true}))
	want := `module admin_and_1 [example.com/app/admin/... example.com/app/api/...]
module core [example.com/app/core/...]
module store [example.com/app/store]
layers [[core] [store] [admin_and_1]]
cycles [[example.com/app/admin example.com/app/api]]
host [example.com/app/cmd/server example.com/app/store/cmd/migrate]
`
	if got != want {
		t.Errorf("plan:\n%s\nwant:\n%s", got, want)
	}
}

func TestProposeDepthZero(t *testing.T) {
	t.Parallel()
	got := describePlan(Propose(app()[:3], Options{Prefix: "example.com/app", Depth: 0}))
	want := `module core [example.com/app/core]
module core_log [example.com/app/core/log]
module store [example.com/app/store]
layers [[core core_log] [store]]
cycles []
host []
`
	if got != want {
		t.Errorf("plan:\n%s\nwant:\n%s", got, want)
	}
}

func TestModuleNames(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ group, prefix, want string }{
		{"example.com/app/api", "example.com/app", "api"},
		{"example.com/app/api/v2", "example.com/app", "api_v2"},
		{"example.com/app", "example.com/app", "app"},
		{"example.com/app/2fa", "example.com/app", "m2fa"},
		{"gopkg.in/yaml.v3", "", "gopkg_in_yaml_v3"},
	} {
		if got := moduleName(tc.group, tc.prefix); got != tc.want {
			t.Errorf("moduleName(%q, %q) = %q, want %q", tc.group, tc.prefix, got, tc.want)
		}
	}
	// Two groups that sanitise to one name get numbers, and stay apart.
	p := Propose([]Package{{Path: "x/api.v2", Name: "a"}, {Path: "x/api_v2", Name: "b"}}, Options{Prefix: "x", Depth: 1})
	if got := describePlan(p); !strings.Contains(got, "module api_v2 [x/api.v2/...]\nmodule api_v2_2 [x/api_v2/...]\n") {
		t.Errorf("clashing names:\n%s", got)
	}
}

// TestYAMLParses writes each plan and reads it back with the config's own
// decoder: what init writes is always a valid config.
func TestYAMLParses(t *testing.T) {
	t.Parallel()
	for _, opts := range []Options{
		{Prefix: "example.com/app", Depth: 1},
		{Prefix: "example.com/app", Depth: 1, MergeCycles: true},
		{Prefix: "example.com/app", Depth: 0},
		{Prefix: "example.com/app", Depth: 2, KeepMain: true},
	} {
		p := Propose(app(), opts)
		data := p.YAML(Render{
			Command:    "reloadvet init",
			Spawners:   []string{"github.com/reloadvet/reloadvet/loader.(*Handle).Go"},
			Candidates: []Candidate{{Name: "example.com/app/core.(*Handle).Go", Waiter: "(*Handle).Stop"}},
		})
		cfg, err := config.Parse("starter.yml", data)
		if err != nil {
			t.Errorf("%+v: the written config does not parse: %v\n%s", opts, err, data)
			continue
		}
		if len(cfg.Modules) != len(p.Modules) || len(cfg.Layers) != len(p.Layers) {
			t.Errorf("%+v: read back %d modules in %d layers, wrote %d in %d", opts, len(cfg.Modules), len(cfg.Layers), len(p.Modules), len(p.Layers))
		}
		// Every import goes down, but those listed against the layers.
		against := map[string]bool{}
		for _, e := range p.Against {
			against[e.From+">"+e.To] = true
		}
		for _, pkg := range app() {
			from := cfg.Owner(pkg.Path)
			for _, imp := range pkg.Imports {
				to := cfg.Owner(imp)
				if from == nil || to == nil || from == to {
					continue
				}
				if d := cfg.Direction(from.Name, to.Name); d != config.Down && !against[from.Name+">"+to.Name] {
					t.Errorf("%+v: %s imports %s goes %v, and is not listed against the layers", opts, pkg.Path, imp, d)
				}
			}
		}
	}
}

func TestYAMLComments(t *testing.T) {
	t.Parallel()
	data := string(Propose(app(), Options{Prefix: "example.com/app", Depth: 1}).YAML(Render{
		Command:    "reloadvet init -depth 1 ./...",
		Candidates: []Candidate{{Name: "example.com/app/core.(*Handle).Go", Waiter: "(*Handle).Stop"}},
	}))
	for _, want := range []string{
		"# yaml-language-server: $schema=" + SchemaURL + "\n",
		"`reloadvet init -depth 1 ./...`",
		"(package main): example.com/app/cmd/server,\n# example.com/app/store/cmd/migrate.\n",
		"in a cycle (admin, api).",
		"#   api -> admin: example.com/app/api/handlers imports example.com/app/admin/users\n",
		"#   - \"example.com/app/core.(*Handle).Go\"  # (*Handle).Stop waits\n",
		"spawners: []\n",
	} {
		if !strings.Contains(data, want) {
			t.Errorf("the config lacks %q:\n%s", want, data)
		}
	}
}

func TestCandidates(t *testing.T) {
	t.Parallel()
	src := `package core

type Handle struct{}

// Go starts f in a goroutine: a candidate, since Stop waits.
func (h *Handle) Go(f func(ctx context.Context)) {
	h.wg.Add(1)
	go func() { defer h.wg.Done(); f(h.ctx) }()
}

// Submit hands f to a group: a candidate too.
func (h *Handle) Submit(f func() error) { h.g.Go(f) }

// Run calls f in the caller's goroutine: not a spawner.
func (h *Handle) Run(f func()) { f() }

// Later starts a goroutine that does not run its parameter: not a spawner.
func (h *Handle) Later(f func()) { go h.tick() }

func (h *Handle) Stop() { h.cancel(); h.wg.Wait() }

type Pool[T any] struct{}

// Go spawns, but nothing of Pool waits: not a spawner.
func (p Pool[T]) Go(f func()) { go f() }

// Spawn is a function, not a method: no type to join it.
func Spawn(f func()) { go f() }
`
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "core.go", src, 0)
	if err != nil {
		t.Fatal(err)
	}
	got := fmt.Sprint(Candidates("example.com/app/core", []*ast.File{f}))
	want := "[{example.com/app/core.(*Handle).Go (*Handle).Stop} {example.com/app/core.(*Handle).Submit (*Handle).Stop}]"
	if got != want {
		t.Errorf("Candidates = %s\nwant %s", got, want)
	}
}
