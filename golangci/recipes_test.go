package golangci

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/goccy/go-yaml"

	"github.com/reloadvet/reloadvet/internal/docblocks"
)

// TestDocumentedSettings builds the plugin from every settings block that
// docs/ci.md tells users to write, as golangci-lint would hand them over:
// the .golangci.yml recipe (a config file named) and the inline form.
func TestDocumentedSettings(t *testing.T) {
	t.Parallel()
	blocks, err := docblocks.Read(filepath.Join("..", "docs", "ci.md"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	data, err := os.ReadFile(fixtureConfig)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, ".reloadvet.yml"), data, 0o644); err != nil {
		t.Fatal(err)
	}
	found := 0
	for _, b := range blocks {
		if b.Lang != "yaml" || !strings.Contains(b.Text, "settings:") {
			continue
		}
		var doc map[string]any
		if err := yaml.Unmarshal([]byte(b.Text), &doc); err != nil {
			t.Errorf("%s: does not parse: %v", b, err)
			continue
		}
		settings, ok := settingsOf(doc)
		if !ok {
			continue
		}
		found++
		p, err := newPlugin(settings, dir)
		if err != nil {
			t.Errorf("%s: the documented settings fail: %v", b, err)
			continue
		}
		if !p.cfg.Present() || len(p.cfg.Modules) == 0 {
			t.Errorf("%s: the documented settings give no modules", b)
		}
	}
	if found < 2 {
		t.Errorf("found %d settings blocks in docs/ci.md, want the .golangci.yml recipe and the inline form", found)
	}
}

// settingsOf returns the plugin's settings from a whole .golangci.yml or
// from a block that shows only its settings: key.
func settingsOf(doc map[string]any) (any, bool) {
	if s, ok := doc["settings"]; ok && len(doc) == 1 {
		return s, true
	}
	v := any(doc)
	for _, k := range []string{"linters", "settings", "custom", Name, "settings"} {
		m, ok := v.(map[string]any)
		if !ok {
			return nil, false
		}
		if v, ok = m[k]; !ok {
			return nil, false
		}
	}
	return v, true
}
