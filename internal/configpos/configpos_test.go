package configpos_test

import (
	"go/token"
	"testing"

	"golang.org/x/tools/go/analysis"

	"github.com/reloadvet/reloadvet/internal/config"
	"github.com/reloadvet/reloadvet/internal/configpos"
)

func TestPositions(t *testing.T) {
	cfg, err := config.Parse("dir/.reloadvet.yml", []byte(`version: 1
modules:
  - {name: core, packages: ["a/core"]}
layers:
  - [core]
spawners: ["a/core.Spawn"]
`))
	if err != nil {
		t.Fatal(err)
	}
	pass := &analysis.Pass{Fset: token.NewFileSet()}
	file := configpos.New(pass, cfg)

	p, ok := cfg.SpawnerPos(0)
	if !ok {
		t.Fatal("SpawnerPos(0) not found")
	}
	if got := pass.Fset.Position(file.Pos(p)).String(); got != "dir/.reloadvet.yml:6:12" {
		t.Errorf("spawner at %s, want dir/.reloadvet.yml:6:12", got)
	}
	rel := file.Layer("core")
	if len(rel) != 1 || rel[0].Message != "module core is declared in layer 1" {
		t.Fatalf("Layer(core) = %v", rel)
	}
	if got := pass.Fset.Position(rel[0].Pos).String(); got != "dir/.reloadvet.yml:5:6" {
		t.Errorf("layer at %s, want dir/.reloadvet.yml:5:6", got)
	}
	if file.Pos(config.Pos{Line: 99, Col: 1}).IsValid() {
		t.Error("a line past the end has a position")
	}
	if configpos.New(pass, config.Default()).Pos(config.Pos{Line: 1, Col: 1}).IsValid() {
		t.Error("a config without a file has positions")
	}
}
