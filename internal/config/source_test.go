package config_test

import (
	"flag"
	"strings"
	"testing"

	"github.com/reloadvet/reloadvet/internal/config"
)

const inline = `version: 1
modules:
  - {name: core, packages: ["a/core/..."]}
layers: [[core]]
`

func TestSourceFlags(t *testing.T) {
	src := config.NewSource(config.Default())
	fs := flag.NewFlagSet("analyzer", flag.ContinueOnError)
	src.AddFlags(fs)
	if config.SourceOf(fs) != src {
		t.Fatal("SourceOf does not find the Source behind -config")
	}
	if src.Config().Present() {
		t.Fatal("a Source built with the defaults serves a config")
	}
	if err := fs.Parse([]string{"-config", inline, "-configname", "/abs/.reloadvet.yml"}); err != nil {
		t.Fatal(err)
	}
	cfg := src.Config()
	if cfg.Owner("a/core/x") == nil || cfg.Tests {
		t.Errorf("the -config content is not in effect: owner of a/core/x = %v, tests %v", cfg.Owner("a/core/x"), cfg.Tests)
	}
	if name, data := cfg.File(); name != "/abs/.reloadvet.yml" || string(data) != inline {
		t.Errorf("config file %q with %q, want the -configname and the -config content", name, data)
	}
	src.ForceTests()
	if !src.Config().Tests {
		t.Error("ForceTests left tests off")
	}
	// A later -config keeps the forced tests.
	if err := fs.Set("config", inline+"spawners: [\"a/core.Go\"]\n"); err != nil {
		t.Fatal(err)
	}
	if c := src.Config(); !c.Tests || len(c.Spawners) != 1 {
		t.Errorf("after a second -config: tests %v, spawners %v", c.Tests, c.Spawners)
	}
}

func TestSourceBadConfig(t *testing.T) {
	src := config.NewSource(config.Default())
	fs := flag.NewFlagSet("analyzer", flag.ContinueOnError)
	src.AddFlags(fs)
	err := fs.Set("config", "version: 2\n")
	if err == nil || !strings.Contains(err.Error(), "-config:1:10: version: unsupported version 2 (accepted: 1)") {
		t.Errorf("a bad -config without a name: %v", err)
	}
	if err := fs.Set("configname", "x.yml"); err != nil {
		t.Errorf("-configname alone: %v", err)
	}
	err = fs.Set("config", "version: 2\n")
	if err == nil || !strings.HasPrefix(err.Error(), "x.yml:1:10: version: unsupported version 2") {
		t.Errorf("a bad -config named by -configname: %v", err)
	}
	if src.Config().Present() {
		t.Error("a rejected -config is in effect")
	}
}
