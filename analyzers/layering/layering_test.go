package layering_test

import (
	"fmt"
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/reloadvet/reloadvet/analyzers/layering"
	"github.com/reloadvet/reloadvet/internal/config"
	"github.com/reloadvet/reloadvet/internal/config/configtest"
)

const fourModules = `version: 1
modules:
  - {name: core, packages: ["%[1]s/core/..."]}
  - {name: database, packages: ["%[1]s/database/..."]}
  - {name: api, packages: ["%[1]s/api/..."]}
  - {name: admin, packages: ["%[1]s/admin/..."]}
layers: [[core], [database], [api, admin]]
`

func TestUpward(t *testing.T) {
	t.Parallel()
	cfg := configtest.Parse(t, fmt.Sprintf(fourModules, "upward"))
	analysistest.Run(t, analysistest.TestData(), layering.New(cfg), "upward/...")
}

func TestSideways(t *testing.T) {
	t.Parallel()
	cfg := configtest.Parse(t, `version: 1
modules:
  - {name: core, packages: ["sideways/core"]}
  - {name: api, packages: ["sideways/api/..."]}
  - {name: admin, packages: ["sideways/admin/..."]}
layers: [[core], [api, admin]]
`)
	analysistest.Run(t, analysistest.TestData(), layering.New(cfg), "sideways/...")
}

func twoModules(t *testing.T, root string) *config.Config {
	return configtest.Parse(t, fmt.Sprintf(`version: 1
modules:
  - {name: a, packages: ["%[1]s/a/..."]}
  - {name: b, packages: ["%[1]s/b/..."]}
layers: [[a], [b]]
`, root))
}

// TestCycle: the analyzer reports the breaking import of a cycle, never
// the cycle, which is program-level (TestProgramCycles).
func TestCycle(t *testing.T) {
	t.Parallel()
	analysistest.Run(t, analysistest.TestData(), layering.New(twoModules(t, "cycle")), "cycle/...")
}

func TestCycleOfThree(t *testing.T) {
	t.Parallel()
	cfg := configtest.Parse(t, `version: 1
modules:
  - {name: a, packages: ["three/a/..."]}
  - {name: b, packages: ["three/b/..."]}
  - {name: c, packages: ["three/c/..."]}
layers: [[a], [b], [c]]
`)
	analysistest.Run(t, analysistest.TestData(), layering.New(cfg), "three/...")
}

const coreAPI = `version: 1
modules:
  - {name: core, packages: ["%[1]s/core/..."]}
  - {name: api, packages: ["%[1]s/api/..."]}
layers: [[core], [api]]
`

func TestTestFilesSkipped(t *testing.T) {
	t.Parallel()
	analysistest.Run(t, analysistest.TestData(), layering.New(configtest.Parse(t, fmt.Sprintf(coreAPI, "testfiles"))), "testfiles/...")
}

func TestTestFilesChecked(t *testing.T) {
	t.Parallel()
	cfg := configtest.Parse(t, fmt.Sprintf(coreAPI, "testschecked")+"tests: true\n")
	analysistest.Run(t, analysistest.TestData(), layering.New(cfg), "testschecked/...")
}

func TestSuppressed(t *testing.T) {
	t.Parallel()
	analysistest.Run(t, analysistest.TestData(), layering.New(configtest.Parse(t, fmt.Sprintf(coreAPI, "suppressed"))), "suppressed/...")
}

// TestNoConfig runs the default instance, which has nothing to check, over
// code full of upward imports.
func TestNoConfig(t *testing.T) {
	t.Parallel()
	analysistest.Run(t, analysistest.TestData(), layering.Analyzer, "noconfig/...")
}
