package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// countFindings is the number of findings reloadvet -json reports in dir,
// so that the expectations below follow the suite as analyzers are added.
func countFindings(t *testing.T, dir string) int {
	t.Helper()
	r := reloadvet(t, dir, "-json", "./...")
	var tree map[string]map[string][]json.RawMessage
	if err := json.Unmarshal([]byte(r.stdout), &tree); err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, byAnalyzer := range tree {
		for _, diags := range byAnalyzer {
			n += len(diags)
		}
	}
	return n
}

func editFile(t *testing.T, file, old, new string) {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(data), old) {
		t.Fatalf("%s lacks %q:\n%s", file, old, data)
	}
	if err := os.WriteFile(file, []byte(strings.Replace(string(data), old, new, 1)), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestBaseline(t *testing.T) {
	t.Parallel()
	dir := fixture(t)
	total := countFindings(t, dir)
	file := filepath.Join(dir, "reloadvet-baseline.json")

	// No file: written, with every finding, and the run passes.
	r := reloadvet(t, dir, "-baseline", "reloadvet-baseline.json", "./...")
	expectCode(t, r, exitClean)
	if r.stdout != "" {
		t.Errorf("writing the baseline printed findings:\n%s", r.stdout)
	}
	if want := "for " + strconv.Itoa(total) + " findings"; !strings.Contains(r.stderr, want) {
		t.Errorf("stderr lacks %q:\n%s", want, r.stderr)
	}
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "baseline.json", dir, string(data))

	// Edits that move findings without changing them keep them known: a
	// comment above the imports, a function above a finding's declaration.
	editFile(t, filepath.Join(dir, "database", "store", "store.go"), "package store\n", "// Package store keeps things.\npackage store\n")
	editFile(t, filepath.Join(dir, "admin", "users", "users.go"), "// User is an admin user.", "func helper() int { return 1 }\n\n// User is an admin user.")
	r = reloadvet(t, dir, "-baseline", "reloadvet-baseline.json", "./...")
	expectCode(t, r, exitClean)
	if r.stdout != "" {
		t.Errorf("moved findings were reported as new:\n%s", r.stdout)
	}
	if want := strconv.Itoa(total) + " findings known, 0 new"; !strings.Contains(r.stderr, want) {
		t.Errorf("stderr lacks %q:\n%s", want, r.stderr)
	}

	// A new finding fails the run and is the only one printed; a fixed one
	// is counted as gone.
	// (A new import would do, but it also changes the cycles that layering
	// reports, and so their messages; a malformed directive changes nothing
	// else.)
	editFile(t, filepath.Join(dir, "database", "pool", "pool.go"), "// Pool is a connection pool.", "//reloadvet:ignore layering\nvar x = 1\n\n// Pool is a connection pool.")
	editFile(t, filepath.Join(dir, "admin", "users", "users.go"), "//reloadvet:ignore layering\n", "")
	r = reloadvet(t, dir, "-baseline", "reloadvet-baseline.json", "./...")
	expectCode(t, r, exitFindings)
	for _, line := range strings.Split(strings.TrimSpace(r.stdout), "\n") {
		if !strings.HasPrefix(line, "database/pool/pool.go:") && !strings.HasPrefix(line, "\t") {
			t.Errorf("a known finding was reported: %s", line)
		}
	}
	if !strings.Contains(r.stdout, "database/pool/pool.go:12:1: malformed directive") {
		t.Errorf("the new malformed directive was not reported:\n%s", r.stdout)
	}
	if want := "1 of its " + strconv.Itoa(total) + " findings no longer occur; run with -baseline-update"; !strings.Contains(r.stderr, want) {
		t.Errorf("stderr lacks %q:\n%s", want, r.stderr)
	}

	// -baseline-update takes the new state in.
	r = reloadvet(t, dir, "-baseline", "reloadvet-baseline.json", "-baseline-update", "./...")
	expectCode(t, r, exitClean)
	if !strings.Contains(r.stderr, "rewrote") {
		t.Errorf("-baseline-update did not say it rewrote the file:\n%s", r.stderr)
	}
	r = reloadvet(t, dir, "-baseline", "reloadvet-baseline.json", "-format", "sarif", "./...")
	expectCode(t, r, exitClean)
	if strings.Contains(r.stderr, "no longer occur") || !strings.Contains(r.stdout, `"results": []`) {
		t.Errorf("after -baseline-update: stderr:\n%s\nstdout:\n%s", r.stderr, r.stdout)
	}
}

func TestBaselineErrors(t *testing.T) {
	t.Parallel()
	dir := fixture(t)
	if err := os.WriteFile(filepath.Join(dir, "b.json"), []byte(`{"version": 1, "entries": [{"analyzer": "layering", "package": "p", "line": 3, "count": 1}]}`), 0o644); err != nil {
		t.Fatal(err)
	}
	r := reloadvet(t, dir, "-baseline", "b.json", "./...")
	expectCode(t, r, exitError)
	if want := `b.json: json: unknown field "line" (accepted: the JSON that -baseline writes)`; !strings.Contains(r.stderr, want) || r.stdout != "" {
		t.Errorf("a bad baseline: stderr lacks %q or stdout is not empty:\nstderr:\n%s\nstdout:\n%s", want, r.stderr, r.stdout)
	}
	r = reloadvet(t, dir, "-baseline", "b.json", "-fix", "./...")
	expectCode(t, r, exitUsage)
	if !strings.Contains(r.stderr, "-baseline cannot be combined with -fix or -diff") {
		t.Errorf("-baseline with -fix: %s", r.stderr)
	}
	r = reloadvet(t, dir, "-baseline-update", "./...")
	expectCode(t, r, exitUsage)
	if !strings.Contains(r.stderr, "-baseline-update needs -baseline FILE") {
		t.Errorf("-baseline-update alone: %s", r.stderr)
	}
}
