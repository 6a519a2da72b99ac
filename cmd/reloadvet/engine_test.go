package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// The tests in this file hold the engine to its cache: the command
// analyses through go vet, whose cache keeps facts and findings, and a
// cache that answers for code, a config or flags it was not computed for
// is worse than none. Each test has a Go cache of its own that starts
// empty.

// freshCache returns the environment entry for an empty Go cache.
func freshCache(t *testing.T) string {
	t.Helper()
	return "GOCACHE=" + t.TempDir()
}

// analyses returns the numbers -v reports for go vet: analyses run, and
// served from the cache.
func analyses(t *testing.T, stderr string) (run, cached int) {
	t.Helper()
	m := regexp.MustCompile(`\((\d+) analyses: (\d+) run, (\d+) from the go cache\)`).FindStringSubmatch(stderr)
	if m == nil {
		t.Fatalf("-v does not say what go vet ran and what the cache served:\n%s", stderr)
	}
	run, _ = strconv.Atoi(m[2])
	cached, _ = strconv.Atoi(m[3])
	return run, cached
}

// callbackTree is a project where a module package hands a method value to
// a helper outside every module that keeps it: crosscallback reports it
// from the helper's fact alone.
var callbackTree = map[string]string{
	"go.mod":          "module ex.com/cb\n\ngo 1.26\n",
	".reloadvet.yml":  "version: 1\nmodules:\n  - {name: svc, packages: [\"ex.com/cb/svc/...\"]}\n  - {name: top, packages: [\"ex.com/cb/top/...\"]}\n  - {name: up, packages: [\"ex.com/cb/up/...\"]}\nlayers: [[svc], [top, up]]\n",
	"lib/lib.go":      "package lib\n\nvar hooks []func()\n\n// Keep keeps f.\nfunc Keep(f func()) { hooks = append(hooks, f) }\n",
	"svc/svc.go":      "package svc\n\nimport \"ex.com/cb/lib\"\n\ntype S struct{}\n\nfunc (s *S) Start() { lib.Keep(s.tick) }\n\nfunc (s *S) tick() {}\n",
	"top/top.go":      "package top\n\nimport _ \"ex.com/cb/svc\"\n",
	"up/up.go":        "package up\n",
	"svc/svc_test.go": "package svc\n\nimport _ \"ex.com/cb/up\" // upward, in a test file\n",
}

const keptFinding = "svc/svc.go:7:32: method value s.tick of module svc is kept by lib.Keep in package-level state of lib (no module), which outlives svc (crosscallback)"

// TestCacheFollowsEdits edits, one at a time, what decides the findings:
// a dependency's code (through its facts only), the config, a build tag
// and the tool's flags. Each edit must change the result; a run with no
// edit must give the same result, all of it from the cache.
func TestCacheFollowsEdits(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	writeTree(t, dir, callbackTree)
	env := []string{freshCache(t)}
	rv := func(args ...string) result {
		t.Helper()
		return runIn(t, dir, env, binary(t), append([]string{"-v"}, args...)...)
	}

	first := rv("./...")
	expectCode(t, first, exitFindings)
	if !strings.Contains(first.stdout, keptFinding) {
		t.Fatalf("the first run lacks the finding from lib's fact:\n%s", first.stdout)
	}
	// go list's graph says how many analyses go vet has to do; with an
	// empty cache it runs the tool for every one.
	m := regexp.MustCompile(`(\d+) analyses for go vet to do`).FindStringSubmatch(first.stderr)
	if m == nil {
		t.Fatalf("-v does not say how many analyses go vet has to do:\n%s", first.stderr)
	}
	units, _ := strconv.Atoi(m[1])
	if run, cached := analyses(t, first.stderr); run != units || cached != 0 {
		t.Errorf("first run with an empty cache: %d run, %d cached; want all %d run", run, cached, units)
	}

	again := rv("./...")
	if again.stdout != first.stdout || again.code != first.code {
		t.Errorf("a run with nothing changed differs:\n%s\nwant:\n%s", again.stdout, first.stdout)
	}
	if run, cached := analyses(t, again.stderr); run != 0 || cached == 0 {
		t.Errorf("a run with nothing changed: %d run, %d cached; want all from the cache", run, cached)
	}

	// A dependency no longer keeps what it is given: svc's files are the
	// same, its finding goes, because lib's facts changed.
	editFile(t, filepath.Join(dir, "lib", "lib.go"), "{ hooks = append(hooks, f) }", "{ f() }")
	r := rv("./...")
	if strings.Contains(r.stdout, keptFinding) {
		t.Errorf("after lib stopped keeping f, the finding is still reported:\n%s", r.stdout)
	}
	// lib, svc and its test variant (compiled against lib), and top, which
	// sees svc's facts change; not the standard library.
	if run, _ := analyses(t, r.stderr); run != 4 {
		t.Errorf("after an edit of lib: %d analyses run; want 4 (lib, svc, svc with its tests, top)", run)
	}
	editFile(t, filepath.Join(dir, "lib", "lib.go"), "{ f() }", "{ hooks = append(hooks, f) }")
	if r := rv("./..."); r.stdout != first.stdout {
		t.Errorf("after undoing the edit of lib:\n%s\nwant:\n%s", r.stdout, first.stdout)
	}

	// The config: svc moves above top, and top's import of svc becomes
	// upward.
	cfgFile := filepath.Join(dir, ".reloadvet.yml")
	editFile(t, cfgFile, "layers: [[svc], [top, up]]", "layers: [[top, up], [svc]]")
	r = rv("./...")
	if want := "top/top.go:3:8: module top (layer 1) imports module svc (layer 2): a module may only import lower layers (layering)"; !strings.Contains(r.stdout, want) {
		t.Errorf("after the config edit, the result lacks\n%s\ngot:\n%s", want, r.stdout)
	}
	editFile(t, cfgFile, "layers: [[top, up], [svc]]", "layers: [[svc], [top, up]]")

	// A build tag: a file only the tag builds keeps another callback.
	writeTree(t, dir, map[string]string{
		"svc/extra.go": "//go:build extra\n\npackage svc\n\nimport \"ex.com/cb/lib\"\n\nfunc (s *S) More() { lib.Keep(s.tick) }\n",
	})
	const tagged = "svc/extra.go:7:31: method value s.tick of module svc is kept by lib.Keep"
	if r := rv("./..."); strings.Contains(r.stdout, tagged) {
		t.Errorf("without -tags extra, the tagged file was checked:\n%s", r.stdout)
	}
	if r := rv("-tags", "extra", "./..."); !strings.Contains(r.stdout, tagged) {
		t.Errorf("with -tags extra, the tagged file's finding is missing:\n%s", r.stdout)
	}

	// The tool's flags: -tests checks the test file, -crosscallback=false
	// drops crosscallback.
	const inTest = "svc/svc_test.go:3:8: module svc (layer 1) imports module up (layer 2): a module may only import lower layers (layering)"
	if r := rv("-tests", "./..."); !strings.Contains(r.stdout, inTest) {
		t.Errorf("with -tests, the test file's import is missing:\n%s", r.stdout)
	}
	if r := rv("./..."); strings.Contains(r.stdout, inTest) {
		t.Errorf("without -tests after a run with it, the test file's import is reported:\n%s", r.stdout)
	}
	if r := rv("-crosscallback=false", "./..."); strings.Contains(r.stdout, "(crosscallback)") || r.code != exitClean {
		t.Errorf("with -crosscallback=false: exit %d\n%s", r.code, r.stdout)
	}
	if r := rv("./..."); !strings.Contains(r.stdout, keptFinding) {
		t.Errorf("after a run with -crosscallback=false, a full run lacks crosscallback's finding:\n%s", r.stdout)
	}
}

// TestCacheRoles analyses packages first as dependencies, then as the
// packages named: go1.26's go vet keys both alike, and a package analysed
// only for facts must not later be served without its findings.
func TestCacheRoles(t *testing.T) {
	t.Parallel()
	dir := fixture(t)
	env := []string{freshCache(t)}
	// api/handlers imports admin/users and database/pool: both are
	// analysed as dependencies here, first.
	runIn(t, dir, env, binary(t), "./api/handlers")
	r := runIn(t, dir, env, binary(t), "./...")
	expectCode(t, r, exitFindings)
	golden(t, "text", dir, r.stdout)

	// And the other way: packages named first, then reached as
	// dependencies only, must not bring their findings along.
	r = runIn(t, dir, env, binary(t), "./api/handlers")
	for _, line := range strings.Split(strings.TrimSpace(r.stdout), "\n") {
		if !strings.HasPrefix(line, "api/handlers/") && !strings.HasPrefix(line, "\t") {
			t.Errorf("./api/handlers reported a finding of another package: %s", line)
		}
	}
}

// TestTangle: four modules whose imports hold seven elementary cycles;
// the command names each once, in position order.
func TestTangle(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	writeTree(t, dir, map[string]string{
		"go.mod":         "module ex.com/t\n\ngo 1.26\n",
		".reloadvet.yml": "version: 1\nmodules:\n  - {name: a, packages: [\"ex.com/t/a/...\"]}\n  - {name: b, packages: [\"ex.com/t/b/...\"]}\n  - {name: c, packages: [\"ex.com/t/c/...\"]}\n  - {name: d, packages: [\"ex.com/t/d/...\"]}\nlayers: [[a], [b], [c], [d]]\n",
		"a/p/p.go":       "package p\n\nimport _ \"ex.com/t/b/q\"\n",
		"a/s/s.go":       "package s\n",
		"a/t/t.go":       "package t\n\nimport _ \"ex.com/t/d/w\"\n",
		"b/q/q.go":       "package q\n\nimport _ \"ex.com/t/a/s\"\n",
		"b/r/r.go":       "package r\n\nimport _ \"ex.com/t/c/x\"\n",
		"c/x/x.go":       "package x\n\nimport _ \"ex.com/t/a/s\"\n",
		"c/y/y.go":       "package y\n\nimport _ \"ex.com/t/d/z\"\n",
		"d/w/w.go":       "package w\n\nimport _ \"ex.com/t/a/s\"\n",
		"d/z/z.go":       "package z\n\nimport _ \"ex.com/t/b/r\"\n",
	})
	r := reloadvet(t, dir, "-layering", "./...")
	expectCode(t, r, exitFindings)
	var cycles []string
	for _, line := range strings.Split(r.stdout, "\n") {
		if strings.Contains(line, "module import cycle") {
			cycles = append(cycles, strings.TrimSuffix(line, ": modules must form a DAG to be unloaded in order (layering)"))
		}
	}
	want := []string{
		"a/p/p.go:3:8: module import cycle a -> b -> a",
		"a/p/p.go:3:8: module import cycle a -> b -> c -> a",
		"a/p/p.go:3:8: module import cycle a -> b -> c -> d -> a",
		"a/t/t.go:3:8: module import cycle a -> d -> a",
		"a/t/t.go:3:8: module import cycle a -> d -> b -> a",
		"a/t/t.go:3:8: module import cycle a -> d -> b -> c -> a",
		"b/r/r.go:3:8: module import cycle b -> c -> d -> b",
	}
	if !slices.Equal(cycles, want) {
		t.Errorf("cycles:\n%s\nwant:\n%s\nfull output:\n%s", strings.Join(cycles, "\n"), strings.Join(want, "\n"), r.stdout)
	}
	if strings.Contains(r.stderr, "warning") {
		t.Errorf("stderr: %s", r.stderr)
	}
	if want := "\tc/y/y.go:3:8: c -> d: ex.com/t/c/y imports ex.com/t/d/z\n"; !strings.Contains(r.stdout, want) {
		t.Errorf("the related information lacks the step\n%s", want)
	}
}

// TestNogo runs the analyzers as Bazel's nogo does: each package's default
// Analyzer, under unitchecker, with the config given only through each
// analyzer's -config and -configname flags: no config file to find, no
// RELOADVET_* in the environment. The per-package findings must be the
// command's.
func TestNogo(t *testing.T) {
	t.Parallel()
	dir := fixture(t)
	rv := reloadvet(t, dir, "-json", "./...")
	expectCode(t, rv, exitFindings)
	_, rvTrees := vetTrees(t, dir, rv.stdout)
	want := findingLines(dir, perPackage(rvTrees))

	driver := filepath.Join(t.TempDir(), "nogodriver")
	if out, err := exec.Command("go", "build", "-o", driver, "./testdata/nogodriver").CombinedOutput(); err != nil {
		t.Fatalf("building the nogo-like driver: %v\n%s", err, out)
	}
	cfgFile := filepath.Join(dir, ".reloadvet.yml")
	cfg, err := os.ReadFile(cfgFile)
	if err != nil {
		t.Fatal(err)
	}
	// Elsewhere, so that nothing can find it; the name still places the
	// positions in the config where the command places them.
	if err := os.Remove(cfgFile); err != nil {
		t.Fatal(err)
	}
	args := []string{"vet", "-vettool=" + driver, "-json"}
	for _, a := range []string{"layering", "unjoined", "rawspawn", "crosscallback", "directive"} {
		args = append(args, "-"+a+".config="+string(cfg), "-"+a+".configname="+cfgFile)
	}
	cmd := exec.Command("go", append(args, "./...")...)
	cmd.Dir = dir
	for _, e := range os.Environ() {
		if !strings.HasPrefix(e, "RELOADVET_") {
			cmd.Env = append(cmd.Env, e)
		}
	}
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go vet with the nogo-like driver: %v\n%s", err, out)
	}
	got, _ := vetTrees(t, dir, string(out))
	if !slices.Equal(got, want) {
		t.Errorf("the analyzers configured by flags alone differ from the command (+ flags only, - command):\n%s", diffLines(got, want))
	}
}

// TestCacheDependencyRoots: packages outside the main module are analysed
// for facts only when they are dependencies, and reported in full when the
// run names them, which must not be served from the facts-only entry.
func TestCacheDependencyRoots(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	writeTree(t, dir, map[string]string{
		"go.mod":     "module ex.com/app\n\ngo 1.26\n\nrequire ex.com/dep v0.0.0\n\nreplace ex.com/dep => ./dep\n",
		"app.go":     "package app\n\nimport \"ex.com/dep\"\n\n// Run runs dep.\nfunc Run() { dep.Start() }\n",
		"dep/go.mod": "module ex.com/dep\n\ngo 1.26\n",
		"dep/dep.go": "package dep\n\n// Start starts a goroutine nothing joins.\nfunc Start() {\n\tgo func() {}()\n}\n",
	})
	env := []string{freshCache(t)}
	const inDep = "dep/dep.go:5:2: goroutine is not joined"
	r := runIn(t, dir, env, binary(t), "./...")
	expectCode(t, r, exitClean)
	for _, args := range [][]string{{"ex.com/dep"}, {"./...", "ex.com/dep"}} {
		r = runIn(t, dir, env, binary(t), args...)
		if !strings.Contains(r.stdout, inDep) {
			t.Errorf("reloadvet %v after a run that analysed ex.com/dep as a dependency: the finding in it is missing:\n%s%s", args, r.stdout, r.stderr)
		}
	}
	if r := runIn(t, dir, env, binary(t), "./..."); r.stdout != "" || r.code != exitClean {
		t.Errorf("reloadvet ./... after runs that named ex.com/dep reports:\n%s", r.stdout)
	}
}

// TestUnsafeModule checks that a module whose pattern is unsafe, a package
// go vet analyses nothing for, is not called a typo when the program
// imports unsafe or the run names it (as std does).
func TestUnsafeModule(t *testing.T) {
	t.Parallel()
	const cfg = "version: 1\nmodules:\n  - {name: u, packages: [unsafe]}\n  - {name: a, packages: [\"ex.com/u/a\"]}\nlayers: [[u], [a]]\n"
	for _, tc := range []struct {
		src, want string
	}{
		{"package a\n\nimport \"unsafe\"\n\nvar N = unsafe.Sizeof(0)\n", ""},
	} {
		dir := t.TempDir()
		writeTree(t, dir, map[string]string{
			"go.mod":         "module ex.com/u\n\ngo 1.26\n",
			".reloadvet.yml": cfg,
			"a/a.go":         tc.src,
		})
		r := reloadvet(t, dir, "./...", "unsafe") // as std names it
		if r.stderr != tc.want {
			t.Errorf("a.go %q: stderr:\n%s\nwant:\n%s", tc.src, r.stderr, tc.want)
		}
	}
}
