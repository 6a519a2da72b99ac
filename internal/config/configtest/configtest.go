// Package configtest builds configs for tests from YAML text.
package configtest

import (
	"fmt"
	"testing"

	"github.com/reloadvet/reloadvet/internal/config"
)

// Parse parses yaml as a .reloadvet.yml named reloadvet.yml and fails the
// test when it is not a valid config.
func Parse(t testing.TB, yaml string) *config.Config {
	t.Helper()
	cfg, err := config.Parse("reloadvet.yml", []byte(yaml))
	if err != nil {
		t.Fatalf("test config: %v", err)
	}
	return cfg
}

// OneModule returns the YAML of a config with one module, name, that owns
// the package pkg, alone in its layer; a test may append more keys.
func OneModule(name, pkg string) string {
	return fmt.Sprintf("version: 1\nmodules:\n  - {name: %s, packages: [%q]}\nlayers: [[%s]]\n", name, pkg, name)
}
