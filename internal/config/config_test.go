package config

import (
	"encoding/json"
	"errors"
	"flag"
	"go/types"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite golden files")

// TestInvalid checks the exact messages for every kind of config problem.
// Each testdata/invalid/NAME.yml has its expected errors in NAME.golden.
func TestInvalid(t *testing.T) {
	files, err := filepath.Glob("testdata/invalid/*.yml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no test inputs: %v", err)
	}
	for _, file := range files {
		t.Run(strings.TrimSuffix(filepath.Base(file), ".yml"), func(t *testing.T) {
			t.Parallel()
			_, err := Load(file)
			if err == nil {
				t.Fatalf("Load(%s) succeeded, want problems", file)
			}
			if probs := Problems(nil); !errors.As(err, &probs) {
				t.Fatalf("Load(%s) error is %T, want Problems", file, err)
			}
			got := err.Error() + "\n"
			golden := strings.TrimSuffix(file, ".yml") + ".golden"
			if *update {
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatal(err)
			}
			if got != string(want) {
				t.Errorf("Load(%s) problems:\n%s\nwant:\n%s", file, got, want)
			}
		})
	}
}

func TestLoadMissingFile(t *testing.T) {
	_, err := Load("testdata/nonexistent.yml")
	if err == nil || err.Error() != "config file testdata/nonexistent.yml does not exist" {
		t.Errorf("Load(missing) = %v, want a does-not-exist error naming the file", err)
	}
}

func TestExample(t *testing.T) {
	c, err := Load("testdata/valid/example.yml")
	if err != nil {
		t.Fatal(err)
	}
	if !c.Present() || Default().Present() {
		t.Errorf("Present: loaded=%v default=%v, want true, false", c.Present(), Default().Present())
	}
	owners := map[string]string{
		"example.com/app/core":              "core",
		"example.com/app/core/sub/deep":     "core",
		"example.com/app/core_test":         "core", // external test package
		"example.com/app/corex":             "",     // a prefix of a name is not a path prefix
		"example.com/app/cmd/admintool":     "admin",
		"example.com/app/cmd/admintool/sub": "", // exact pattern
		"example.com/app":                   "",
		"fmt":                               "",
	}
	for pkg, want := range owners {
		got := ""
		if m := c.Owner(pkg); m != nil {
			got = m.Name
		}
		if got != want {
			t.Errorf("Owner(%q) = %q, want %q", pkg, got, want)
		}
	}
	for name, want := range map[string]int{"core": 1, "database": 2, "api": 3, "admin": 3, "nope": 0} {
		if got := c.Layer(name); got != want {
			t.Errorf("Layer(%q) = %d, want %d", name, got, want)
		}
	}
	if pos, ok := c.LayerPos("admin"); !ok || pos != (Pos{14, 11}) {
		t.Errorf("LayerPos(admin) = %v, %v, want 14:11", pos, ok)
	}
}

func TestIsSpawner(t *testing.T) {
	c, err := Parse("spawners.yml", []byte(`version: 1
spawners:
  - "example.com/app/core.(*Handle).Go"
  - "example.com/app/core.Group.Go"
  - "example.com/app/core.Spawn"
`))
	if err != nil {
		t.Fatal(err)
	}
	pkg := types.NewPackage("example.com/app/core", "core")
	other := types.NewPackage("example.com/app/other", "other")
	sig := types.NewSignatureType(nil, nil, nil, nil, nil, false)
	method := func(p *types.Package, typ, name string, ptr bool) *types.Func {
		named := types.NewNamed(types.NewTypeName(0, p, typ, nil), types.NewStruct(nil, nil), nil)
		var recv types.Type = named
		if ptr {
			recv = types.NewPointer(named)
		}
		msig := types.NewSignatureType(types.NewVar(0, p, "r", recv), nil, nil, nil, nil, false)
		return types.NewFunc(0, p, name, msig)
	}
	cases := []struct {
		fn   *types.Func
		want bool
	}{
		{method(pkg, "Handle", "Go", true), true},
		{method(pkg, "Handle", "Go", false), true}, // (*T).M also names a value method
		{method(pkg, "Group", "Go", true), true},   // T.M also names a pointer method
		{method(pkg, "Handle", "Run", true), false},
		{method(other, "Handle", "Go", true), false},
		{types.NewFunc(0, pkg, "Spawn", sig), true},
		{types.NewFunc(0, other, "Spawn", sig), false},
		{types.NewFunc(0, pkg, "Go", sig), false},
	}
	for _, tc := range cases {
		if got := c.IsSpawner(tc.fn); got != tc.want {
			t.Errorf("IsSpawner(%s) = %v, want %v", tc.fn.FullName(), got, tc.want)
		}
	}
}

// TestJSONSettings checks the path the golangci-lint plugin takes: settings
// decoded from JSON by the struct tags, then validated without positions.
func TestJSONSettings(t *testing.T) {
	var c Config
	in := `{"version": 1, "modules": [{"name": "core", "packages": ["a/core/..."]}], "layers": [["core"], ["api"]]}`
	if err := json.Unmarshal([]byte(in), &c); err != nil {
		t.Fatal(err)
	}
	err := c.Validate()
	want := `layers[1][0]: unknown module "api" (accepted: modules declared under modules: core)`
	if err == nil || err.Error() != want {
		t.Errorf("Validate() = %v, want %s", err, want)
	}
}

func TestFind(t *testing.T) {
	root := t.TempDir()
	mustWrite := func(rel, content string) {
		t.Helper()
		p := filepath.Join(root, rel)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	mustWrite("outside/.reloadvet.yml", "version: 1\n")
	mustWrite("outside/mod/go.mod", "module example.com/m\n")
	mustWrite("outside/mod/a/b/x.go", "package b\n")
	mustWrite("outside/mod/a/.reloadvet.yaml", "version: 1\n")
	mustWrite("outside/mod/both/.reloadvet.yml", "version: 1\n")
	mustWrite("outside/mod/both/.reloadvet.yaml", "version: 1\n")

	cases := []struct{ dir, want, err string }{
		{"outside/mod/a/b", "outside/mod/a/.reloadvet.yaml", ""},
		{"outside/mod/a", "outside/mod/a/.reloadvet.yaml", ""},
		// The search stops at the module root: the file above go.mod is not used.
		{"outside/mod", "", ""},
		{"outside", "outside/.reloadvet.yml", ""},
		{"outside/mod/both", "", "both"},
	}
	for _, tc := range cases {
		got, err := Find(filepath.Join(root, tc.dir))
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("Find(%s) error = %v, want one mentioning %q", tc.dir, err, tc.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("Find(%s): %v", tc.dir, err)
			continue
		}
		want := ""
		if tc.want != "" {
			want = filepath.Join(root, tc.want)
		}
		if got != want {
			t.Errorf("Find(%s) = %q, want %q", tc.dir, got, want)
		}
	}
}

func TestUnmatched(t *testing.T) {
	c, err := Load("testdata/valid/example.yml")
	if err != nil {
		t.Fatal(err)
	}
	pkgs := []string{"example.com/app/core/x", "example.com/app/api", "example.com/app/cmd/admintool", "fmt"}
	got := c.Unmatched(pkgs, nil).Error()
	want := `testdata/valid/example.yml:5:11: modules[1].packages: module database matches no package of this run (patterns: example.com/app/database/...); check them for a typo`
	if got != want {
		t.Errorf("Unmatched:\n%s\nwant:\n%s", got, want)
	}
	// A run of part of the program: database is outside it, not mistyped.
	for _, run := range [][]string{{"example.com/app/api/..."}, {"example.com/app/core/x", "fmt"}} {
		if ws := c.Unmatched(pkgs, run); len(ws) != 0 {
			t.Errorf("Unmatched(run %v) = %v, want nothing: no module outside the run is mistyped", run, ws)
		}
	}
	// A run that takes in database's packages and finds none warns.
	for _, run := range [][]string{{"example.com/app/..."}, {"example.com/app/database/store"}, {"example.com/app/api", "example.com/app/database/..."}} {
		if got := c.Unmatched(pkgs, run).Error(); got != want {
			t.Errorf("Unmatched(run %v):\n%s\nwant:\n%s", run, got, want)
		}
	}
}

func TestLayout(t *testing.T) {
	parse := func(src string) *Config {
		t.Helper()
		c, err := Parse("c.yml", []byte(src))
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	const base = "version: 1\nmodules: [{name: a, packages: [x/a]}, {name: b, packages: [x/b]}]\nlayers: [[a], [b]]\n"
	a := parse(base)
	if a.Layout() != parse("# a comment changes nothing\n"+base+"spawners: [x/a.Go]\ntests: true\n").Layout() {
		t.Error("Layout changed with comments, spawners or tests, which do not decide ownership or layers")
	}
	if a.Layout() == parse(strings.Replace(base, "[[a], [b]]", "[[b], [a]]", 1)).Layout() {
		t.Error("Layout did not change when the layers did")
	}
	if a.Layout() == parse(strings.Replace(base, "x/b]", "x/b/...]", 1)).Layout() {
		t.Error("Layout did not change when a pattern did")
	}
}

func TestCrosscallbackOptions(t *testing.T) {
	c, err := Load("testdata/valid/crosscallback.yml")
	if err != nil {
		t.Fatal(err)
	}
	if !c.Crosscallback.SkipInit {
		t.Error("crosscallback.skip-init: true decoded as false")
	}
	if Default().Crosscallback.SkipInit {
		t.Error("skip-init is on by default")
	}
}

func TestRawspawnOptions(t *testing.T) {
	c, err := Load("testdata/valid/rawspawn.yml")
	if err != nil {
		t.Fatal(err)
	}
	if !c.Rawspawn.AllowScoped {
		t.Error("rawspawn.allow-scoped: true decoded as false")
	}
	if Default().Rawspawn.AllowScoped {
		t.Error("allow-scoped is on by default")
	}
}

func TestUnknownSpawners(t *testing.T) {
	c, err := Parse("s.yml", []byte(`version: 1
spawners:
  - example.com/app/core.(*Handle).Go
  - example.com/app/core.(*Handle).Spwan
  - example.com/app/core.Spawm
  - example.com/app/core.(*Handle).Sotp
  - example.com/app/core.Handle.Go
  - example.com/app/core.Wrapped.Anything
  - example.com/app/cor.(*Handle).Go
  - example.com/other/pool.Submit
  - gopkg.in/yaml.v3.Go
`))
	if err != nil {
		t.Fatal(err)
	}
	decls := map[string]*Declared{
		"example.com/app/core": {
			Funcs: map[string]bool{"Handle.Go": true, "Spawn": true, "Handle.Stop": true},
			Open:  map[string]bool{"Wrapped": true},
		},
		"gopkg.in/yaml.v3": {Funcs: map[string]bool{"Go": true}},
	}
	paths := slices.Collect(maps.Keys(decls))
	got := c.UnknownSpawners(append(paths, "example.com/other/x"), func(p string) *Declared { return decls[p] }).Error()
	want := strings.Join([]string{
		`s.yml:4:5: spawners[1]: spawner "example.com/app/core.(*Handle).Spwan" names no function or method of package example.com/app/core (Handle has Go, Stop); rawspawn would tell every module to call it`,
		`s.yml:5:5: spawners[2]: spawner "example.com/app/core.Spawm" names no function or method of package example.com/app/core (did you mean example.com/app/core.Spawn?); rawspawn would tell every module to call it`,
		`s.yml:6:5: spawners[3]: spawner "example.com/app/core.(*Handle).Sotp" names no function or method of package example.com/app/core (did you mean example.com/app/core.(*Handle).Stop?); rawspawn would tell every module to call it`,
		`s.yml:9:5: spawners[6]: spawner "example.com/app/cor.(*Handle).Go": package example.com/app/cor is not in this run or its dependencies (did you mean example.com/app/core?)`,
	}, "\n")
	if got != want {
		t.Errorf("UnknownSpawners:\n%s\nwant:\n%s", got, want)
	}
}
