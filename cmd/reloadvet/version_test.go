package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime/debug"
	"strings"
	"testing"
)

func TestVersionOf(t *testing.T) {
	t.Parallel()
	vcs := func(rev, modified, when string) []debug.BuildSetting {
		return []debug.BuildSetting{{Key: "vcs", Value: "git"}, {Key: "vcs.revision", Value: rev}, {Key: "vcs.modified", Value: modified}, {Key: "vcs.time", Value: when}}
	}
	const rev = "c2bbfd0a1b2c3d4e5f60718293a4b5c6d7e8f901"
	for _, tc := range []struct {
		name string
		info debug.BuildInfo
		want string
	}{
		{"release", debug.BuildInfo{Main: debug.Module{Version: "v0.3.0"}}, "v0.3.0"},
		{"pseudo-version from git", debug.BuildInfo{Main: debug.Module{Version: "v0.0.0-20261203114512-c2bbfd0a1b2c+dirty"}, Settings: vcs(rev, "true", "2026-12-03T11:45:12Z")}, "v0.0.0-20261203114512-c2bbfd0a1b2c+dirty"},
		{"devel with vcs", debug.BuildInfo{Main: debug.Module{Version: "(devel)"}, Settings: vcs(rev, "false", "2026-12-03T11:45:12Z")}, "(devel) c2bbfd0a1b2c 2026-12-03T11:45:12Z"},
		{"devel with vcs, modified", debug.BuildInfo{Main: debug.Module{Version: "(devel)"}, Settings: vcs(rev, "true", "")}, "(devel) c2bbfd0a1b2c-dirty"},
		{"no vcs stamp", debug.BuildInfo{Main: debug.Module{Version: "(devel)"}}, "(devel)"},
		{"no version at all", debug.BuildInfo{}, "(devel)"},
	} {
		if got := versionOf(&tc.info); got != tc.want {
			t.Errorf("%s: versionOf = %q, want %q", tc.name, got, tc.want)
		}
	}
}

// TestVersionFromGit builds the command with VCS stamping on, as go install
// and go build in a clone do by default, and checks that version names the
// checkout's revision.
func TestVersionFromGit(t *testing.T) {
	t.Parallel()
	head, err := exec.Command("git", "rev-parse", "HEAD").Output()
	if err != nil {
		t.Skipf("not a git checkout with git on PATH: %v", err)
	}
	top, err := exec.Command("git", "rev-parse", "--show-toplevel").Output()
	if err != nil {
		t.Fatal(err)
	}
	if st, err := os.Stat(filepath.Join(strings.TrimSpace(string(top)), ".git")); err != nil || !st.IsDir() {
		t.Skip("a linked git worktree: the go command stamps VCS information only where .git is a directory")
	}
	bin := filepath.Join(t.TempDir(), "reloadvet")
	cmd := exec.Command("go", "build", "-buildvcs=true", "-o", bin, ".")
	cmd.Env = append(os.Environ(), "GOFLAGS=")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build -buildvcs=true: %v\n%s", err, out)
	}
	out, err := exec.Command(bin, "version").Output()
	if err != nil {
		t.Fatalf("reloadvet version: %v", err)
	}
	if short := strings.TrimSpace(string(head))[:12]; !strings.Contains(string(out), short) {
		t.Errorf("reloadvet version = %q, want it to name revision %s", out, short)
	}
	if !strings.HasPrefix(string(out), "reloadvet ") || strings.Contains(string(out), "v0.1.0") {
		t.Errorf("reloadvet version = %q", out)
	}
}
