// Package golangci makes reloadvet a golangci-lint module plugin: one
// linter, reloadvet, that runs every analyzer of the suite with the config
// given in .golangci.yml.
//
// Importing the package registers the plugin. A custom golangci-lint
// binary imports it (golangci-lint custom does so from .custom-gcl.yml;
// .ci/golangci builds the same binary without git), and .golangci.yml
// (version "2") enables the linter with type module under
// linters.settings.custom.
//
// The settings take one of three forms: config, naming a .reloadvet.yml
// file (a relative name is looked up in the directory golangci-lint runs
// in, then in its parents); the keys of .reloadvet.yml inline (version,
// modules, layers, spawners, tests); or nothing, and the config is found
// as the reloadvet command finds it. Settings are decoded strictly and
// validated like the file: a misspelt key or a module in no layer stops
// golangci-lint with the key path, the bad value and what is accepted.
//
// See docs/ci.md for the build and the whole setup.
package golangci

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/golangci/plugin-module-register/register"
	"golang.org/x/tools/go/analysis"

	"github.com/reloadvet/reloadvet/analyzers"
	"github.com/reloadvet/reloadvet/internal/config"
	"github.com/reloadvet/reloadvet/internal/suggest"
)

// Name is the linter's name: in .golangci.yml, in //nolint:reloadvet and
// in golangci-lint's output.
const Name = "reloadvet"

// settingsPath is where the settings sit in .golangci.yml, for messages.
const settingsPath = "linters.settings.custom." + Name + ".settings"

func init() {
	// The house style's one init: golangci-lint finds plugins by the
	// registration their import performs.
	register.Plugin(Name, New)
}

// Settings are the plugin's settings in .golangci.yml: File (the key
// config) names a config file, or the embedded Config holds the keys of
// .reloadvet.yml inline. Giving both is an error; giving neither finds the config as the
// reloadvet command does.
type Settings struct {
	File string `json:"config"`
	*config.Config
}

// New is the plugin's constructor, called by golangci-lint with the raw
// settings.
func New(raw any) (register.LinterPlugin, error) {
	dir, err := os.Getwd()
	if err != nil {
		return nil, fmt.Errorf("finding the working directory: %w", err)
	}
	return newPlugin(raw, dir)
}

func newPlugin(raw any, dir string) (*plugin, error) {
	s, err := register.DecodeSettings[Settings](raw)
	if err != nil {
		return nil, decodeError(raw, err)
	}
	switch {
	case s.File != "" && s.Config != nil:
		return nil, fmt.Errorf("%s: config names a file and .reloadvet.yml keys are given inline too (accepted: either config: FILE or the keys inline, not both)", settingsPath)
	case s.Config != nil:
		p, err := inline(raw, s.Config)
		return withDir(p, dir), err
	case s.File != "":
		path, err := lookUp(s.File, dir)
		if err != nil {
			return nil, err
		}
		p, err := fromFile(path, settingsPath+".config")
		return withDir(p, dir), err
	}
	path, err := config.Find(dir)
	switch {
	case err != nil:
		return nil, fmt.Errorf("finding the config from %s: %w", dir, err)
	case path == "":
		return &plugin{cfg: config.Default(), key: "default", dir: dir}, nil
	}
	p, err := fromFile(path, "config found from "+dir+" (no settings)")
	return withDir(p, dir), err
}

// withDir sets the directory the plugin's messages are relative to.
func withDir(p *plugin, dir string) *plugin {
	if p != nil {
		p.dir = dir
	}
	return p
}

// inline checks a config given in the settings and returns its plugin.
func inline(raw any, cfg *config.Config) (*plugin, error) {
	if err := cfg.Validate(); err != nil {
		return nil, settingsProblems(err)
	}
	data, err := json.Marshal(raw)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", settingsPath, err)
	}
	return &plugin{cfg: cfg, key: hash("inline", data)}, nil
}

// fromFile loads the config file at path and returns its plugin; via
// says, for messages, how the file was chosen.
func fromFile(path, via string) (*plugin, error) {
	cfg, err := config.Load(path)
	if err != nil {
		var probs config.Problems
		if errors.As(err, &probs) {
			return nil, fmt.Errorf("%s: %s has problems:\n%w", via, path, err)
		}
		return nil, fmt.Errorf("%s: %w", via, err)
	}
	_, data := cfg.File()
	return &plugin{cfg: cfg, key: hash(path, data)}, nil
}

// lookUp resolves the config file named in the settings: an absolute name
// as it is, a relative one in dir or the nearest parent that has it, as
// golangci-lint finds its own config.
func lookUp(name, dir string) (string, error) {
	if filepath.IsAbs(name) {
		return name, nil
	}
	for d := dir; ; d = filepath.Dir(d) {
		p := filepath.Join(d, name)
		if _, err := os.Stat(p); err == nil {
			return p, nil
		} else if !errors.Is(err, fs.ErrNotExist) {
			return "", fmt.Errorf("%s.config: %w", settingsPath, err)
		}
		if filepath.Dir(d) == d {
			return "", fmt.Errorf("%s.config: %q not found in %s or its parents (accepted: an absolute path, or a path relative to the directory golangci-lint runs in or a parent of it)", settingsPath, name, dir)
		}
	}
}

// decodeError explains why strict decoding failed. encoding/json stops at
// the first problem and names no key path, so inline keys are run through
// the config file's own decoder, which lists every problem with its key
// path and the closest accepted key.
func decodeError(raw any, err error) error {
	if m, ok := raw.(map[string]any); ok {
		rest := make(map[string]any, len(m))
		for k, v := range m {
			if k != "config" {
				rest[k] = v
			}
		}
		if len(rest) > 0 {
			if data, jerr := json.Marshal(rest); jerr == nil {
				if _, perr := config.Parse("", data); perr != nil {
					return settingsProblems(onlyUnknownKeys(perr, rest))
				}
			}
		}
	}
	return fmt.Errorf("%s: %w (accepted: %s)", settingsPath, err, strings.Join(settingKeys(), ", "))
}

// onlyUnknownKeys drops the problems of a missing config from err when
// the settings hold no config key at all, only misspelt ones: "confg:
// x.yml" meant a file, and "version: missing" would mislead.
func onlyUnknownKeys(err error, settings map[string]any) error {
	var probs config.Problems
	if !errors.As(err, &probs) {
		return err
	}
	for k := range settings {
		if slices.Contains(settingKeys(), k) {
			return err
		}
	}
	var unknown config.Problems
	for _, p := range probs {
		if isTopLevelKey(p.Path) && strings.HasPrefix(p.Msg, "unknown key") {
			unknown = append(unknown, p)
		}
	}
	if len(unknown) == 0 {
		return err
	}
	return unknown
}

// settingsProblems prefixes each problem's key path with where the
// settings sit in .golangci.yml, one problem a line.
func settingsProblems(err error) error {
	var probs config.Problems
	if !errors.As(err, &probs) {
		return fmt.Errorf("%s: %w", settingsPath, err)
	}
	out := make(config.Problems, len(probs))
	for i, p := range probs {
		q := *p
		q.File, q.Line, q.Col = "", 0, 0 // positions in re-encoded settings mean nothing to the user
		q.Path = settingsPath
		if p.Path != "" {
			q.Path += "." + p.Path
		}
		if isTopLevelKey(p.Path) && strings.HasPrefix(p.Msg, "unknown key") {
			// The config decoder does not know the config key.
			q.Msg = unknownSettingMsg(p.Path)
		}
		out[i] = &q
	}
	return out
}

// settingKeys returns the keys the settings accept: config, then the keys
// of a config file.
func settingKeys() []string {
	return append([]string{"config"}, config.Keys()...)
}

func isTopLevelKey(path string) bool {
	return path != "" && !strings.ContainsAny(path, ".[")
}

func unknownSettingMsg(key string) string {
	msg := fmt.Sprintf("unknown key %q", key)
	if s := suggest.Closest(key, settingKeys()); s != "" {
		msg += fmt.Sprintf(", did you mean %q?", s)
	}
	return msg + " (accepted: " + strings.Join(settingKeys(), ", ") + ")"
}

func hash(parts ...any) string {
	h := sha256.New()
	for _, p := range parts {
		fmt.Fprintf(h, "%s\x00", p)
	}
	return hex.EncodeToString(h.Sum(nil))[:16]
}

// plugin is the reloadvet linter built for one config.
type plugin struct {
	cfg *config.Config
	key string // identifies the config in effect, see cacheKey
	dir string // the directory golangci-lint runs in
}

// BuildAnalyzers returns the suite configured for the settings, each
// reporting a finding as one issue (oneIssue), and an analyzer that only
// carries the config's identity.
func (p *plugin) BuildAnalyzers() ([]*analysis.Analyzer, error) {
	var as []*analysis.Analyzer
	for _, a := range analyzers.New(p.cfg) {
		as = append(as, oneIssue(a, p.dir))
	}
	return append(as, cacheKey(p.key)), nil
}

// GetLoadMode asks for type information: the analyzers resolve imports
// and calls.
func (p *plugin) GetLoadMode() string { return register.LoadModeTypesInfo }

// cacheKey returns an analyzer that reports nothing and exists for its
// name. golangci-lint keys its cache of results on the binary, the
// settings in .golangci.yml and the names of a linter's analyzers, not on
// files a plugin reads: with the config in a file, an edit to it would be
// answered from the cache. The name carries a hash of the config, so an
// edit changes the key.
func cacheKey(key string) *analysis.Analyzer {
	return &analysis.Analyzer{
		Name: "reloadvetconfig_" + key,
		Doc:  "reloadvetconfig: reports nothing; its name identifies the reloadvet config in effect for golangci-lint's result cache",
		URL:  "https://pkg.go.dev/github.com/reloadvet/reloadvet/golangci",
		Run:  func(*analysis.Pass) (any, error) { return nil, nil },
	}
}
