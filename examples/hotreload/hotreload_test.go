package main

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"testing"
	"time"
)

// TestHotReloadScript runs run.sh: build, start, rebuild the plugin, SIGHUP,
// check the new code answers with no goroutine of the old generation left,
// SIGTERM, check the stop order. The script builds the service and the
// plugins itself, all with the same flags, so a plugin always matches the
// service that loads it.
func TestHotReloadScript(t *testing.T) {
	runScript(t, "reload")
}

// TestSIGTERMDuringAHungLoad runs run.sh hung-load: a SIGHUP loads a plugin
// whose load hangs, ignoring its context; SIGTERM must still end the
// service within its shutdown timeout, reporting the load.
func TestSIGTERMDuringAHungLoad(t *testing.T) {
	runScript(t, "hung-load")
}

func runScript(t *testing.T, scenario string) {
	if runtime.GOOS != "linux" {
		t.Skipf("the hot reload example runs on linux (Go plugins and run.sh); this is %s", runtime.GOOS)
	}
	goCmd, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command on PATH to build the service and its plugin")
	}
	out, err := exec.Command(goCmd, "env", "CGO_ENABLED").Output()
	if err != nil {
		t.Fatalf("go env CGO_ENABLED: %v", err)
	}
	if strings.TrimSpace(string(out)) != "1" {
		t.Skip("Go plugins need cgo, and go env CGO_ENABLED is 0")
	}
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Fatal("run.sh needs bash")
	}

	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bash, "run.sh", scenario, t.TempDir())
	// Build the service and plugins with this binary's -race setting: the
	// builds then reuse the packages compiled for it (a cold cache would
	// otherwise compile net/http and its dependencies once more).
	buildFlags := ""
	if raceEnabled {
		buildFlags = "-race"
	}
	cmd.Env = append(os.Environ(), "GO="+goCmd, "BUILDFLAGS="+buildFlags)
	// On timeout, kill the script and the service it started.
	killGroup(cmd)
	var output bytes.Buffer
	cmd.Stdout, cmd.Stderr = &output, &output
	begin := time.Now()
	err = cmd.Run()
	t.Logf("run.sh %s took %v", scenario, time.Since(begin).Round(time.Millisecond))
	if err != nil || !strings.HasSuffix(output.String(), "PASS\n") {
		t.Fatalf("run.sh %s: %v\n%s", scenario, err, output.String())
	}
	if testing.Verbose() {
		t.Logf("run.sh output:\n%s", output.String())
	}
}
