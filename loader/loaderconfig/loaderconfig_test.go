package loaderconfig_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/reloadvet/reloadvet/loader"
	"github.com/reloadvet/reloadvet/loader/loaderconfig"
)

const valid = `version: 1
modules:
  - name: store
    packages: [example.com/app/store]
  - name: api
    packages: [example.com/app/api/...]
  - name: admin
    packages: [example.com/app/admin]
layers:
  - [store]
  - [api]
  - [admin]
`

func write(t *testing.T, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), ".reloadvet.yml")
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

type thing struct{ _ [2]int64 }

func factory() loader.Factory {
	return loader.Func(func(ctx context.Context, h *loader.Handle) (*thing, error) { return &thing{}, nil }, nil)
}

func TestLayersFromTheFileAreEnforced(t *testing.T) {
	t.Parallel()
	opt, err := loaderconfig.Load(write(t, valid))
	if err != nil {
		t.Fatal(err)
	}
	l := loader.New(opt)
	if err := l.Register(
		loader.Module{Name: "store", Factory: factory()},
		loader.Module{Name: "api", Deps: []string{"store", "admin"}, Factory: factory()},
		loader.Module{Name: "admin", Factory: factory()},
	); err != nil {
		t.Fatal(err)
	}
	err = l.Start(context.Background())
	want := "module graph refused, 1 problem:\n\tmodule api (layer 2) depends on module admin (layer 3): a module may only depend on lower layers"
	if err == nil || err.Error() != want {
		t.Fatalf("got %v\nwant %s", err, want)
	}
}

func TestProblemsInTheFileAreReported(t *testing.T) {
	t.Parallel()
	path := write(t, strings.Replace(valid, "  - [admin]\n", "  - [admin, api]\n", 1))
	_, err := loaderconfig.Load(path)
	if err == nil || !strings.HasPrefix(err.Error(), "loader config: "+path+":") || !strings.Contains(err.Error(), `module "api" is already in layer 2`) {
		t.Fatalf("got %v", err)
	}
	if _, err := loaderconfig.Load(filepath.Join(t.TempDir(), "missing.yml")); err == nil || !strings.Contains(err.Error(), "does not exist") {
		t.Errorf("missing file: %v", err)
	}
}

func TestAFileWithNoLayersSetsNoLayerRule(t *testing.T) {
	t.Parallel()
	opt, err := loaderconfig.Load(write(t, "version: 1\n"))
	if err != nil {
		t.Fatal(err)
	}
	l := loader.New(opt)
	if err := l.Register(
		loader.Module{Name: "store", Factory: factory()},
		loader.Module{Name: "api", Deps: []string{"store"}, Factory: factory()},
	); err != nil {
		t.Fatal(err)
	}
	if err := l.Start(context.Background()); err != nil {
		t.Fatalf("a config with no layers refused the modules: %v", err)
	}
	if err := l.Stop(context.Background()); err != nil {
		t.Fatal(err)
	}
}
