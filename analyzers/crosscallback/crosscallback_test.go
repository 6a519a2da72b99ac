package crosscallback_test

import (
	"bytes"
	"encoding/gob"
	"go/ast"
	"go/token"
	"go/types"
	"testing"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/analysistest"
	"golang.org/x/tools/go/packages"

	"github.com/reloadvet/reloadvet/analyzers/crosscallback"
	"github.com/reloadvet/reloadvet/internal/config"
	"github.com/reloadvet/reloadvet/internal/config/configtest"
)

// TestHooks checks hazards beside the right idioms with the standard
// library: the default mux and a local mux, discarded and kept undo
// values, spawner and handle calls, synchronous callbacks.
func TestHooks(t *testing.T) {
	t.Parallel()
	cfg := configtest.Parse(t, `version: 1
modules:
  - {name: core, packages: ["hooks/core"]}
  - {name: service, packages: ["hooks/service"]}
layers: [[core], [service]]
spawners: ["hooks/core.(*Handle).Go"]
`)
	results := analysistest.Run(t, analysistest.TestData(), crosscallback.New(cfg), "hooks/...")
	// The scenario imports net/http and with it much of the standard
	// library: a fair sample for the fact budget.
	t.Run("FactBudget", func(t *testing.T) { checkFactBudget(t, results) })
}

// TestFacts checks the facts computed for each way of retaining a
// parameter, and their use at the call sites of a module.
func TestFacts(t *testing.T) {
	t.Parallel()
	cfg := configtest.Parse(t, configtest.OneModule("app", "facts/app"))
	analysistest.Run(t, analysistest.TestData(), crosscallback.New(cfg), "facts/...")
}

// TestOutside checks objects a module got from outside: DI registries in
// parameters and fields, the host's default registry reached through an
// unexported function, channels and maps, beside the module's own objects
// and its handle.
func TestOutside(t *testing.T) {
	t.Parallel()
	cfg := configtest.Parse(t, `version: 1
modules:
  - {name: core, packages: ["outside/core"]}
  - {name: app, packages: ["outside/app"]}
layers: [[core], [app]]
spawners: ["outside/core.(*Handle).Go"]
`)
	analysistest.Run(t, analysistest.TestData(), crosscallback.New(cfg), "outside/...")
}

// TestLayers checks which modules' state outlives a module: lower layers
// and no module, not its own packages, peers or higher layers.
func TestLayers(t *testing.T) {
	t.Parallel()
	cfg := configtest.Parse(t, `version: 1
modules:
  - {name: base, packages: ["layers/base"]}
  - {name: svc, packages: ["layers/svc/..."]}
  - {name: peer, packages: ["layers/peer"]}
  - {name: top, packages: ["layers/top"]}
layers: [[base], [svc, peer], [top]]
`)
	analysistest.Run(t, analysistest.TestData(), crosscallback.New(cfg), "layers/...")
}

// TestGenerics checks generic registries and functions, instantiated by a
// module.
func TestGenerics(t *testing.T) {
	t.Parallel()
	cfg := configtest.Parse(t, configtest.OneModule("app", "generics/app"))
	analysistest.Run(t, analysistest.TestData(), crosscallback.New(cfg), "generics/...")
}

// TestTyped checks values of a module's types handed over as interfaces
// with methods, beside values handed over as data.
func TestTyped(t *testing.T) {
	t.Parallel()
	cfg := configtest.Parse(t, configtest.OneModule("app", "typed/app"))
	analysistest.Run(t, analysistest.TestData(), crosscallback.New(cfg), "typed/...")
}

// TestEmbedded checks the messages for methods promoted from embedded
// fields: they name the object the module holds, not the embedded field
// that declares the method.
func TestEmbedded(t *testing.T) {
	t.Parallel()
	cfg := configtest.Parse(t, `version: 1
modules:
  - {name: low, packages: ["embedded/low"]}
  - {name: high, packages: ["embedded/high"]}
layers: [[low], [high]]
`)
	analysistest.Run(t, analysistest.TestData(), crosscallback.New(cfg), "embedded/...")
}

// TestRestore checks stores into package-level state and objects from
// outside that the function puts back, beside stores it does not, or not
// on every path.
func TestRestore(t *testing.T) {
	t.Parallel()
	cfg := configtest.Parse(t, `version: 1
modules:
  - {name: low, packages: ["restore/low"]}
  - {name: high, packages: ["restore/high"]}
layers: [[low], [high]]
`)
	analysistest.Run(t, analysistest.TestData(), crosscallback.New(cfg), "restore/...")
}

func TestNoConfig(t *testing.T) {
	t.Parallel()
	analysistest.Run(t, analysistest.TestData(), crosscallback.Analyzer, "noconfig/...")
}

func TestSuppressed(t *testing.T) {
	t.Parallel()
	cfg := configtest.Parse(t, `version: 1
modules:
  - {name: svc, packages: ["suppressed/svc"]}
layers: [[svc]]
`)
	analysistest.Run(t, analysistest.TestData(), crosscallback.New(cfg), "suppressed/...")
}

func TestNote(t *testing.T) {
	t.Parallel()
	cases := []struct {
		cfg  *config.Config
		want string
	}{
		{config.Default(), "no config: nothing to check"},
		{configtest.Parse(t, "version: 1\n"), "no modules configured: nothing to check"},
		{configtest.Parse(t, "version: 1\nmodules: [{name: a, packages: [x/a]}]\nlayers: [[a]]\n"), ""},
	}
	for _, tc := range cases {
		if got := crosscallback.Note(tc.cfg); got != tc.want {
			t.Errorf("Note() = %q, want %q", got, tc.want)
		}
	}
}

// Fact budgets: what one fact, and the facts of one package, may cost in
// the gob encoding drivers store them in.
const (
	factBudget    = 200  // bytes per fact, after the first of a package
	packageBudget = 8192 // bytes for all facts of one package
)

// checkFactBudget encodes the facts of every package the results saw, one
// gob stream per package as drivers do, and checks them against the
// budgets.
func checkFactBudget(t *testing.T, results []*analysistest.Result) {
	t.Helper()
	byPkg := map[*types.Package][]analysis.ObjectFact{}
	seen := map[types.Object]bool{}
	for _, r := range results {
		for _, f := range r.Action.AllObjectFacts() {
			if !seen[f.Object] {
				seen[f.Object] = true
				byPkg[f.Object.Pkg()] = append(byPkg[f.Object.Pkg()], f)
			}
		}
	}
	if len(byPkg) < 20 {
		t.Fatalf("facts of only %d packages: the budget test needs the standard library's", len(byPkg))
	}
	total, count, largest := 0, 0, 0
	for pkg, facts := range byPkg {
		var buf bytes.Buffer
		enc := gob.NewEncoder(&buf)
		for i, f := range facts {
			before := buf.Len()
			if err := enc.Encode(f.Fact); err != nil {
				t.Fatal(err)
			}
			size := buf.Len() - before
			if i > 0 && size > factBudget {
				t.Errorf("fact of %s is %d bytes, over the budget of %d: %v", f.Object, size, factBudget, f.Fact)
			}
			largest = max(largest, size)
		}
		if buf.Len() > packageBudget {
			t.Errorf("facts of %s are %d bytes, over the budget of %d", pkg.Path(), buf.Len(), packageBudget)
		}
		total += buf.Len()
		count += len(facts)
	}
	t.Logf("%d facts in %d packages, %d bytes encoded, largest %d", count, len(byPkg), total, largest)
}

// TestTuple checks the results of one call as separate values: a callback
// stored into one result does not travel with another.
func TestTuple(t *testing.T) {
	t.Parallel()
	cfg := configtest.Parse(t, `version: 1
modules:
  - {name: low, packages: ["tuple/low"]}
  - {name: high, packages: ["tuple/high"]}
layers: [[low], [high]]
spawners: ["sync.(*WaitGroup).Go"]
`)
	results := analysistest.Run(t, analysistest.TestData(), crosscallback.New(cfg), "tuple/...")
	// The literal a finding names is the one in the result handed over,
	// not the one stored into the other result of the same call.
	checked := 0
	for _, r := range results {
		pkg := r.Action.Package
		for _, d := range r.Action.Diagnostics {
			if enclosingFunc(pkg, d.Pos) != "SetupLit" {
				continue
			}
			if len(d.Related) == 0 {
				t.Fatalf("%s: no related position for the literal", pkg.Fset.Position(d.Pos))
			}
			checked++
			rel := d.Related[0]
			if in := enclosingFunc(pkg, rel.Pos); rel.Message != "func literal is taken here" || in != "startLit" {
				t.Errorf("%s: related %q at %s in %s, want the literal of startLit", pkg.Fset.Position(d.Pos), rel.Message, pkg.Fset.Position(rel.Pos), in)
			}
		}
	}
	if checked != 1 {
		t.Errorf("%d findings in SetupLit, want 1", checked)
	}
}

// enclosingFunc returns the name of the declared function of pkg that pos
// lies in, or "".
func enclosingFunc(pkg *packages.Package, pos token.Pos) string {
	for _, f := range pkg.Syntax {
		for _, decl := range f.Decls {
			if fd, ok := decl.(*ast.FuncDecl); ok && fd.Pos() <= pos && pos < fd.End() {
				return fd.Name.Name
			}
		}
	}
	return ""
}

// TestValueFlow checks that a callback is reported where its value goes,
// not wherever an object that holds it goes: a closure or method value
// kept by a timer carries a callback only when it calls it.
func TestValueFlow(t *testing.T) {
	t.Parallel()
	cfg := configtest.Parse(t, configtest.OneModule("app", "valueflow/app"))
	analysistest.Run(t, analysistest.TestData(), crosscallback.New(cfg), "valueflow/...")
}

// TestFramework checks registration by value with a framework whose
// registry keeps what a method of the registered value returns (caddy's
// RegisterModule keeping the New func of CaddyModule's result): reported
// where the value's type is known and its method returns the module's
// code, not where it returns another's or the registry keeps none of it.
func TestFramework(t *testing.T) {
	t.Parallel()
	cfg := configtest.Parse(t, configtest.OneModule("app", "framework/app"))
	analysistest.Run(t, analysistest.TestData(), crosscallback.New(cfg), "framework/...")
}

// TestBranches checks summaries that retain only on one branch, selected
// by a constant bool or a nil argument.
func TestBranches(t *testing.T) {
	t.Parallel()
	cfg := configtest.Parse(t, configtest.OneModule("app", "branches/app"))
	analysistest.Run(t, analysistest.TestData(), crosscallback.New(cfg), "branches/...")
}

// TestOwnOrigin checks objects that look as if they came from outside
// but do not: a parameter of an exported function the package calls only
// with its own objects, a per-request *http.Request, and values whose
// interface methods are all promoted from another's type.
func TestOwnOrigin(t *testing.T) {
	t.Parallel()
	cfg := configtest.Parse(t, configtest.OneModule("app", "ownorigin/app"))
	analysistest.Run(t, analysistest.TestData(), crosscallback.New(cfg), "ownorigin/...")
}

// TestInitRegistration checks that callbacks handed over during package
// initialisation (init functions and package-level initialisers) are
// reported in a category of their own, which skip-init turns off.
func TestInitRegistration(t *testing.T) {
	t.Parallel()
	cfg := configtest.Parse(t, configtest.OneModule("app", "initreg/app"))
	results := analysistest.Run(t, analysistest.TestData(), crosscallback.New(cfg), "initreg/app")
	want := map[int]string{12: "init-registration", 16: "init-registration", 24: "package-state", 29: "package-state"}
	got := map[int]string{}
	for _, r := range results {
		for _, d := range r.Diagnostics {
			got[r.Pass.Fset.Position(d.Pos).Line] = d.Category
		}
	}
	for line, cat := range want {
		if got[line] != cat {
			t.Errorf("initreg/app/app.go:%d: category %q, want %q", line, got[line], cat)
		}
	}

	skip := configtest.Parse(t, skipYAML)
	analysistest.Run(t, analysistest.TestData(), crosscallback.New(skip), "initreg/skipped")

	// The same config given inline through -config, as go vet and nogo
	// pass it, turns init-registration off too.
	inline := crosscallback.New(config.Default())
	if err := inline.Flags.Set(config.FlagName, skipYAML); err != nil {
		t.Fatal(err)
	}
	analysistest.Run(t, analysistest.TestData(), inline, "initreg/skipped")

	// The flag overrides the config: off again.
	a := crosscallback.New(skip)
	if err := a.Flags.Set("skip-init", "false"); err != nil {
		t.Fatal(err)
	}
	// The wants of initreg/skipped are those of skip-init: the two
	// unexpected findings are counted here, not reported.
	results = analysistest.Run(discard{}, analysistest.TestData(), a, "initreg/skipped")
	n := 0
	for _, r := range results {
		n += len(r.Diagnostics)
	}
	if n != 3 {
		t.Errorf("with -skip-init=false: %d findings in initreg/skipped, want 3", n)
	}
}

const skipYAML = `version: 1
modules:
  - {name: skipped, packages: ["initreg/skipped"]}
layers: [[skipped]]
crosscallback: {skip-init: true}
`

// discard is an analysistest.Testing that drops what it is told.
type discard struct{}

func (discard) Errorf(string, ...any) {}
