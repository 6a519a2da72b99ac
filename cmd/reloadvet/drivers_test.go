package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// The tests in this file hold the drivers to one standard: reloadvet,
// go vet -vettool and golangci-lint with the reloadvet plugin report the
// same findings on the fixture project.
//
// The golangci-lint tests need the custom binary, which takes minutes to
// build the first time: scripts/build-golangci.sh builds it, and
// RELOADVET_GOLANGCI_LINT names it. Without the variable they are skipped,
// except in CI (CI=true), where .ci/run builds the binary and a skip would
// hide a broken gate.

const golangciEnv = "RELOADVET_GOLANGCI_LINT"

// golangciLint returns the custom golangci-lint binary, or skips.
func golangciLint(t *testing.T) string {
	t.Helper()
	bin := os.Getenv(golangciEnv)
	if bin == "" {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s is not set: .ci/run must build the custom golangci-lint (scripts/build-golangci.sh) and name it", golangciEnv)
		}
		t.Skipf("%s is not set: build the custom golangci-lint with scripts/build-golangci.sh and name it to run this test", golangciEnv)
	}
	if !filepath.IsAbs(bin) {
		t.Fatalf("%s=%s: want an absolute path", golangciEnv, bin)
	}
	if _, err := os.Stat(bin); err != nil {
		t.Fatalf("%s: %v", golangciEnv, err)
	}
	return bin
}

// golangci runs the custom golangci-lint in dir with the fixture's
// .golangci.yml and the given result cache, printing JSON on stdout.
// Tests run in parallel, each with its own cache, which golangci-lint's
// lock against parallel runs would otherwise refuse.
func golangci(t *testing.T, dir, cache string) result {
	t.Helper()
	return runIn(t, dir, []string{"GOLANGCI_LINT_CACHE=" + cache}, golangciLint(t),
		"run", "--allow-parallel-runners", "--output.json.path=stdout", "--output.text.path=stderr", "--show-stats=false", "./...")
}

// golangciFindings runs golangci and returns its issues, failing unless it
// exits as it does on findings.
func golangciFindings(t *testing.T, dir, cache string) []string {
	t.Helper()
	r := golangci(t, dir, cache)
	expectCode(t, r, 1)
	return golangciIssues(t, r.stdout)
}

// vetDiagnostic is one diagnostic of the go vet -json tree, which
// reloadvet -json prints too.
type vetDiagnostic struct {
	Category string `json:"category"`
	Posn     string `json:"posn"`
	Message  string `json:"message"`
	Related  []struct {
		Posn    string `json:"posn"`
		Message string `json:"message"`
	} `json:"related"`
}

// vetTrees decodes the JSON trees in out (go vet prints one a package)
// into "file:line:col: analyzer: message" lines, paths relative to dir,
// sorted and without repeats: go vet analyses a package and its test
// variant apart and reports a finding in both.
func vetTrees(t *testing.T, dir, out string) (findings []string, trees []map[string]map[string][]vetDiagnostic) {
	t.Helper()
	dec := json.NewDecoder(strings.NewReader(out))
	for {
		var tree map[string]map[string][]vetDiagnostic
		if err := dec.Decode(&tree); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			t.Fatalf("decoding go vet JSON: %v\n%s", err, out)
		}
		trees = append(trees, tree)
		for _, byAnalyzer := range tree {
			for analyzer, diags := range byAnalyzer {
				for _, d := range diags {
					findings = append(findings, fmt.Sprintf("%s: %s: %s", relPosn(dir, d.Posn), analyzer, d.Message))
				}
			}
		}
	}
	slices.Sort(findings)
	return slices.Compact(findings), trees
}

func relPosn(dir, posn string) string {
	return strings.TrimPrefix(posn, dir+string(filepath.Separator))
}

// golangciIssues decodes golangci-lint's JSON output into lines of the
// same form, keeping golangci-lint's text ("analyzer: message").
func golangciIssues(t *testing.T, out string) []string {
	t.Helper()
	var report struct {
		Issues []struct {
			FromLinter string
			Text       string
			Pos        struct {
				Filename     string
				Line, Column int
			}
		}
	}
	if err := json.Unmarshal([]byte(out), &report); err != nil {
		t.Fatalf("decoding golangci-lint JSON: %v\n%s", err, out)
	}
	var issues []string
	for _, is := range report.Issues {
		if is.FromLinter != "reloadvet" {
			t.Errorf("issue from linter %q, want only reloadvet: %+v", is.FromLinter, is)
		}
		issues = append(issues, fmt.Sprintf("%s:%d:%d: %s", is.Pos.Filename, is.Pos.Line, is.Pos.Column, is.Text))
	}
	slices.Sort(issues)
	return issues
}

// golangciView is what golangci-lint shows of reloadvet's findings: each
// finding is one issue, its related places folded into the text (the
// plugin's oneIssue), paths relative to the directory golangci-lint runs
// in.
func golangciView(t *testing.T, dir string, trees []map[string]map[string][]vetDiagnostic) []string {
	t.Helper()
	var issues []string
	for _, tree := range trees {
		for _, byAnalyzer := range tree {
			for analyzer, diags := range byAnalyzer {
				for _, d := range diags {
					text := d.Message
					if len(d.Related) > 0 {
						var parts []string
						for _, r := range d.Related {
							parts = append(parts, relPosn(dir, r.Posn)+": "+r.Message)
						}
						text += " (see " + strings.Join(parts, "; ") + ")"
					}
					issues = append(issues, fmt.Sprintf("%s: %s: %s", relPosn(dir, d.Posn), analyzer, text))
				}
			}
		}
	}
	slices.Sort(issues)
	return slices.Compact(issues)
}

func diffLines(got, want []string) string {
	var b strings.Builder
	for _, g := range got {
		if !slices.Contains(want, g) {
			fmt.Fprintf(&b, "+ %s\n", g)
		}
	}
	for _, w := range want {
		if !slices.Contains(got, w) {
			fmt.Fprintf(&b, "- %s\n", w)
		}
	}
	return b.String()
}

// perPackage returns the trees without the program-level findings (module
// cycles), which only the reloadvet command reports.
func perPackage(trees []map[string]map[string][]vetDiagnostic) []map[string]map[string][]vetDiagnostic {
	var out []map[string]map[string][]vetDiagnostic
	for _, tree := range trees {
		kept := map[string]map[string][]vetDiagnostic{}
		for pkg, byAnalyzer := range tree {
			kept[pkg] = map[string][]vetDiagnostic{}
			for analyzer, diags := range byAnalyzer {
				for _, d := range diags {
					if d.Category != "module-cycle" {
						kept[pkg][analyzer] = append(kept[pkg][analyzer], d)
					}
				}
			}
		}
		out = append(out, kept)
	}
	return out
}

// findingLines is vetTrees' lines for trees already decoded.
func findingLines(dir string, trees []map[string]map[string][]vetDiagnostic) []string {
	var findings []string
	for _, tree := range trees {
		for _, byAnalyzer := range tree {
			for analyzer, diags := range byAnalyzer {
				for _, d := range diags {
					findings = append(findings, fmt.Sprintf("%s: %s: %s", relPosn(dir, d.Posn), analyzer, d.Message))
				}
			}
		}
	}
	slices.Sort(findings)
	return slices.Compact(findings)
}

// TestSameFindings runs the three drivers on the fixture and compares
// position, analyzer and message of every per-package finding: all but
// the module cycles, which only the command's program-level pass names.
func TestSameFindings(t *testing.T) {
	t.Parallel()
	dir := fixture(t)
	rv := reloadvet(t, dir, "-json", "./...")
	expectCode(t, rv, exitFindings)
	all, rvTrees := vetTrees(t, dir, rv.stdout)
	rvTrees = perPackage(rvTrees)
	want := findingLines(dir, rvTrees)
	if len(want) == 0 || len(want) == len(all) {
		t.Fatalf("the fixture should have per-package findings and module cycles; reloadvet -json:\n%s", rv.stdout)
	}
	if len(want) == 0 {
		t.Fatal("reloadvet found nothing in the fixture")
	}

	vet := runIn(t, dir, nil, "go", "vet", "-vettool="+binary(t), "-json", "./...")
	expectCode(t, vet, 0)
	if got, _ := vetTrees(t, dir, vet.stdout); !slices.Equal(got, want) {
		t.Errorf("go vet -vettool -json differs from reloadvet -json (+ go vet only, - reloadvet only):\n%s", diffLines(got, want))
	}

	bin := os.Getenv(golangciEnv)
	if bin == "" && os.Getenv("CI") != "true" {
		t.Logf("golangci-lint not compared: %s is not set", golangciEnv)
		return
	}
	got := golangciFindings(t, dir, t.TempDir())
	if wantGL := golangciView(t, dir, rvTrees); !slices.Equal(got, wantGL) {
		t.Errorf("golangci-lint differs from reloadvet -json (+ golangci-lint only, - reloadvet only):\n%s", diffLines(got, wantGL))
	}
	golden(t, "golangci", dir, strings.Join(got, "\n")+"\n")
}

// TestGolangciNolint checks that //nolint:reloadvet silences the linter
// on its line, and only there.
func TestGolangciNolint(t *testing.T) {
	t.Parallel()
	golangciLint(t)
	dir := fixture(t)
	before := golangciFindings(t, dir, t.TempDir())
	store := filepath.Join(dir, "database", "store", "store.go")
	src, err := os.ReadFile(store)
	if err != nil {
		t.Fatal(err)
	}
	const imp = "\t\"example.com/app/api/handlers\"\n"
	if !bytes.Contains(src, []byte(imp)) {
		t.Fatalf("store.go no longer imports handlers:\n%s", src)
	}
	src = bytes.Replace(src, []byte(imp), []byte("\t\"example.com/app/api/handlers\" //nolint:reloadvet // the test silences the upward import\n"), 1)
	if err := os.WriteFile(store, src, 0o644); err != nil {
		t.Fatal(err)
	}
	after := golangciFindings(t, dir, t.TempDir())
	var want []string
	for _, is := range before {
		if !strings.HasPrefix(is, "database/store/store.go:4:") {
			want = append(want, is)
		}
	}
	if len(want) == len(before) {
		t.Fatalf("the fixture has no finding at database/store/store.go:4 to silence:\n%s", strings.Join(before, "\n"))
	}
	if !slices.Equal(after, want) {
		t.Errorf("with //nolint:reloadvet (+ reported, - expected):\n%s", diffLines(after, want))
	}
}

// TestGolangciBadSettings checks that bad plugin settings stop
// golangci-lint with a message naming the key, the value and what is
// accepted.
func TestGolangciBadSettings(t *testing.T) {
	t.Parallel()
	golangciLint(t)
	for _, tc := range []struct {
		name, settings, want string
	}{
		{"misspelt key", "          confg: .reloadvet.yml\n",
			`linters.settings.custom.reloadvet.settings.confg: unknown key "confg", did you mean "config"? (accepted: config, version, modules, layers, spawners, tests, rawspawn, crosscallback)`},
		{"bad inline config", "          version: 1\n          modules:\n            - name: core\n              pakages: [\"example.com/app/core/...\"]\n          layers: [[core], [databse]]\n",
			`linters.settings.custom.reloadvet.settings.modules[0].pakages: unknown key "pakages", did you mean "packages"? (accepted: name, packages)`},
		{"missing file", "          config: nope.yml\n",
			`linters.settings.custom.reloadvet.settings.config: "nope.yml" not found in `},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			dir := fixture(t)
			writeSettings(t, dir, tc.settings)
			r := golangci(t, dir, t.TempDir())
			if r.code == 0 || r.code == 1 {
				t.Fatalf("exit status %d, want a failure other than findings\nstderr:\n%s", r.code, r.stderr)
			}
			if !strings.Contains(r.stderr, tc.want) {
				t.Errorf("stderr lacks\n%s\nstderr:\n%s", tc.want, r.stderr)
			}
		})
	}
}

// TestGolangciConfigEdit checks that golangci-lint's result cache does not
// answer for an old .reloadvet.yml: the file is outside what golangci-lint
// hashes, so the plugin puts the config's hash in an analyzer's name.
func TestGolangciConfigEdit(t *testing.T) {
	t.Parallel()
	golangciLint(t)
	dir := fixture(t)
	cache := t.TempDir()
	before := golangci(t, dir, cache)
	expectCode(t, before, 1)
	if !strings.Contains(before.stdout, "module api (layer 3) imports module admin (layer 3)") {
		t.Fatalf("golangci-lint lacks the sideways import:\n%s", strings.Join(golangciIssues(t, before.stdout), "\n"))
	}
	cfgFile := filepath.Join(dir, ".reloadvet.yml")
	cfg, err := os.ReadFile(cfgFile)
	if err != nil {
		t.Fatal(err)
	}
	moved := strings.Replace(string(cfg), "  - [api, admin]\n", "  - [api]\n  - [admin]\n", 1)
	if err := os.WriteFile(cfgFile, []byte(moved), 0o644); err != nil {
		t.Fatal(err)
	}
	after := golangci(t, dir, cache)
	expectCode(t, after, 1)
	if !strings.Contains(after.stdout, "module api (layer 3) imports module admin (layer 4): a module may only import lower layers") {
		t.Errorf("after the config change, golangci-lint served a stale result:\n%s", strings.Join(golangciIssues(t, after.stdout), "\n"))
	}
}

// writeSettings replaces the reloadvet settings in the fixture's
// .golangci.yml.
func writeSettings(t *testing.T, dir, settings string) {
	t.Helper()
	file := filepath.Join(dir, ".golangci.yml")
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	const old = "        settings:\n          config: .reloadvet.yml\n"
	if !bytes.Contains(data, []byte(old)) {
		t.Fatalf("%s no longer has the settings the test replaces:\n%s", file, data)
	}
	data = bytes.Replace(data, []byte(old), []byte("        settings:\n"+settings), 1)
	if err := os.WriteFile(file, data, 0o644); err != nil {
		t.Fatal(err)
	}
}
