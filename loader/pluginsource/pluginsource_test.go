package pluginsource

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/reloadvet/reloadvet/loader"
)

// buildPlugin builds testdata/greeter with a fresh identity, the greeting
// replaced, and this test binary's race setting, and returns the file.
func buildPlugin(t *testing.T, dir, greeting string) string {
	t.Helper()
	id := fmt.Sprintf("greeter_%s_%d", greeting, time.Now().UnixNano())
	src, err := os.ReadFile(filepath.Join("testdata", "greeter", "main.go"))
	if err != nil {
		t.Fatal(err)
	}
	changed := filepath.Join(dir, id+".go")
	if err := os.WriteFile(changed, []byte(strings.Replace(string(src), `"hello"`, fmt.Sprintf("%q", greeting), 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	abs, err := filepath.Abs(filepath.Join("testdata", "greeter", "main.go"))
	if err != nil {
		t.Fatal(err)
	}
	overlay, err := json.Marshal(map[string]map[string]string{"Replace": {abs: changed}})
	if err != nil {
		t.Fatal(err)
	}
	overlayFile := filepath.Join(dir, id+".json")
	if err := os.WriteFile(overlayFile, overlay, 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, id+".so")
	args := []string{"build", "-buildmode=plugin", "-overlay=" + overlayFile, "-gcflags=-p=" + id, "-ldflags=-pluginpath=" + id, "-o", out}
	if raceEnabled {
		args = append(args, "-race")
	}
	cmd := exec.Command("go", append(args, "./testdata/greeter")...)
	if msg, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go %s: %v\n%s", strings.Join(args, " "), err, msg)
	}
	return out
}

func requirePlugins(t *testing.T) {
	t.Helper()
	if !supported {
		t.Skipf("Go plugins are not supported on %s/%s without cgo", runtime.GOOS, runtime.GOARCH)
	}
	if testing.CoverMode() != "" {
		t.Skip("coverage instruments the loader package in the test binary only: a plugin cannot share it")
	}
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("no go command to build plugins")
	}
}

type greeter interface{ Greet(string) string }

func TestReplaceWithPluginCode(t *testing.T) {
	requirePlugins(t)
	dir := t.TempDir()
	v1 := buildPlugin(t, dir, "hello")

	var src Source
	f, err := src.Open(v1)
	if err != nil {
		t.Fatal(err)
	}
	if f.Version() != filepath.Base(v1) {
		t.Errorf("version = %q", f.Version())
	}
	l := loader.New(loader.WithStopTimeout(5 * time.Second))
	if err := l.Register(loader.Module{Name: "greeter", Factory: f}); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if err := l.Start(ctx); err != nil {
		t.Fatal(err)
	}
	defer func() {
		if err := l.Stop(ctx); err != nil {
			t.Error(err)
		}
	}()
	greet(t, l, "hello, gopher")

	v2 := buildPlugin(t, dir, "howdy")
	f, err = src.Open(v2)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := l.Replace(ctx, "greeter", f); err != nil {
		t.Fatal(err)
	}
	greet(t, l, "howdy, gopher")
	// The old generation was joined; wait for the checks that follow, so
	// that its goroutines have left the profile too.
	if err := l.WaitChecks(ctx); err != nil {
		t.Fatal(err)
	}
	gs, err := l.Goroutines("greeter")
	if err != nil {
		t.Fatal(err)
	}
	for _, g := range gs {
		if g.Generation() != 2 {
			t.Errorf("goroutine of an old generation: %v", g)
		}
	}

	if _, err := src.Open(v1); err == nil || !strings.Contains(err.Error(), "was already opened, and the runtime would return its old code: write each build to a new file") {
		t.Errorf("second open of v1: %v", err)
	}
	// Other symbols of an opened plugin, through another Source.
	fn := Source{Symbol: "NewModule"}
	if f, err := fn.Open(v1); err != nil || f.Version() == "" {
		t.Errorf("func symbol: %v", err)
	}
	for sym, want := range map[string]string{
		"Wrong":   "symbol Wrong is a *int, want a loader.Factory variable or a func() loader.Factory",
		"Missing": "no symbol Missing: export the module code as var Missing loader.Factory or func Missing() loader.Factory",
	} {
		s := Source{Symbol: sym}
		if _, err := s.Open(v1); err == nil || !strings.HasSuffix(err.Error(), want) {
			t.Errorf("symbol %s: got %v, want ...%s", sym, err, want)
		}
	}
}

func greet(t *testing.T, l *loader.Loader, want string) {
	t.Helper()
	g, err := loader.Instance[greeter](l, "greeter")
	if err != nil {
		t.Fatal(err)
	}
	if got := g.Greet("gopher"); got != want {
		t.Errorf("Greet = %q, want %q", got, want)
	}
}

func TestOpenRefusesWhatIsNotAPlugin(t *testing.T) {
	if !supported {
		var s Source
		_, err := s.Open("greeter.so")
		if err == nil || !strings.Contains(err.Error(), "Go plugins are not supported on "+runtime.GOOS) {
			t.Fatalf("got %v", err)
		}
		return
	}
	dir := t.TempDir()
	text := filepath.Join(dir, "notes.so")
	if err := os.WriteFile(text, []byte("not elf"), 0o644); err != nil {
		t.Fatal(err)
	}
	var s Source
	if _, err := s.Open(text); err == nil || !strings.Contains(err.Error(), "not a Go plugin") {
		t.Errorf("text file: %v", err)
	}
	if _, err := s.Open(filepath.Join(dir, "missing.so")); err == nil || !strings.Contains(err.Error(), "no such file") {
		t.Errorf("missing file: %v", err)
	}
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Open(exe); err == nil || !strings.Contains(err.Error(), "-buildmode=exe, want -buildmode=plugin") {
		t.Errorf("executable: %v", err)
	}
}

func TestCheckBuild(t *testing.T) {
	host := build{goVersion: "go1.26.8", settings: map[string]string{"-race": "true", "GOOS": "linux", "GOARCH": "amd64", "GOAMD64": "v1"}}
	same := build{goVersion: "go1.26.8", settings: map[string]string{"-buildmode": "plugin", "-race": "true", "GOOS": "linux", "GOARCH": "amd64", "GOAMD64": "v1"}}
	if err := checkBuild(same, host); err != nil {
		t.Errorf("same build: %v", err)
	}
	other := build{goVersion: "go1.26.7", settings: map[string]string{"-buildmode": "plugin", "GOOS": "linux", "GOARCH": "amd64", "GOAMD64": "v3"}}
	want := "built differently from this program: toolchain go1.26.7, this program go1.26.8; GOAMD64=v3, this program GOAMD64=v1; -race=false, this program -race=true: rebuild it with the program's toolchain and flags"
	if err := checkBuild(other, host); err == nil || err.Error() != want {
		t.Errorf("got %v\nwant %s", err, want)
	}
}
