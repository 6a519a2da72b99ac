// Package pluginsource gives modules new code at run time from Go plugins
// (Linux, macOS and FreeBSD, with cgo).
//
// Go never unloads code, but it can load a new copy of a package beside the
// old one when the copy has a package identity of its own. Build each
// version of a module's plugin with a fresh identity and the same toolchain
// and flags as the program:
//
//	id=greeter_$(date +%s%N)
//	go build -buildmode=plugin -gcflags=-p=$id -ldflags=-pluginpath=$id -o greeter-$id.so ./greeter
//
// Both flags are needed: -pluginpath alone makes the runtime refuse a
// second copy ("plugin already loaded") or miss the symbol. The code that
// changes between versions must live in the plugin's main package (or in
// packages only the plugin has): a package the program already loaded is
// shared, and its old code keeps running. Write each build to a new file:
// the runtime caches plugins by file, so a rewritten file would give the
// old code back.
package pluginsource

import (
	"debug/buildinfo"
	"errors"
	"fmt"
	"path/filepath"
	"plugin"
	"runtime"
	"runtime/debug"
	"strings"
	"sync"

	"github.com/reloadvet/reloadvet/loader"
)

// DefaultSymbol is the name Source looks up when Symbol is empty.
const DefaultSymbol = "Module"

// Source opens module code from plugin files. The zero Source is ready to
// use; it is safe for concurrent use.
type Source struct {
	// Symbol is the exported name of the module code in the plugin: a
	// variable of type loader.Factory, or a function func() loader.Factory.
	Symbol string

	mu     sync.Mutex
	opened map[string]bool // real paths of the plugins already opened
}

// Open opens the plugin at path and returns the module code it exports,
// with the plugin's file name as its version. It checks, before loading
// anything, that the plugin was built by this program's toolchain with the
// flags that must match (race detector, architecture level, cgo), and it
// refuses a file it already opened (the runtime would return the old code).
func (s *Source) Open(path string) (loader.Factory, error) {
	if !supported {
		return loader.Factory{}, fmt.Errorf("open plugin %s: Go plugins are not supported on %s/%s: they need linux, darwin or freebsd, and cgo (CGO_ENABLED=1)", path, runtime.GOOS, runtime.GOARCH)
	}
	real, err := filepath.EvalSymlinks(path)
	if err != nil {
		return loader.Factory{}, fmt.Errorf("open plugin: %w", err)
	}
	if real, err = filepath.Abs(real); err != nil {
		return loader.Factory{}, fmt.Errorf("open plugin: %w", err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.opened[real] {
		return loader.Factory{}, fmt.Errorf("open plugin %s: %s was already opened, and the runtime would return its old code: write each build to a new file", path, real)
	}
	bi, err := buildinfo.ReadFile(real)
	if err != nil {
		return loader.Factory{}, fmt.Errorf("open plugin %s: not a Go plugin: %w", path, err)
	}
	if err := checkBuild(describe(bi.GoVersion, bi.Settings), hostBuild()); err != nil {
		return loader.Factory{}, fmt.Errorf("open plugin %s: %w", path, err)
	}
	p, err := plugin.Open(real)
	if err != nil {
		return loader.Factory{}, fmt.Errorf("open plugin %s: %w%s", path, err, openHint(err))
	}
	if s.opened == nil {
		s.opened = map[string]bool{}
	}
	s.opened[real] = true
	f, err := factoryOf(p, s.symbol())
	if err != nil {
		return loader.Factory{}, fmt.Errorf("open plugin %s: %w", path, err)
	}
	if f.Version() == "" {
		f = f.WithVersion(filepath.Base(real))
	}
	return f, nil
}

func (s *Source) symbol() string {
	if s.Symbol == "" {
		return DefaultSymbol
	}
	return s.Symbol
}

// factoryOf looks up the module code. The shapes it accepts:
//
//	var Module = loader.Func(load, unload)
//	func Module() loader.Factory { ... }
func factoryOf(p *plugin.Plugin, name string) (loader.Factory, error) {
	sym, err := p.Lookup(name)
	if err != nil {
		return loader.Factory{}, fmt.Errorf("no symbol %s: export the module code as var %s loader.Factory or func %s() loader.Factory", name, name, name)
	}
	switch v := sym.(type) {
	case *loader.Factory:
		return *v, nil
	case func() loader.Factory:
		return v(), nil
	default:
		return loader.Factory{}, fmt.Errorf("symbol %s is a %T, want a loader.Factory variable or a func() loader.Factory", name, sym)
	}
}

// openHint explains the runtime's terse refusals.
func openHint(err error) string {
	msg := err.Error()
	switch {
	case strings.Contains(msg, "different version of package"):
		return " (build the plugin from the same sources as the program, with the same toolchain and flags; packages both use must not differ)"
	case strings.Contains(msg, "already loaded"):
		return " (give each build a new identity: -gcflags=-p=<id> -ldflags=-pluginpath=<id>)"
	default:
		return ""
	}
}

// build is what must match between a plugin and the program loading it.
type build struct {
	goVersion string
	settings  map[string]string
}

func describe(goVersion string, settings []debug.BuildSetting) build {
	b := build{goVersion: goVersion, settings: map[string]string{}}
	for _, s := range settings {
		b.settings[s.Key] = s.Value
	}
	return b
}

func hostBuild() build {
	b := build{goVersion: runtime.Version(), settings: map[string]string{}}
	if bi, ok := debug.ReadBuildInfo(); ok {
		b = describe(runtime.Version(), bi.Settings)
	}
	b.settings["GOOS"], b.settings["GOARCH"] = runtime.GOOS, runtime.GOARCH
	b.settings["-race"] = fmt.Sprint(raceEnabled)
	return b
}

// checkBuild compares a plugin's build with the program's and lists every
// difference.
func checkBuild(p, host build) error {
	var diffs []string
	if p.goVersion != host.goVersion {
		diffs = append(diffs, fmt.Sprintf("toolchain %s, this program %s", p.goVersion, host.goVersion))
	}
	if mode := p.settings["-buildmode"]; mode != "plugin" {
		diffs = append(diffs, fmt.Sprintf("-buildmode=%s, want -buildmode=plugin", mode))
	}
	// Settings that change the code or the runtime ABI of every package: a
	// plugin that differs cannot load (the runtime says "different version
	// of package internal/...", or worse).
	mustMatch := []string{"GOOS", "GOARCH", "GOAMD64", "GOARM", "GOARM64", "GO386", "GOPPC64", "GORISCV64", "GOMIPS", "GOMIPS64", "-race", "-asan", "-msan"}
	for _, key := range mustMatch {
		pv, hv := p.settings[key], host.settings[key]
		if strings.HasPrefix(key, "-") {
			pv, hv = orFalse(pv), orFalse(hv)
		} else if pv == "" || hv == "" {
			continue // not recorded for this architecture
		}
		if pv != hv {
			diffs = append(diffs, fmt.Sprintf("%s=%s, this program %s=%s", key, pv, key, hv))
		}
	}
	if len(diffs) == 0 {
		return nil
	}
	return errors.New("built differently from this program: " + strings.Join(diffs, "; ") + ": rebuild it with the program's toolchain and flags")
}

func orFalse(v string) string {
	if v == "" {
		return "false"
	}
	return v
}
