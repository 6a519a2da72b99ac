package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestNewUser is a new user's first hour on a project without a config
// (testdata/fresh): reloadvet init writes one, the first run succeeds and
// reports the layering findings the config says it will, the spawner init
// proposes is the right one, and init never overwrites.
func TestNewUser(t *testing.T) {
	t.Parallel()
	dir := fixtureOf(t, "fresh")
	cfgPath := filepath.Join(dir, ".reloadvet.yml")

	r := reloadvet(t, filepath.Join(dir, "api"), "init") // from a subdirectory: written at the module root
	expectCode(t, r, exitClean)
	data, err := os.ReadFile(cfgPath)
	if err != nil {
		t.Fatalf("init wrote no config at the module root: %v\nstderr:\n%s", err, r.stderr)
	}
	golden(t, "init.yml", dir, string(data))
	for _, want := range []string{
		"/.reloadvet.yml: 4 modules in 4 layers, 1 main package left out as the host\n",
		"reloadvet init: 1 import goes against the layers",
		"reloadvet init: 1 method looks like spawners",
	} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("init's summary lacks %q:\n%s", want, r.stderr)
		}
	}

	// The first run: the import init listed against the layers is reported,
	// with the cycle it closes.
	r = reloadvet(t, dir, "./...")
	expectCode(t, r, exitFindings)
	for _, want := range []string{
		"api/handlers/handlers.go:5:2: module api (layer 3) imports module admin (layer 4): a module may only import lower layers (layering)",
		"api/handlers/handlers.go:5:2: module import cycle api -> admin -> api",
		"store/store.go:15:7: func literal of module store is kept by core.(*Handle).Go",
	} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("the first run lacks %q:\n%s", want, r.stdout)
		}
	}

	// init again: refused, the file untouched.
	r = reloadvet(t, dir, "init")
	expectCode(t, r, exitError)
	if !strings.Contains(r.stderr, ".reloadvet.yml already exists") {
		t.Errorf("a second init:\n%s", r.stderr)
	}
	if again, _ := os.ReadFile(cfgPath); string(again) != string(data) {
		t.Error("a second init changed the config")
	}

	// Taking the proposed spawner: the handle's callback is no longer
	// reported, and nothing else changes.
	took := strings.Replace(string(data), "spawners: []", `spawners: ["example.com/shop/core.(*Handle).Go"]`, 1)
	if err := os.WriteFile(cfgPath, []byte(took), 0o644); err != nil {
		t.Fatal(err)
	}
	r = reloadvet(t, dir, "./...")
	expectCode(t, r, exitFindings)
	if strings.Contains(r.stdout, "store/store.go") || !strings.Contains(r.stdout, "api/handlers/handlers.go:5:2: module api (layer 3) imports module admin") {
		t.Errorf("with the proposed spawner:\n%s", r.stdout)
	}
}

// TestInitMergeCycles merges the cycle into one module and prints the
// config: with it, no import goes against the layers.
func TestInitMergeCycles(t *testing.T) {
	t.Parallel()
	dir := fixtureOf(t, "fresh")
	r := reloadvet(t, dir, "init", "-merge-cycles", "-o", "-")
	expectCode(t, r, exitClean)
	if !strings.Contains(r.stdout, `  - name: admin_and_1
    packages: ["example.com/shop/admin/...", "example.com/shop/api/..."] # merged: example.com/shop/admin, example.com/shop/api import each other in a cycle`) {
		t.Errorf("merged config:\n%s", r.stdout)
	}
	if _, err := os.Stat(filepath.Join(dir, ".reloadvet.yml")); err == nil {
		t.Error("init -o - wrote a file")
	}
	if err := os.WriteFile(filepath.Join(dir, "merged.yml"), []byte(r.stdout), 0o644); err != nil {
		t.Fatal(err)
	}
	r = reloadvet(t, dir, "-config", "merged.yml", "-layering", "./...")
	expectCode(t, r, exitClean)
}

func TestInitUsage(t *testing.T) {
	t.Parallel()
	dir := fixtureOf(t, "fresh")
	r := reloadvet(t, dir, "init", "-depth", "-1")
	expectCode(t, r, exitUsage)
	if !strings.Contains(r.stderr, "-depth -1: want 0 or more") {
		t.Errorf("init -depth -1:\n%s", r.stderr)
	}
	r = reloadvet(t, dir, "init", "./nothing/...")
	expectCode(t, r, exitError)
	if !strings.Contains(r.stderr, "reloadvet init:") {
		t.Errorf("init on a pattern that matches nothing:\n%s", r.stderr)
	}
}
