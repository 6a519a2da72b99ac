package golangci

import (
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/golangci/plugin-module-register/register"
	"golang.org/x/tools/go/analysis"

	"github.com/reloadvet/reloadvet/analyzers"
	"github.com/reloadvet/reloadvet/internal/config"
)

// fixtureConfig is the end-to-end fixture's config, which the plugin is
// run with under golangci-lint in CI.
var fixtureConfig = filepath.Join("..", "testdata", "layered", ".reloadvet.yml")

func names(as []*analysis.Analyzer) []string {
	var out []string
	for _, a := range as {
		out = append(out, a.Name)
	}
	return out
}

// build runs the plugin the way golangci-lint does: find it by name,
// construct it with the settings, build its analyzers.
func build(t *testing.T, settings any) ([]*analysis.Analyzer, error) {
	t.Helper()
	newPlugin, err := register.GetPlugin(Name)
	if err != nil {
		t.Fatal(err)
	}
	p, err := newPlugin(settings)
	if err != nil {
		return nil, err
	}
	if mode := p.GetLoadMode(); mode != register.LoadModeTypesInfo {
		t.Errorf("load mode %q, want %q", mode, register.LoadModeTypesInfo)
	}
	return p.BuildAnalyzers()
}

// inlineSettings is the fixture's config as .golangci.yml would hold it
// inline, after golangci-lint has decoded the YAML.
func inlineSettings() map[string]any {
	return map[string]any{
		"version": 1,
		"modules": []any{
			map[string]any{"name": "core", "packages": []any{"example.com/app/core/..."}},
			map[string]any{"name": "api", "packages": []any{"example.com/app/api/..."}},
		},
		"layers":   []any{[]any{"core"}, []any{"api"}},
		"spawners": []any{"example.com/app/core.(*Handle).Go"},
	}
}

func TestRegistered(t *testing.T) {
	t.Parallel()
	as, err := build(t, map[string]any{"config": mustAbs(t, fixtureConfig)})
	if err != nil {
		t.Fatal(err)
	}
	if err := analysis.Validate(as); err != nil {
		t.Fatal(err)
	}
	// Every analyzer of the suite, and the cache key last.
	got := names(as)
	want := names(analyzers.All())
	if len(got) != len(want)+1 || !slices.Equal(got[:len(want)], want) || !strings.HasPrefix(got[len(want)], "reloadvetconfig_") {
		t.Errorf("analyzers %v, want %v and the config key", got, want)
	}
}

func TestForms(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	data, err := os.ReadFile(fixtureConfig)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "reload.yml"), data, 0o644); err != nil {
		t.Fatal(err)
	}
	sub := filepath.Join(dir, "a", "b")
	if err := os.MkdirAll(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name     string
		settings any
		dir      string
		modules  int
	}{
		{"file in the working directory", map[string]any{"config": "reload.yml"}, dir, 4},
		{"file in a parent", map[string]any{"config": "reload.yml"}, sub, 4},
		{"absolute file", map[string]any{"config": filepath.Join(dir, "reload.yml")}, sub, 4},
		{"inline", inlineSettings(), sub, 2},
		{"nothing, no file to find", nil, sub, 0},
		{"empty", map[string]any{}, sub, 0},
	} {
		p, err := newPlugin(tc.settings, tc.dir)
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		if got := len(p.cfg.Modules); got != tc.modules {
			t.Errorf("%s: %d modules, want %d", tc.name, got, tc.modules)
		}
	}
}

func TestDiscovery(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	data, err := os.ReadFile(fixtureConfig)
	if err != nil {
		t.Fatal(err)
	}
	for name, content := range map[string]string{"go.mod": "module example.com/app\n", ".reloadvet.yml": string(data)} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	p, err := newPlugin(nil, dir)
	if err != nil {
		t.Fatal(err)
	}
	if name, _ := p.cfg.File(); name != filepath.Join(dir, ".reloadvet.yml") {
		t.Errorf("without settings the plugin used %q, want the .reloadvet.yml of the module", name)
	}
}

func TestBadSettings(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.yml")
	if err := os.WriteFile(bad, []byte("version: 7\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	typo := inlineSettings()
	typo["modules"].([]any)[0].(map[string]any)["pakages"] = []any{"x"}
	unknownLayer := inlineSettings()
	unknownLayer["layers"] = []any{[]any{"core"}, []any{"api", "databse"}}
	both := inlineSettings()
	both["config"] = "reload.yml"
	for _, tc := range []struct {
		name     string
		settings any
		want     []string
	}{
		{"misspelt inline key", typo, []string{
			`linters.settings.custom.reloadvet.settings.modules[0].pakages: unknown key "pakages", did you mean "packages"? (accepted: name, packages)`,
		}},
		{"misspelt top-level key", map[string]any{"confg": "x.yml"}, []string{
			`linters.settings.custom.reloadvet.settings.confg: unknown key "confg", did you mean "config"? (accepted: config, version, modules, layers, spawners, tests, rawspawn, crosscallback)`,
		}},
		{"wrong type", map[string]any{"config": 3}, []string{
			`linters.settings.custom.reloadvet.settings: decoding settings: json: cannot unmarshal number into Go struct field Settings.config of type string (accepted: config, version, modules, layers, spawners, tests, rawspawn, crosscallback)`,
		}},
		{"invalid inline config", unknownLayer, []string{
			`linters.settings.custom.reloadvet.settings.layers[1][1]: unknown module "databse" (accepted: modules declared under modules: core, api)`,
		}},
		{"inline without version", map[string]any{"tests": true}, []string{
			`linters.settings.custom.reloadvet.settings.version: missing (accepted: 1)`,
		}},
		{"file and inline keys", both, []string{
			`linters.settings.custom.reloadvet.settings: config names a file and .reloadvet.yml keys are given inline too (accepted: either config: FILE or the keys inline, not both)`,
		}},
		{"missing file", map[string]any{"config": "nope.yml"}, []string{
			`linters.settings.custom.reloadvet.settings.config: "nope.yml" not found in ` + dir + ` or its parents`,
		}},
		{"bad file", map[string]any{"config": "bad.yml"}, []string{
			"linters.settings.custom.reloadvet.settings.config: " + bad + " has problems:\n" + bad + ":1:10: version: unsupported version 7 (accepted: 1)",
		}},
	} {
		_, err := newPlugin(tc.settings, dir)
		if err == nil {
			t.Errorf("%s: no error", tc.name)
			continue
		}
		for _, w := range tc.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%s: error\n%v\nlacks\n%s", tc.name, err, w)
			}
		}
	}
}

// TestCacheKey checks that the config's identity changes with its content,
// so that golangci-lint's result cache does not answer for an old config.
func TestCacheKey(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	file := filepath.Join(dir, "c.yml")
	key := func(content string) string {
		t.Helper()
		if err := os.WriteFile(file, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		p, err := newPlugin(map[string]any{"config": file}, dir)
		if err != nil {
			t.Fatal(err)
		}
		as, _ := p.BuildAnalyzers()
		return as[len(as)-1].Name
	}
	a := key("version: 1\n")
	if b := key("version: 1\ntests: true\n"); a == b {
		t.Errorf("an edited config kept the analyzer name %s", a)
	}
	if c := key("version: 1\n"); a != c {
		t.Errorf("the same config gave %s and %s", a, c)
	}
}

// TestSettingKeys keeps the accepted keys in step with the config struct.
func TestSettingKeys(t *testing.T) {
	t.Parallel()
	want := []string{"config"}
	ct := reflect.TypeFor[config.Config]()
	for i := range ct.NumField() {
		if tag, ok := ct.Field(i).Tag.Lookup("json"); ok {
			want = append(want, strings.Split(tag, ",")[0])
		}
	}
	if got := settingKeys(); !slices.Equal(got, want) {
		t.Errorf("settingKeys() = %v, want %v", got, want)
	}
}

func mustAbs(t *testing.T, p string) string {
	t.Helper()
	abs, err := filepath.Abs(p)
	if err != nil {
		t.Fatal(err)
	}
	return abs
}

// TestDiscoveredBadConfig checks that a bad config found without settings
// is named as found, not as a settings key.
func TestDiscoveredBadConfig(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	for name, content := range map[string]string{"go.mod": "module example.com/app\n", ".reloadvet.yml": "version: 7\n"} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	_, err := newPlugin(nil, dir)
	file := filepath.Join(dir, ".reloadvet.yml")
	want := "config found from " + dir + " (no settings): " + file + " has problems:\n" + file + ":1:10: version: unsupported version 7 (accepted: 1)"
	if err == nil || err.Error() != want {
		t.Errorf("error:\n%v\nwant:\n%s", err, want)
	}
}

// TestCrosscallbackSettings checks that the crosscallback options are
// taken from inline settings like the other keys.
func TestCrosscallbackSettings(t *testing.T) {
	t.Parallel()
	s := inlineSettings()
	s["crosscallback"] = map[string]any{"skip-init": true}
	p, err := newPlugin(s, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if !p.cfg.Crosscallback.SkipInit {
		t.Error("settings crosscallback: {skip-init: true} decoded as false")
	}
}
