// Package config reads, checks and answers questions about .reloadvet.yml:
// which module owns a package, which layer a module sits in, which functions
// are sanctioned spawners.
//
// The file is decoded strictly (unknown keys, duplicate keys and wrong types
// are errors) and validated as a whole: every problem is reported at once,
// each with file:line:col, the key path, the bad value and what would be
// accepted. The same struct, through its json tags, is what the golangci-lint
// plugin decodes its settings into.
package config

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"go/types"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"unicode/utf8"
)

// FileNames are the names a config file may have, in the order discovery
// tries them.
var FileNames = [...]string{".reloadvet.yml", ".reloadvet.yaml"}

// SupportedVersion is the only config format version this build reads.
const SupportedVersion = 1

// Config is the typed content of .reloadvet.yml.
type Config struct {
	// Version of the format; must be SupportedVersion.
	Version int `json:"version"`
	// Modules are the reload units and the packages each owns.
	Modules []Module `json:"modules"`
	// Layers lists module names by layer, bottom (longest-lived) first.
	Layers [][]string `json:"layers"`
	// Spawners are the only sanctioned ways to start a goroutine inside a
	// module, as pkg.Func, pkg.Type.Method or pkg.(*Type).Method.
	Spawners []string `json:"spawners"`
	// Tests makes the analyzers check _test.go files too (the -tests flag
	// turns it on for one run).
	Tests bool `json:"tests"`
	// Rawspawn holds the options of the rawspawn analyzer.
	Rawspawn RawspawnOptions `json:"rawspawn"`

	file string         // as given to Load or Parse; "" when built in Go
	data []byte         // the file's content, for positions in diagnostics
	pos  map[string]Pos // position of each value by key path

	once  sync.Once
	index *index
}

// Layout returns a short fingerprint of the modules, their patterns and the
// layers: what decides which module owns a package and in which layer it
// sits. Facts that depend on the layout carry it, so that a fact computed
// under another config (a cache that outlived an edit) is recognised.
func (c *Config) Layout() string { return c.idx().layout }

// RawspawnOptions are the options of the rawspawn analyzer.
type RawspawnOptions struct {
	// AllowScoped lets a module start a goroutine with a go statement when
	// the function that starts it is shown to wait for it on every path
	// (the -rawspawn.allow-scoped flag overrides it for one run).
	AllowScoped bool `json:"allow-scoped"`
}

// A Module is one reload unit.
type Module struct {
	// Name is how layers, diagnostics and the loader refer to the module.
	Name string `json:"name"`
	// Packages are import-path patterns: exact, or prefix/... for a tree.
	Packages []string `json:"packages"`
}

// index holds the lookups derived from a config, built once.
type index struct {
	patterns []ownedPattern
	layer    map[string]int // module name -> 1-based layer
	spawners map[string]bool
	layout   string
}

type ownedPattern struct {
	pattern
	module *Module
}

// Default returns the config in effect when no file is found: no modules,
// no layers, no spawners.
func Default() *Config { return &Config{} }

// Present reports whether the config came from a file or from settings,
// rather than being the Default.
func (c *Config) Present() bool { return c.Version != 0 }

// File returns the config file's name as given to Load or Parse, and its
// content; both are empty for a config that was not read from a file.
func (c *Config) File() (name string, data []byte) { return c.file, c.data }

// Load reads and validates the config file at path.
func Load(path string) (*Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("config file %s does not exist", path)
		}
		return nil, fmt.Errorf("reading config: %w", err)
	}
	return Parse(path, data)
}

// Parse decodes and validates config data; file names it in positions.
// The error, if any, is a Problems listing everything that is wrong.
func Parse(file string, data []byte) (*Config, error) {
	c := &Config{file: file, data: data}
	if p := notText(file, data); p != nil {
		return nil, Problems{p}
	}
	pos, probs, tainted, ok := decodeYAML(file, data, c)
	c.pos = pos
	if !ok {
		return nil, probs
	}
	probs = append(probs, c.validate(tainted)...)
	if len(probs) > 0 {
		sortProblems(probs)
		return nil, probs
	}
	return c, nil
}

// Find looks for a config file in dir and then in each parent, stopping
// after the module root (the first directory holding go.mod) or the file
// system root. It returns "" when there is none.
func Find(dir string) (string, error) {
	dir, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	for {
		var found []string
		for _, name := range FileNames {
			p := filepath.Join(dir, name)
			if st, err := os.Stat(p); err == nil && !st.IsDir() {
				found = append(found, p)
			}
		}
		switch len(found) {
		case 1:
			return found[0], nil
		case 2:
			return "", fmt.Errorf("both %s and %s exist: keep one", found[0], found[1])
		}
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return "", nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", nil
		}
		dir = parent
	}
}

func (c *Config) idx() *index {
	c.once.Do(func() { c.index = buildIndex(c) })
	return c.index
}

func buildIndex(c *Config) *index {
	ix := &index{layer: map[string]int{}, spawners: map[string]bool{}}
	for i := range c.Modules {
		m := &c.Modules[i]
		for _, s := range m.Packages {
			if pt, err := parsePattern(s); err == nil {
				ix.patterns = append(ix.patterns, ownedPattern{pt, m})
			}
		}
	}
	for i, layer := range c.Layers {
		for _, name := range layer {
			if _, dup := ix.layer[name]; !dup {
				ix.layer[name] = i + 1
			}
		}
	}
	for _, s := range c.Spawners {
		ix.spawners[s] = true
	}
	h := sha256.New()
	// Encoding a struct of strings cannot fail.
	_ = json.NewEncoder(h).Encode(struct {
		Modules []Module
		Layers  [][]string
	}{c.Modules, c.Layers})
	ix.layout = hex.EncodeToString(h.Sum(nil)[:8])
	return ix
}

// Owner returns the module that owns the package with the given import
// path, or nil. An external test package ("p_test") belongs with p.
func (c *Config) Owner(pkgPath string) *Module {
	for _, p := range c.idx().patterns {
		if p.match(pkgPath) {
			return p.module
		}
	}
	if base, ok := strings.CutSuffix(pkgPath, "_test"); ok {
		return c.Owner(base)
	}
	return nil
}

// Layer returns the 1-based layer of the named module, or 0 when the module
// is in no layer.
func (c *Config) Layer(module string) int { return c.idx().layer[module] }

// LayerPos returns the position in the config file where the module is
// listed in layers.
func (c *Config) LayerPos(module string) (Pos, bool) {
	for i, layer := range c.Layers {
		for j, name := range layer {
			if name == module {
				p, ok := c.pos[fmt.Sprintf("layers[%d][%d]", i, j)]
				return p, ok
			}
		}
	}
	return Pos{}, false
}

// IsSpawner reports whether fn is one of the configured spawners.
func (c *Config) IsSpawner(fn *types.Func) bool {
	ix := c.idx()
	if len(ix.spawners) == 0 {
		return false
	}
	for _, name := range spawnerNames(fn) {
		if ix.spawners[name] {
			return true
		}
	}
	return false
}

// A Direction classifies an import from one module into another by their
// layers.
type Direction int

const (
	// Down is an import of a module in a strictly lower layer: allowed.
	Down Direction = iota
	// Up is an import of a module in a higher layer.
	Up
	// Sideways is an import of another module in the same layer.
	Sideways
)

// Direction classifies an import from module from into module to, two
// different modules.
func (c *Config) Direction(from, to string) Direction {
	lf, lt := c.Layer(from), c.Layer(to)
	switch {
	case lt < lf:
		return Down
	case lt > lf:
		return Up
	}
	return Sideways
}

// Unmatched returns a warning for each module whose patterns match none of
// the given package paths: a typo in a pattern must not silently check
// nothing. run are the import path patterns the run was asked for (a path,
// or a path ending in "/..."); a module none of whose patterns overlaps one
// of them is out of the run, not mistyped, and gets no warning. A nil run
// is the whole program: every module is checked.
func (c *Config) Unmatched(pkgPaths, run []string) Problems {
	var scope []pattern
	for _, s := range run {
		if pt, err := parsePattern(s); err == nil {
			scope = append(scope, pt)
		}
	}
	var warnings Problems
	for i, m := range c.Modules {
		if matchesAny(m.Packages, pkgPaths) || run != nil && !overlapsAny(m.Packages, scope) {
			continue
		}
		w := &Problem{File: c.file, Path: fmt.Sprintf("modules[%d].packages", i),
			Msg: fmt.Sprintf("module %s matches no package of this run (patterns: %s); check them for a typo", m.Name, strings.Join(m.Packages, ", "))}
		if p, ok := c.pos[fmt.Sprintf("modules[%d].name", i)]; ok {
			w.Line, w.Col = p.Line, p.Col
		}
		warnings = append(warnings, w)
	}
	return warnings
}

// overlapsAny reports whether one of the module patterns could match a
// package that one of the run's patterns names.
func overlapsAny(patterns []string, run []pattern) bool {
	for _, s := range patterns {
		pt, err := parsePattern(s)
		if err != nil {
			continue
		}
		for _, r := range run {
			if _, ok := pt.overlap(r); ok {
				return true
			}
		}
	}
	return false
}

func matchesAny(patterns, pkgPaths []string) bool {
	for _, s := range patterns {
		pt, err := parsePattern(s)
		if err != nil {
			continue
		}
		for _, p := range pkgPaths {
			if pt.match(p) {
				return true
			}
		}
	}
	return false
}

// notText returns a problem when data cannot be a YAML text: a NUL or
// other control byte, or bytes that are not UTF-8. A binary file named by
// mistake then gets one line, not its content echoed back.
func notText(file string, data []byte) *Problem {
	for i := 0; i < len(data); {
		r, size := utf8.DecodeRune(data[i:])
		switch {
		case r == utf8.RuneError && size <= 1:
			return textProblem(file, data, i, fmt.Sprintf("byte 0x%02x is not UTF-8", data[i]))
		case r < 0x20 && r != '\t' && r != '\n' && r != '\r', r == 0x7f:
			return textProblem(file, data, i, fmt.Sprintf("control byte 0x%02x", r))
		}
		i += size
	}
	return nil
}

func textProblem(file string, data []byte, offset int, what string) *Problem {
	line := 1 + strings.Count(string(data[:offset]), "\n")
	col := offset - strings.LastIndexByte(string(data[:offset]), '\n')
	return &Problem{File: file, Line: line, Col: col, Msg: fmt.Sprintf("not a text file: %s at offset %d (accepted: YAML text in UTF-8)", what, offset)}
}
