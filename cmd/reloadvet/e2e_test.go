package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"testing"
)

var update = flag.Bool("update", false, "rewrite golden files")

// The end-to-end tests build the command and run it, as a user would,
// against copies of the fixture project in testdata/layered at the
// repository root.

var (
	buildOnce sync.Once
	binPath   string
	buildErr  error
)

// binary builds reloadvet once per test run and returns its path.
func binary(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "reloadvet-e2e")
		if err != nil {
			buildErr = err
			return
		}
		binPath = filepath.Join(dir, "reloadvet")
		out, err := exec.Command("go", "build", "-o", binPath, ".").CombinedOutput()
		if err != nil {
			buildErr = &buildError{err, out}
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return binPath
}

type buildError struct {
	err error
	out []byte
}

func (e *buildError) Error() string {
	return "building reloadvet: " + e.err.Error() + "\n" + string(e.out)
}

func TestMain(m *testing.M) {
	code := m.Run()
	if binPath != "" {
		if err := os.RemoveAll(filepath.Dir(binPath)); err != nil {
			fmt.Fprintf(os.Stderr, "removing the test binary: %v\n", err)
		}
	}
	os.Exit(code)
}

// fixture copies testdata/layered to a fresh directory and returns it.
func fixture(t *testing.T) string {
	t.Helper()
	return fixtureOf(t, "layered")
}

// fixtureOf copies testdata/NAME to a fresh directory and returns it.
func fixtureOf(t *testing.T, name string) string {
	t.Helper()
	src := filepath.Join("..", "..", "testdata", name)
	dst := t.TempDir()
	err := filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, path)
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		return os.WriteFile(target, data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	return dst
}

type result struct {
	stdout, stderr string
	code           int
}

// runIn runs a command in dir with extra environment entries.
func runIn(t *testing.T, dir string, env []string, name string, args ...string) result {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	code := 0
	if ee := (*exec.ExitError)(nil); errors.As(err, &ee) {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("running %s %v: %v", name, args, err)
	}
	return result{stdout.String(), stderr.String(), code}
}

func reloadvet(t *testing.T, dir string, args ...string) result {
	t.Helper()
	return runIn(t, dir, nil, binary(t), args...)
}

// golden compares got, with dir replaced by $DIR, to testdata/NAME.golden.
func golden(t *testing.T, name, dir, got string) {
	t.Helper()
	got = strings.ReplaceAll(got, dir, "$DIR")
	file := filepath.Join("testdata", name+".golden")
	if *update {
		if err := os.WriteFile(file, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if got != string(want) {
		t.Errorf("%s differs from %s:\n%s\nwant:\n%s", name, file, got, want)
	}
}

func expectCode(t *testing.T, r result, want int) {
	t.Helper()
	if r.code != want {
		t.Fatalf("exit status %d, want %d\nstdout:\n%s\nstderr:\n%s", r.code, want, r.stdout, r.stderr)
	}
}

func TestText(t *testing.T) {
	t.Parallel()
	dir := fixture(t)
	r := reloadvet(t, dir, "./...")
	expectCode(t, r, exitFindings)
	golden(t, "text", dir, r.stdout)
	if r.stderr != "" {
		t.Errorf("stderr not empty:\n%s", r.stderr)
	}
}

func TestJSON(t *testing.T) {
	t.Parallel()
	dir := fixture(t)
	r := reloadvet(t, dir, "-json", "./...")
	expectCode(t, r, exitFindings)
	var tree map[string]map[string][]map[string]any
	if err := json.Unmarshal([]byte(r.stdout), &tree); err != nil {
		t.Fatalf("output is not the go vet JSON tree: %v\n%s", err, r.stdout)
	}
	golden(t, "json", dir, r.stdout)
}

func TestSARIF(t *testing.T) {
	t.Parallel()
	dir := fixture(t)
	// A .git directory marks the root that SARIF paths are relative to.
	if err := os.Mkdir(filepath.Join(dir, ".git"), 0o755); err != nil {
		t.Fatal(err)
	}
	r := reloadvet(t, dir, "-format", "sarif", "./...")
	expectCode(t, r, exitFindings)
	var log struct {
		Version string `json:"version"`
		Runs    []struct {
			Tool struct {
				Driver struct {
					Rules []struct {
						ID      string `json:"id"`
						HelpURI string `json:"helpUri"`
						Help    struct{ Text string }
					} `json:"rules"`
				} `json:"driver"`
			} `json:"tool"`
			Results []struct {
				RuleID    string `json:"ruleId"`
				Locations []struct {
					PhysicalLocation struct {
						ArtifactLocation struct {
							URI string `json:"uri"`
						} `json:"artifactLocation"`
						Region struct {
							StartLine int `json:"startLine"`
						} `json:"region"`
					} `json:"physicalLocation"`
				} `json:"locations"`
			} `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &log); err != nil {
		t.Fatal(err)
	}
	if log.Version != "2.1.0" || len(log.Runs) != 1 {
		t.Fatalf("version %q with %d runs, want 2.1.0 with 1", log.Version, len(log.Runs))
	}
	run := log.Runs[0]
	if len(run.Tool.Driver.Rules) == 0 {
		t.Error("no rules")
	}
	for _, rule := range run.Tool.Driver.Rules {
		if rule.HelpURI == "" || rule.Help.Text == "" {
			t.Errorf("rule %s lacks help text or URL", rule.ID)
		}
	}
	if len(run.Results) != 9 {
		t.Errorf("%d results, want 9 (one per finding of the text output)", len(run.Results))
	}
	for _, res := range run.Results {
		if len(res.Locations) != 1 || strings.HasPrefix(res.Locations[0].PhysicalLocation.ArtifactLocation.URI, "/") || res.Locations[0].PhysicalLocation.Region.StartLine == 0 {
			t.Errorf("result %s: want one location relative to the repository root, got %+v", res.RuleID, res.Locations)
		}
	}
	// The rules carry whole analyzer docs, checked above; the golden file
	// holds the results.
	var raw struct {
		Runs []struct {
			Results json.RawMessage `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &raw); err != nil {
		t.Fatal(err)
	}
	golden(t, "sarif-results", dir, string(raw.Runs[0].Results)+"\n")
}

func TestCleanExitsZero(t *testing.T) {
	t.Parallel()
	dir := fixture(t)
	r := reloadvet(t, dir, "./core/...", "./api/metrics")
	expectCode(t, r, exitClean)
	if r.stdout != "" {
		t.Errorf("clean run printed:\n%s", r.stdout)
	}
}

// TestFixAndDiff runs rawspawn's fix, which hands the fixture's raw
// goroutine to the module's handle: -diff prints it and leaves the file,
// -fix writes it, and the fixed project builds and is clean.
func TestFixAndDiff(t *testing.T) {
	t.Parallel()
	dir := fixture(t)
	file := filepath.Join(dir, "database", "pool", "pool.go")
	before, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	r := reloadvet(t, dir, "-rawspawn", "-diff", "./database/...")
	expectCode(t, r, exitFindings)
	golden(t, "diff", dir, r.stdout)
	if after, _ := os.ReadFile(file); !bytes.Equal(after, before) {
		t.Errorf("-diff changed %s", file)
	}

	r = reloadvet(t, dir, "-rawspawn", "-fix", "./database/...")
	expectCode(t, r, exitClean)
	if r.stdout != "" {
		t.Errorf("-fix left findings no fix covers:\n%s", r.stdout)
	}
	fixed, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	want := "\tp.h.Go(func(context.Context) { p.refresh() }) // a raw goroutine"
	if !bytes.Contains(fixed, []byte(want)) || bytes.Contains(fixed, []byte("go p.refresh()")) {
		t.Errorf("-fix wrote:\n%s\nwant the line %q in place of the go statement", fixed, want)
	}
	if b := runIn(t, dir, nil, "go", "build", "./..."); b.code != 0 {
		t.Errorf("the fixed project does not build:\n%s", b.stderr)
	}
	expectCode(t, reloadvet(t, dir, "-rawspawn", "./database/..."), exitClean)
}

// TestFixPrintsWhatIsLeft checks that -fix prints what a run of the fixed
// code finds: the unjoined finding on the go statement that rawspawn's fix
// hands to the handle is gone with it; the findings no fix touches stay.
func TestFixPrintsWhatIsLeft(t *testing.T) {
	t.Parallel()
	dir := fixture(t)
	before := reloadvet(t, dir, "./database/...")
	const unjoined = "database/pool/pool.go:17:2: goroutine of module database is not joined"
	const kept = "database/pool/pool.go:20:27: method value p.stats of module database is kept by http.HandleFunc"
	if !strings.Contains(before.stdout, unjoined) || !strings.Contains(before.stdout, kept) {
		t.Fatalf("the fixture no longer has the findings this test needs:\n%s", before.stdout)
	}
	r := reloadvet(t, dir, "-fix", "./database/...")
	expectCode(t, r, exitFindings)
	if strings.Contains(r.stdout, unjoined) || strings.Contains(r.stdout, "(rawspawn)") {
		t.Errorf("-fix printed findings its fix removed:\n%s", r.stdout)
	}
	if !strings.Contains(r.stdout, kept) {
		t.Errorf("-fix lost a finding no fix covers:\n%s", r.stdout)
	}
	if after := reloadvet(t, dir, "./database/..."); after.stdout != r.stdout {
		t.Errorf("-fix printed:\n%s\nbut a run of the fixed code finds:\n%s", r.stdout, after.stdout)
	}
}

func TestTests(t *testing.T) {
	t.Parallel()
	dir := fixture(t)
	r := reloadvet(t, dir, "-tests", "./api/...")
	expectCode(t, r, exitFindings)
	want := "api/handlers/handlers_test.go:6:2: module api (layer 3) imports module admin (layer 3): peers in one layer may not import each other (layering)"
	if !strings.Contains(r.stdout, want) {
		t.Errorf("-tests output lacks the test file's import:\n%s", r.stdout)
	}
	if r := reloadvet(t, dir, "./api/..."); strings.Contains(r.stdout, "_test.go") {
		t.Errorf("without -tests, a _test.go file was checked:\n%s", r.stdout)
	}
}

func TestBadConfig(t *testing.T) {
	t.Parallel()
	dir := fixture(t)
	bad := "version: 2\nmodules:\n  - name: core\n    pakages: [\"example.com/app/core/...\"]\nlayers: [[core], [databse]]\n"
	if err := os.WriteFile(filepath.Join(dir, ".reloadvet.yml"), []byte(bad), 0o644); err != nil {
		t.Fatal(err)
	}
	r := reloadvet(t, dir, "./...")
	expectCode(t, r, exitError)
	if r.stdout != "" {
		t.Errorf("a bad config printed to stdout:\n%s", r.stdout)
	}
	golden(t, "badconfig", dir, r.stderr)
}

func TestMissingConfigFlag(t *testing.T) {
	t.Parallel()
	dir := fixture(t)
	r := reloadvet(t, dir, "-config", "nope.yml", "./...")
	expectCode(t, r, exitError)
	if !strings.Contains(r.stderr, "config file") || !strings.Contains(r.stderr, "nope.yml does not exist") {
		t.Errorf("stderr does not name the missing file:\n%s", r.stderr)
	}
}

func TestBrokenPackage(t *testing.T) {
	t.Parallel()
	dir := fixture(t)
	broken := "package pool\n\nvar x int = \"not an int\"\n"
	if err := os.WriteFile(filepath.Join(dir, "database", "pool", "broken.go"), []byte(broken), 0o644); err != nil {
		t.Fatal(err)
	}
	r := reloadvet(t, dir, "./...")
	expectCode(t, r, exitError)
	if !strings.Contains(r.stderr, "package example.com/app/database/pool:") || r.stdout != "" {
		t.Errorf("want the broken package named on stderr and nothing on stdout; stderr:\n%s\nstdout:\n%s", r.stderr, r.stdout)
	}
}

// editConfig replaces the first old in the .reloadvet.yml of dir by new.
func editConfig(t *testing.T, dir, old, new string) {
	t.Helper()
	name := filepath.Join(dir, ".reloadvet.yml")
	cfg, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	edited := strings.Replace(string(cfg), old, new, 1)
	if edited == string(cfg) {
		t.Fatalf("%s has no %s", name, old)
	}
	if err := os.WriteFile(name, []byte(edited), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestUnmatchedModuleWarning(t *testing.T) {
	t.Parallel()
	dir := fixture(t)
	editConfig(t, dir, `"example.com/app/admin/..."`, `"example.com/app/admn/..."`)
	r := reloadvet(t, dir, "./...")
	want := "reloadvet: warning: .reloadvet.yml:10:11: modules[3].packages: module admin matches no package of this run (patterns: example.com/app/admn/...); check them for a typo\n"
	if r.stderr != want {
		t.Errorf("stderr:\n%s\nwant:\n%s", r.stderr, want)
	}
	// A run that could have matched admin's pattern warns the same; one of
	// another part of the tree (an editor on one package, a CI job per
	// directory) does not: admin is outside it, not mistyped. ./admin/...
	// is such a run too, since it cannot match example.com/app/admn/...:
	// the warning judges the pattern written, not the one meant.
	for _, args := range [][]string{{"./api/...", "./..."}, {"example.com/app/..."}} {
		if r := reloadvet(t, dir, args...); r.stderr != want {
			t.Errorf("reloadvet %v: stderr:\n%s\nwant:\n%s", args, r.stderr, want)
		}
	}
	for _, args := range [][]string{{"./api/..."}, {"./admin/..."}, {"./core"}, {"example.com/app/database/..."}} {
		if r := reloadvet(t, dir, args...); r.stderr != "" {
			t.Errorf("reloadvet %v: stderr:\n%s\nwant no warning", args, r.stderr)
		}
	}
}

// TestUnknownSpawnerWarning checks that a spawner naming no method of its
// package is warned about with what the type has, in a full run and in a
// partial one that loads the spawner's package.
func TestUnknownSpawnerWarning(t *testing.T) {
	t.Parallel()
	dir := fixture(t)
	editConfig(t, dir, `example.com/app/core.(*Handle).Go`, `example.com/app/core.(*Handle).Og`)
	for _, args := range [][]string{{"./..."}, {"./database/..."}} {
		r := reloadvet(t, dir, args...)
		if !regexp.MustCompile(`(?m)^reloadvet: warning: \.reloadvet\.yml:\d+:\d+: spawners\[0\]: spawner "example.com/app/core.\(\*Handle\).Og" names no function or method of package example.com/app/core \(did you mean example.com/app/core.\(\*Handle\).Go\?\); rawspawn would tell every module to call it$`).MatchString(r.stderr) {
			t.Errorf("reloadvet %v: stderr:\n%s\nwant the spawner warning", args, r.stderr)
		}
	}
}

func TestSelectAnalyzers(t *testing.T) {
	t.Parallel()
	dir := fixture(t)
	r := reloadvet(t, dir, "-directive", "./...")
	expectCode(t, r, exitFindings)
	if strings.Contains(r.stdout, "(layering)") || !strings.Contains(r.stdout, "(directive)") {
		t.Errorf("-directive ran other analyzers too:\n%s", r.stdout)
	}
	r = reloadvet(t, dir, "-layering=false", "./...")
	if strings.Contains(r.stdout, "(layering)") {
		t.Errorf("-layering=false still ran layering:\n%s", r.stdout)
	}
}

func TestVerbose(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module example.com/empty\n\ngo 1.26\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "a.go"), []byte("package a\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	r := reloadvet(t, dir, "-v", "./...")
	expectCode(t, r, exitClean)
	for _, want := range []string{"no config file found: using defaults", "layering: no config: nothing to check", "unjoined: no config: checking every package but main", "rawspawn: no config: nothing to check", "crosscallback: no config: nothing to check"} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("-v output lacks %q:\n%s", want, r.stderr)
		}
	}
}

// TestVerboseConfig checks that -v prints the config in effect, with the
// flags of this run that override it.
func TestVerboseConfig(t *testing.T) {
	t.Parallel()
	dir := fixture(t)
	r := reloadvet(t, dir, "-v", "-tests", "-rawspawn.allow-scoped", "-layering=false", "-directive=false", "-unjoined=false", "-crosscallback=false", "./...")
	want := `reloadvet: config .reloadvet.yml: 4 modules in 3 layers, 1 spawner; in effect:
reloadvet:   layer 1: core (example.com/app/core/...)
reloadvet:   layer 2: database (example.com/app/database/...)
reloadvet:   layer 3: api (example.com/app/api/...), admin (example.com/app/admin/...)
reloadvet:   spawners: example.com/app/core.(*Handle).Go
reloadvet:   tests: true
reloadvet:   rawspawn: {allow-scoped: false}, overridden for this run by -rawspawn.allow-scoped=true
`
	if !strings.HasPrefix(r.stderr, want) {
		t.Errorf("-v output:\n%s\nwant it to begin:\n%s", r.stderr, want)
	}
}

func TestHelp(t *testing.T) {
	t.Parallel()
	r := reloadvet(t, ".", "help")
	expectCode(t, r, exitClean)
	if !regexp.MustCompile(`(?m)^  layering +reports imports between modules`).MatchString(r.stdout) {
		t.Errorf("help does not list layering with its summary:\n%s", r.stdout)
	}
	r = reloadvet(t, ".", "help", "layering")
	expectCode(t, r, exitClean)
	if !strings.HasPrefix(r.stdout, "layering: reports") || !strings.Contains(r.stdout, "https://pkg.go.dev/github.com/reloadvet/reloadvet/analyzers/layering") {
		t.Errorf("help layering:\n%s", r.stdout)
	}
	r = reloadvet(t, ".", "help", "layring")
	expectCode(t, r, exitUsage)
	if !strings.Contains(r.stderr, `unknown analyzer "layring", did you mean "layering"?`) {
		t.Errorf("help with a misspelt name:\n%s", r.stderr)
	}
	r = reloadvet(t, ".", "help", "zzz")
	expectCode(t, r, exitUsage)
	if !strings.Contains(r.stderr, `unknown analyzer "zzz" (accepted: layering,`) {
		t.Errorf("help with an unknown name:\n%s", r.stderr)
	}
}

func TestGraph(t *testing.T) {
	t.Parallel()
	dir := fixture(t)
	r := reloadvet(t, dir, "graph")
	expectCode(t, r, exitClean)
	golden(t, "graph.dot", dir, r.stdout)
	r = reloadvet(t, dir, "graph", "-mermaid")
	expectCode(t, r, exitClean)
	golden(t, "graph.mermaid", dir, r.stdout)
}

func TestVetTool(t *testing.T) {
	t.Parallel()
	if runtime.GOOS == "windows" {
		t.Skip("the test writes a Unix shell-free config path")
	}
	dir := fixture(t)
	vet := func(args ...string) result {
		return runIn(t, dir, nil, "go", append([]string{"vet", "-vettool=" + binary(t)}, args...)...)
	}
	r := vet("./...")
	expectCode(t, r, 1)
	text := r.stderr
	for _, want := range []string{
		"database/store/store.go:4:2: module database (layer 2) imports module api (layer 3): a module may only import lower layers",
		"api/handlers/handlers.go:4:2: module api (layer 3) imports module admin (layer 3): peers in one layer may not import each other",
		"admin/users/users.go:16:1: malformed directive: directive gives no reason",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("go vet output lacks %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, "admin/users/users.go:7:") {
		t.Errorf("go vet reported the suppressed import:\n%s", text)
	}

	// JSON runs exit 0, so go vet caches them: a config change must still
	// change the result.
	before := vet("-json", "./...")
	expectCode(t, before, 0)
	if !strings.Contains(before.stdout, "imports module admin (layer 3)") {
		t.Fatalf("go vet -json lacks the sideways import:\n%s", before.stdout)
	}
	cfgFile := filepath.Join(dir, ".reloadvet.yml")
	cfg, err := os.ReadFile(cfgFile)
	if err != nil {
		t.Fatal(err)
	}
	// Put admin in a layer of its own above api: api -> admin is now upward.
	moved := strings.Replace(string(cfg), "  - [api, admin]\n", "  - [api]\n  - [admin]\n", 1)
	if err := os.WriteFile(cfgFile, []byte(moved), 0o644); err != nil {
		t.Fatal(err)
	}
	after := vet("-json", "./...")
	expectCode(t, after, 0)
	if !strings.Contains(after.stdout, "module api (layer 3) imports module admin (layer 4): a module may only import lower layers") {
		t.Errorf("after the config change, go vet -json served a stale result:\n%s", after.stdout)
	}

	// A bad config fails go vet before any package is analysed.
	if err := os.WriteFile(cfgFile, []byte("version: 7\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	bad := vet("./...")
	if bad.code == 0 || !strings.Contains(bad.stderr, ".reloadvet.yml:1:10: version: unsupported version 7 (accepted: 1)") {
		t.Errorf("go vet with a bad config: exit %d, stderr:\n%s", bad.code, bad.stderr)
	}

	rel := runIn(t, dir, []string{"RELOADVET_CONFIG=relative.yml"}, "go", "vet", "-vettool="+binary(t), "./...")
	if rel.code == 0 || !strings.Contains(rel.stderr, "RELOADVET_CONFIG=relative.yml: want an absolute path") {
		t.Errorf("go vet with a relative RELOADVET_CONFIG: exit %d, stderr:\n%s", rel.code, rel.stderr)
	}
}

// TestCycleHalves: the halves of a module cycle meet only in a package that
// imports both, so no package's analysis sees the cycle whole; the command
// loads the whole program and names it once, at the breaking import.
func TestCycleHalves(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	files := map[string]string{
		"go.mod":         "module ex.com/c\n\ngo 1.26\n",
		".reloadvet.yml": "version: 1\nmodules:\n  - {name: a, packages: [\"ex.com/c/a/...\"]}\n  - {name: b, packages: [\"ex.com/c/b/...\"]}\nlayers: [[a], [b]]\n",
		"a/a1/a1.go":     "package a1\n\nimport _ \"ex.com/c/b/b1\"\n",
		"a/a2/a2.go":     "package a2\n",
		"b/b1/b1.go":     "package b1\n",
		"b/b2/b2.go":     "package b2\n\nimport _ \"ex.com/c/a/a2\"\n",
		"cmd/m/main.go":  "package main\n\nimport (\n\t_ \"ex.com/c/a/a1\"\n\t_ \"ex.com/c/b/b2\"\n)\n\nfunc main() {}\n",
	}
	writeTree(t, dir, files)
	r := reloadvet(t, dir, "./...")
	expectCode(t, r, exitFindings)
	want := "a/a1/a1.go:3:8: module import cycle a -> b -> a: modules must form a DAG to be unloaded in order (layering)\n" +
		"\ta/a1/a1.go:3:8: a -> b: ex.com/c/a/a1 imports ex.com/c/b/b1\n" +
		"\tb/b2/b2.go:3:8: b -> a: ex.com/c/b/b2 imports ex.com/c/a/a2\n"
	if !strings.Contains(r.stdout, want) || strings.Count(r.stdout, "module import cycle") != 1 {
		t.Errorf("want the cycle named once, as\n%s\ngot:\n%s", want, r.stdout)
	}
	if r := reloadvet(t, dir, "-layering=false", "./..."); strings.Contains(r.stdout, "module import cycle") {
		t.Errorf("-layering=false still named the cycle:\n%s", r.stdout)
	}

	// The directive that silences layering at the breaking import silences
	// the cycle named there too.
	editFile(t, filepath.Join(dir, "a", "a1", "a1.go"), "import _", "//reloadvet:ignore layering a1 moves to b next (#7)\nimport _")
	r = reloadvet(t, dir, "./...")
	expectCode(t, r, exitClean)
}

// TestCycleNamedOnce: two packages of api each import admin/y, which
// imports api/z; the cycle has three breaking imports (every import is
// sideways) and the command names it once, at the first in position order.
func TestCycleNamedOnce(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	writeTree(t, dir, map[string]string{
		"go.mod":         "module ex.com/d\n\ngo 1.26\n",
		".reloadvet.yml": "version: 1\nmodules:\n  - {name: api, packages: [\"ex.com/d/api/...\"]}\n  - {name: admin, packages: [\"ex.com/d/admin/...\"]}\nlayers: [[api, admin]]\n",
		"api/x1/x1.go":   "package x1\n\nimport _ \"ex.com/d/admin/y\"\n",
		"api/x2/x2.go":   "package x2\n\nimport _ \"ex.com/d/admin/y\"\n",
		"api/z/z.go":     "package z\n",
		"admin/y/y.go":   "package y\n\nimport _ \"ex.com/d/api/z\"\n",
	})
	r := reloadvet(t, dir, "./...")
	expectCode(t, r, exitFindings)
	want := "admin/y/y.go:3:8: module import cycle admin -> api -> admin: modules must form a DAG to be unloaded in order (layering)\n" +
		"\tadmin/y/y.go:3:8: admin -> api: ex.com/d/admin/y imports ex.com/d/api/z\n" +
		"\tapi/x1/x1.go:3:8: api -> admin: ex.com/d/api/x1 imports ex.com/d/admin/y\n"
	if !strings.Contains(r.stdout, want) || strings.Count(r.stdout, "module import cycle") != 1 {
		t.Errorf("want the cycle named once, as\n%s\ngot:\n%s", want, r.stdout)
	}
	if strings.Count(r.stdout, "peers in one layer may not import each other") != 3 {
		t.Errorf("want each of the three sideways imports reported:\n%s", r.stdout)
	}
}

// writeTree writes files (slash-separated names relative to dir).
func writeTree(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, content := range files {
		path := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
