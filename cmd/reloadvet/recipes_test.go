package main

import (
	"encoding/json"
	"io"
	"os"
	"os/exec"
	"path"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/goccy/go-yaml"

	"github.com/reloadvet/reloadvet/internal/config"
	"github.com/reloadvet/reloadvet/internal/docblocks"
)

// TestRecipes checks the copy-paste recipes of README.md and docs/ci.md as
// a user would meet them: every reloadvet command line parses against the
// real flags, every version pinned names something that exists, every
// config parses with the config's decoder, and the hook ids exist.
// golangci's own test checks the .golangci.yml settings.
func TestRecipes(t *testing.T) {
	t.Parallel()
	git := newGitInfo(t)
	vetFlags := vetToolFlags(t)
	checked := 0
	for _, b := range docBlocks(t, "README.md", "docs/ci.md") {
		switch b.Lang {
		case "sh", "bash":
			for _, line := range strings.Split(b.Text, "\n") {
				checked += checkShell(t, b, line, git, vetFlags)
			}
		case "yaml", "yml":
			checked += checkYAMLRecipe(t, b, git, vetFlags)
		case "json":
			if !json.Valid([]byte(b.Text)) {
				t.Errorf("%s: the json block does not parse", b)
			}
		}
	}
	if checked < 20 {
		t.Errorf("checked %d recipe lines; the docs have more: is the extraction broken?", checked)
	}

	// The hooks manifest's own usage comment.
	data, err := os.ReadFile("../../.pre-commit-hooks.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range regexp.MustCompile(`rev:\s*(\S+)`).FindAllStringSubmatch(string(data), -1) {
		git.checkVersion(t, ".pre-commit-hooks.yaml", m[1])
	}

	// The prerequisites sentence is the one .ci/run prints.
	ci, err := os.ReadFile("../../.ci/run")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`prereq="([^"]+)"`).FindSubmatch(ci)
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	if m == nil || !strings.Contains(strings.Join(strings.Fields(string(readme)), " "), "The "+strings.TrimPrefix(string(m[1]), "the ")) {
		t.Errorf(".ci/run's prerequisites sentence %q is not in README.md", m)
	}
}

// checkShell checks one line of a shell recipe and returns how many
// commands it checked.
func checkShell(t *testing.T, b docblocks.Block, line string, git *gitInfo, vetFlags map[string]bool) int {
	t.Helper()
	if i := strings.Index(line, " #"); i >= 0 {
		line = line[:i]
	}
	if strings.HasPrefix(strings.TrimSpace(line), "#") {
		return 0
	}
	n := 0
	for _, cmd := range regexp.MustCompile(`&&|\|\||[|;]`).Split(line, -1) {
		args := strings.Fields(cmd)
		for len(args) > 0 && regexp.MustCompile(`^[A-Z_]+=`).MatchString(args[0]) {
			args = args[1:] // VAR=value before the command
		}
		for i, a := range args {
			if j := strings.IndexAny(a, "<>"); j >= 0 { // a redirection ends the arguments
				args = args[:i]
				if j > 0 {
					args = append(args, a[:j])
				}
				break
			}
		}
		if len(args) == 0 {
			continue
		}
		switch {
		case path.Base(args[0]) == "reloadvet":
			checkReloadvetArgs(t, b, args[1:])
			n++
		case len(args) >= 3 && args[0] == "go" && args[1] == "install":
			for _, a := range args[2:] {
				if pkg, v, ok := strings.Cut(a, "@"); ok && strings.Contains(pkg, "reloadvet") {
					git.checkVersion(t, b.String(), v)
				}
			}
			n++
		case len(args) >= 2 && args[0] == "go" && args[1] == "vet" && slices.ContainsFunc(args, func(a string) bool { return strings.HasPrefix(a, "-vettool") }):
			for _, a := range args[2:] {
				name, _, _ := strings.Cut(strings.TrimLeft(a, "-"), "=")
				if strings.HasPrefix(a, "-") && !strings.HasPrefix(a, "-vettool") && !vetFlags[name] && !slices.Contains([]string{"n", "x", "tags"}, name) {
					t.Errorf("%s: go vet -vettool=reloadvet takes no flag -%s (line %q)", b, name, line)
				}
			}
			n++
		}
	}
	return n
}

// checkReloadvetArgs parses a reloadvet command line with the real flags.
func checkReloadvetArgs(t *testing.T, b docblocks.Block, args []string) {
	t.Helper()
	var err error
	switch {
	case len(args) > 0 && args[0] == "init":
		err = initFlagSet(io.Discard, &initOptions{}).Parse(args[1:])
	case len(args) > 0 && args[0] == "graph":
		err = graphFlagSet(io.Discard, &graphOptions{}).Parse(args[1:])
	case len(args) > 0 && (args[0] == "help" || args[0] == "version"):
	default:
		opts := &options{}
		fs := newFlagSet(io.Discard, opts)
		if err = fs.Parse(args); err == nil {
			_, err = opts.selected(config.Default())
		}
	}
	if err != nil {
		t.Errorf("%s: reloadvet %s: %v", b, strings.Join(args, " "), err)
	}
}

// checkYAMLRecipe checks a YAML block by what it is and returns 1 if it
// knew what to check.
func checkYAMLRecipe(t *testing.T, b docblocks.Block, git *gitInfo, vetFlags map[string]bool) int {
	t.Helper()
	var doc map[string]any
	if err := yaml.Unmarshal([]byte(b.Text), &doc); err != nil {
		t.Errorf("%s: the yaml block does not parse: %v", b, err)
		return 0
	}
	switch {
	case doc["version"] != nil && (doc["modules"] != nil || doc["layers"] != nil):
		if _, err := config.Parse(b.String(), []byte(b.Text)); err != nil {
			t.Errorf("%s: the config does not parse:\n%v", b, err)
		}
	case doc["plugins"] != nil: // .custom-gcl.yml
		if want := golangciVersion(t); doc["version"] != want {
			t.Errorf("%s: .custom-gcl.yml builds golangci-lint %v; reloadvet builds with %s (.ci/golangci/go.mod)", b, doc["version"], want)
		}
		plugins, _ := doc["plugins"].([]any)
		for _, p := range plugins {
			p, _ := p.(map[string]any)
			if p["module"] != "github.com/reloadvet/reloadvet" || p["import"] != "github.com/reloadvet/reloadvet/golangci" {
				t.Errorf("%s: plugin %v: want module github.com/reloadvet/reloadvet, import github.com/reloadvet/reloadvet/golangci", b, p)
			}
			if v, ok := p["version"].(string); ok {
				git.checkVersion(t, b.String(), v)
			}
		}
	case doc["repos"] != nil: // .pre-commit-config.yaml
		hooks := hookIDs(t)
		repos, _ := doc["repos"].([]any)
		for _, r := range repos {
			r, _ := r.(map[string]any)
			if v, ok := r["rev"].(string); ok {
				git.checkVersion(t, b.String(), v)
			}
			hs, _ := r["hooks"].([]any)
			for _, h := range hs {
				if id := h.(map[string]any)["id"]; !slices.Contains(hooks, id) {
					t.Errorf("%s: hook %v is not in .pre-commit-hooks.yaml (accepted: %v)", b, id, hooks)
				}
			}
		}
	case doc["jobs"] != nil: // a GitHub Actions workflow: check its run lines
		var runs []string
		var walk func(v any)
		walk = func(v any) {
			switch x := v.(type) {
			case map[string]any:
				for k, v := range x {
					if s, ok := v.(string); ok && k == "run" {
						runs = append(runs, strings.Split(s, "\n")...)
					}
					walk(v)
				}
			case []any:
				for _, v := range x {
					walk(v)
				}
			}
		}
		walk(doc["jobs"])
		for _, line := range runs {
			checkShell(t, b, line, git, vetFlags)
		}
	default:
		return 0 // .golangci.yml and settings: golangci's test checks those
	}
	return 1
}

// hookIDs returns the ids of the hooks .pre-commit-hooks.yaml defines.
func hookIDs(t *testing.T) []any {
	t.Helper()
	data, err := os.ReadFile("../../.pre-commit-hooks.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var hooks []map[string]any
	if err := yaml.Unmarshal(data, &hooks); err != nil {
		t.Fatal(err)
	}
	var ids []any
	for _, h := range hooks {
		ids = append(ids, h["id"])
	}
	return ids
}

// golangciVersion is the golangci-lint release .ci/golangci builds.
func golangciVersion(t *testing.T) string {
	t.Helper()
	data, err := os.ReadFile("../../.ci/golangci/go.mod")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`github.com/golangci/golangci-lint/v2 (v\S+)`).FindSubmatch(data)
	if m == nil {
		t.Fatal(".ci/golangci/go.mod requires no golangci-lint")
	}
	return string(m[1])
}

// vetToolFlags returns the flags reloadvet takes under go vet, as it tells
// go vet (-flags).
func vetToolFlags(t *testing.T) map[string]bool {
	t.Helper()
	out, err := exec.Command(binary(t), "-flags").Output()
	if err != nil {
		t.Fatalf("reloadvet -flags: %v", err)
	}
	var flags []struct{ Name string }
	if err := json.Unmarshal(out, &flags); err != nil {
		t.Fatalf("decoding reloadvet -flags: %v\n%s", err, out)
	}
	names := map[string]bool{}
	for _, f := range flags {
		names[f.Name] = true
	}
	return names
}

// gitInfo answers whether a version named in a recipe exists.
type gitInfo struct {
	ok   bool // a full git history is at hand
	tags []string
}

func newGitInfo(t *testing.T) *gitInfo {
	t.Helper()
	shallow, err := exec.Command("git", "rev-parse", "--is-shallow-repository").Output()
	if err != nil || strings.TrimSpace(string(shallow)) != "false" {
		t.Logf("no full git history (%v %s): versions are checked for form only", err, shallow)
		return &gitInfo{}
	}
	out, err := exec.Command("git", "tag").Output()
	if err != nil {
		t.Fatal(err)
	}
	return &gitInfo{ok: true, tags: strings.Fields(string(out))}
}

var commitRE = regexp.MustCompile(`^[0-9a-f]{7,40}$`)

// checkVersion fails unless v is latest, a commit of this repository or
// one of its tags.
func (g *gitInfo) checkVersion(t *testing.T, where, v string) {
	t.Helper()
	switch {
	case v == "latest":
	case commitRE.MatchString(v):
		if g.ok {
			if err := exec.Command("git", "cat-file", "-e", v+"^{commit}").Run(); err != nil {
				t.Errorf("%s: version %s is not a commit of this repository", where, v)
			}
		}
	default:
		if !g.ok {
			t.Logf("%s: version %s not checked: no git history", where, v)
		} else if !slices.Contains(g.tags, v) {
			t.Errorf("%s: version %s does not exist: this repository has no such tag (accepted: latest, a commit, or one of the tags %v)", where, v, g.tags)
		}
	}
}
