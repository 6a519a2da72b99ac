package rawspawn_test

import (
	"fmt"
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/reloadvet/reloadvet/analyzers/rawspawn"
	"github.com/reloadvet/reloadvet/internal/config"
	"github.com/reloadvet/reloadvet/internal/config/configtest"
)

// TestHandle checks go statements and AfterFunc calls against a method
// spawner of shape func(func(context.Context)), with its fixes.
func TestHandle(t *testing.T) {
	t.Parallel()
	cfg := configtest.Parse(t, `version: 1
modules:
  - {name: core, packages: ["handle/core"]}
  - {name: database, packages: ["handle/database/..."]}
layers: [[core], [database]]
spawners: ["handle/core.(*Handle).Go"]
`)
	analysistest.RunWithSuggestedFixes(t, analysistest.TestData(), rawspawn.New(cfg), "handle/...")
}

// TestFuncSpawner checks a function spawner of shape func(func()), reached
// through the file's import, beside a method spawner of another shape.
func TestFuncSpawner(t *testing.T) {
	t.Parallel()
	cfg := configtest.Parse(t, `version: 1
modules:
  - {name: core, packages: ["funcspawner/core"]}
  - {name: app, packages: ["funcspawner/app"]}
layers: [[core], [app]]
spawners: ["funcspawner/core.Spawn", "funcspawner/core.(*Pool).Submit"]
`)
	analysistest.RunWithSuggestedFixes(t, analysistest.TestData(), rawspawn.New(cfg), "funcspawner/...")
}

func TestNoSpawners(t *testing.T) {
	t.Parallel()
	cfg := configtest.Parse(t, configtest.OneModule("svc", "nospawners/svc"))
	analysistest.Run(t, analysistest.TestData(), rawspawn.New(cfg), "nospawners/...")
}

func TestNoConfig(t *testing.T) {
	t.Parallel()
	analysistest.Run(t, analysistest.TestData(), rawspawn.Analyzer, "noconfig/...")
}

func TestSuppressed(t *testing.T) {
	t.Parallel()
	cfg := configtest.Parse(t, configtest.OneModule("svc", "suppressed/svc")+`spawners: ["suppressed/svc.Spawn"]`+"\n")
	analysistest.Run(t, analysistest.TestData(), rawspawn.New(cfg), "suppressed/...")
}

func TestNote(t *testing.T) {
	t.Parallel()
	cases := []struct {
		cfg  *config.Config
		want string
	}{
		{config.Default(), "no config: nothing to check"},
		{configtest.Parse(t, "version: 1\n"), "no modules configured: nothing to check"},
		{configtest.Parse(t, configtest.OneModule("svc", "x/svc")), "no spawners configured: nothing to check"},
		{configtest.Parse(t, configtest.OneModule("svc", "x/svc")+"spawners: [\"x/svc.Spawn\"]\n"), ""},
	}
	for _, tc := range cases {
		if got := rawspawn.Note(tc.cfg); got != tc.want {
			t.Errorf("Note() = %q, want %q", got, tc.want)
		}
	}
}

func scopedConfig(t *testing.T, root string, allow bool) *config.Config {
	return configtest.Parse(t, fmt.Sprintf(`version: 1
modules:
  - {name: core, packages: ["%[1]s/core"]}
  - {name: app, packages: ["%[1]s/app"]}
layers: [[core], [app]]
spawners: ["scoped/core.(*Handle).Go"]
rawspawn: {allow-scoped: %[2]v}
`, root, allow))
}

// TestAllowScoped checks the option from the config, and the flag turning
// it on over a config that leaves it off.
func TestAllowScoped(t *testing.T) {
	t.Parallel()
	analysistest.Run(t, analysistest.TestData(), rawspawn.New(scopedConfig(t, "scoped", true)), "scoped/...")

	a := rawspawn.New(scopedConfig(t, "scoped", false))
	if err := a.Flags.Set("allow-scoped", "true"); err != nil {
		t.Fatal(err)
	}
	analysistest.Run(t, analysistest.TestData(), a, "scoped/...")
}

// TestAllowScopedOff checks that scoped goroutines are reported without
// the option, and that the flag turns off what the config turns on.
func TestAllowScopedOff(t *testing.T) {
	t.Parallel()
	analysistest.Run(t, analysistest.TestData(), rawspawn.New(scopedConfig(t, "scopedoff", false)), "scopedoff/...")

	a := rawspawn.New(scopedConfig(t, "scopedoff", true))
	if err := a.Flags.Set("allow-scoped", "false"); err != nil {
		t.Fatal(err)
	}
	analysistest.Run(t, analysistest.TestData(), a, "scopedoff/...")
}

// TestAllowScopedFromConfigFlag checks the option when the config comes
// through the -config flag, as under go vet and nogo, and that
// -allow-scoped still overrides it whichever flag comes first.
func TestAllowScopedFromConfigFlag(t *testing.T) {
	t.Parallel()
	_, on := scopedConfig(t, "scoped", true).File()
	a := rawspawn.New(config.Default())
	if err := a.Flags.Set("config", string(on)); err != nil {
		t.Fatal(err)
	}
	analysistest.Run(t, analysistest.TestData(), a, "scoped/...")

	_, offData := scopedConfig(t, "scopedoff", true).File()
	b := rawspawn.New(config.Default())
	if err := b.Flags.Set("allow-scoped", "false"); err != nil {
		t.Fatal(err)
	}
	if err := b.Flags.Set("config", string(offData)); err != nil {
		t.Fatal(err)
	}
	analysistest.Run(t, analysistest.TestData(), b, "scopedoff/...")
}

// TestGroups checks the Go and TryGo of sync.WaitGroup and errgroup.Group
// in module code, and in the body of the configured spawner.
func TestGroups(t *testing.T) {
	t.Parallel()
	cfg := configtest.Parse(t, `version: 1
modules:
  - {name: core, packages: ["groups/core"]}
  - {name: app, packages: ["groups/app"]}
layers: [[core], [app]]
spawners: ["groups/core.(*Handle).Go"]
`)
	analysistest.Run(t, analysistest.TestData(), rawspawn.New(cfg), "groups/...")
}
