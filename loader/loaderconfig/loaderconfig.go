// Package loaderconfig gives the loader the rules of a .reloadvet.yml, the
// file the linter reads, so that the layer rule checked statically is also
// enforced when modules load.
//
// It is a package of its own so that programs which pass their layers in Go
// do not link the config reader (a YAML decoder and go/types).
package loaderconfig

import (
	"fmt"

	"github.com/reloadvet/reloadvet/internal/config"
	"github.com/reloadvet/reloadvet/loader"
)

// Load reads the .reloadvet.yml at path with the linter's config package
// (strict decoding, every problem reported with file:line:col) and returns
// the loader option that enforces its layers: [loader.WithLayers] with the
// file's layers, bottom first. Module names in the file's layers must be
// the names the program registers. A file that declares no layers gives
// no layer rule.
func Load(path string) (loader.Option, error) {
	cfg, err := config.Load(path)
	if err != nil {
		return nil, fmt.Errorf("loader config: %w", err)
	}
	return loader.WithLayers(cfg.Layers), nil
}
