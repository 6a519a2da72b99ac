package main

import (
	"crypto/sha256"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/unitchecker"

	"github.com/reloadvet/reloadvet/analyzers"
	"github.com/reloadvet/reloadvet/internal/config"
)

// The environment of the tool when go vet runs it.
const (
	// configEnv names the config file for go vet runs started by hand,
	// where no config flag is given.
	configEnv = "RELOADVET_CONFIG"
	// engineEnv is set by the reloadvet command when it drives go vet. The
	// tool then takes its config from flags only, reports on every package
	// it analyses (see vet), and says so in its identity, which go vet puts
	// in every cache key: results of the engine and of go vet run by hand
	// are never taken for each other.
	engineEnv = "RELOADVET_ENGINE"
	// progressEnv names the Unix socket the command counts finished
	// analyses on (see progress.go). It changes nothing in the results, so
	// it may stay out of go vet's cache key.
	progressEnv = "RELOADVET_PROGRESS"
)

// reportDepsFlag is the vet flag with which the command asks for the
// findings of packages outside the main modules (see vet).
const reportDepsFlag = "reportdeps"

// isVetInvocation reports whether the go command is driving the tool:
// asking for its identity (-V=full) or flags (-flags), or handing it one
// compilation unit (a *.cfg file).
func isVetInvocation(args []string) bool {
	for _, a := range args {
		if a == "-V=full" || a == "-V" || a == "-flags" {
			return true
		}
	}
	return len(args) > 0 && strings.HasSuffix(args[len(args)-1], ".cfg")
}

// vet serves the go vet -vettool protocol through unitchecker.
//
// The config comes from the flags -config (the content inline) and
// -configname (the file it came from, for positions), which the go command
// passes to every run and puts in its cache key. Without them, a run
// started by hand finds the config from the package's directory or takes
// the file RELOADVET_CONFIG names, and the identity printed for -V=full
// hashes the config found from the directory go vet runs in, so that an
// edit to it is not answered from the cache.
//
// go1.26's go vet keys a package's cached result without saying whether
// the package was analysed as a dependency (for facts only, printing
// nothing) or as one of the named packages: a package analysed first as a
// dependency is later served from the cache with no findings. When the
// command drives go vet (RELOADVET_ENGINE), every package of the main
// modules (the only ones ./... style patterns name) therefore reports
// fully, whatever its role, so that its cache entry holds its findings;
// the command keeps those of the packages it was asked about. Packages of
// the standard library and of module dependencies are analysed for facts
// only, unless the command names one of them, when it passes -reportdeps:
// a flag, so in the cache key, and those runs never share an entry with
// the facts-only ones.
func vet(args []string) int {
	engine := os.Getenv(engineEnv) != ""
	if slices.Contains(args, "-V=full") {
		return vetIdentity(os.Stdout, os.Stderr, engine)
	}
	cfg := config.Default()
	unit := args[len(args)-1]
	isUnit := strings.HasSuffix(unit, ".cfg")
	if isUnit && !engine && !hasFlag(args, config.FlagName) {
		c, err := unitConfig(unit)
		if err != nil {
			fmt.Fprintf(os.Stderr, "reloadvet: %v\n", err)
			return exitError
		}
		cfg = c
	}
	suite := analyzers.New(cfg)
	registerSuiteFlags(flag.CommandLine, suite)
	if isUnit {
		if engine && !hasFlag(args, "fix") {
			full, err := reportFully(unit, hasFlag(args, reportDepsFlag))
			if err != nil {
				fmt.Fprintf(os.Stderr, "reloadvet: %v\n", err)
				return exitError
			}
			os.Args[len(os.Args)-1] = full
		}
		// The connection to the command's progress socket stays open until
		// the process exits (unitchecker.Main does not return), which is how
		// the command learns that this analysis is done. The deferred Close
		// keeps it reachable meanwhile, so the collector's finalizer cannot
		// close it mid-analysis.
		if conn := announce(unit); conn != nil {
			defer func() { _ = conn.Close() }()
		}
	}
	unitchecker.Main(suite...) // exits
	return exitError
}

// registerSuiteFlags registers the flags that configure every analyzer of
// the suite at once: -config and -configname set each analyzer's own, and
// -tests makes each check _test.go files.
func registerSuiteFlags(fs *flag.FlagSet, suite []*analysis.Analyzer) {
	forward := func(name string) flag.Value {
		return suiteFlag(func(v string) error {
			for _, a := range suite {
				if err := a.Flags.Set(name, v); err != nil {
					return err
				}
			}
			return nil
		})
	}
	fs.Var(forward(config.FlagName), config.FlagName, "the reloadvet config inline (the content of a .reloadvet.yml); no file is then looked for")
	fs.Var(forward(config.NameFlagName), config.NameFlagName, "the `file` name positions in the -config content are reported at")
	fs.Bool(reportDepsFlag, false, "with the reloadvet command driving go vet: report findings in packages of the standard library and module dependencies too (the command sets it when it names such packages)")
	fs.Var(testsFlag(func() {
		for _, a := range suite {
			config.SourceOf(&a.Flags).ForceTests()
		}
	}), "tests", "also check _test.go files")
}

// suiteFlag is a string flag applied to every analyzer of the suite.
type suiteFlag func(string) error

func (f suiteFlag) String() string     { return "" }
func (f suiteFlag) Set(v string) error { return f(v) }

// testsFlag is -tests: a boolean that, when true, forces tests on.
type testsFlag func()

func (f testsFlag) IsBoolFlag() bool { return true }
func (f testsFlag) String() string   { return "false" }
func (f testsFlag) Set(v string) error {
	b, err := strconv.ParseBool(v)
	if err != nil {
		return fmt.Errorf("want true or false, got %q", v)
	}
	if b {
		f()
	}
	return nil
}

// hasFlag reports whether args set -name or --name, with or without a
// value.
func hasFlag(args []string, name string) bool {
	for _, a := range args {
		a = strings.TrimPrefix(strings.TrimPrefix(a, "-"), "-")
		if a == name || strings.HasPrefix(a, name+"=") {
			return true
		}
	}
	return false
}

// reportFully writes a copy of the unit file that asks for diagnostics
// even when go vet asked for facts only, and returns its name: for a
// package of a main module (a module path and no version), or for every
// package when deps is set.
func reportFully(unit string, deps bool) (string, error) {
	data, err := os.ReadFile(unit)
	if err != nil {
		return "", err
	}
	var fields map[string]any
	if err := json.Unmarshal(data, &fields); err != nil {
		return "", fmt.Errorf("decoding %s: %w", unit, err)
	}
	mainModule := fields["ModulePath"] != "" && fields["ModulePath"] != nil && (fields["ModuleVersion"] == nil || fields["ModuleVersion"] == "")
	if fields["VetxOnly"] != true || !mainModule && !deps {
		return unit, nil
	}
	fields["VetxOnly"] = false
	data, err = json.Marshal(fields)
	if err != nil {
		return "", err
	}
	full := filepath.Join(filepath.Dir(unit), "vet-reloadvet.cfg")
	return full, os.WriteFile(full, data, 0o644)
}

// announce connects to the command's progress socket, if there is one, and
// names the package being analysed. It returns the connection, which must
// stay open until the process exits.
func announce(unit string) net.Conn {
	path := os.Getenv(progressEnv)
	if path == "" {
		return nil
	}
	conn, err := net.Dial("unix", path)
	if err != nil {
		return nil // progress is a courtesy; the analysis goes on
	}
	var u struct{ ID string }
	if data, err := os.ReadFile(unit); err == nil {
		_ = json.Unmarshal(data, &u) // the name is for display only
	}
	if _, err := fmt.Fprintf(conn, "%s\n", u.ID); err != nil {
		_ = conn.Close()
		return nil
	}
	return conn
}

// vetIdentity prints the line go vet keys its cache on: the executable's
// hash, combined with the config found from the working directory (go vet
// run by hand) or with the engine mark (the command driving go vet, where
// the config is in the flags, which go vet keys on itself).
func vetIdentity(stdout, stderr io.Writer, engine bool) int {
	h := sha256.New()
	exe, err := os.Executable()
	if err == nil {
		err = hashFile(h, exe)
	}
	if err != nil {
		fmt.Fprintf(stderr, "reloadvet: hashing executable: %v\n", err)
		return exitError
	}
	if engine {
		_, _ = io.WriteString(h, "\x00engine")
		fmt.Fprintf(stdout, "reloadvet version devel engine buildID=%x\n", h.Sum(nil))
		return exitClean
	}
	path, err := vetConfigPath(workDir())
	if err != nil {
		fmt.Fprintf(stderr, "reloadvet: %v\n", err)
		return exitError
	}
	if path != "" {
		data, err := os.ReadFile(path)
		if err != nil {
			fmt.Fprintf(stderr, "reloadvet: reading config: %v\n", err)
			return exitError
		}
		// Refuse a bad config here, once, rather than in every package.
		if _, err := config.Parse(path, data); err != nil {
			fmt.Fprintln(stderr, err)
			return exitError
		}
		fmt.Fprintf(h, "\x00config %s\x00", path)
		h.Write(data)
	}
	fmt.Fprintf(stdout, "reloadvet version devel config buildID=%x\n", h.Sum(nil))
	return exitClean
}

// hashFile writes the content of the named file to h.
func hashFile(h io.Writer, name string) (err error) {
	f, err := os.Open(name)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	_, err = io.Copy(h, f)
	return err
}

// vetConfigPath returns the config in effect for packages in dir: the
// file named by RELOADVET_CONFIG, or the one found from dir.
func vetConfigPath(dir string) (string, error) {
	if p := os.Getenv(configEnv); p != "" {
		if !filepath.IsAbs(p) {
			return "", fmt.Errorf("%s=%s: want an absolute path (go vet runs the tool in each package's directory)", configEnv, p)
		}
		return p, nil
	}
	return config.Find(dir)
}

// unitConfig loads the config for the package described by a go vet unit
// file, found from the package's directory.
func unitConfig(unit string) (*config.Config, error) {
	data, err := os.ReadFile(unit)
	if err != nil {
		return nil, err
	}
	var u struct{ GoFiles []string }
	if err := json.Unmarshal(data, &u); err != nil {
		return nil, fmt.Errorf("decoding %s: %w", unit, err)
	}
	if len(u.GoFiles) == 0 {
		return config.Default(), nil
	}
	path, err := vetConfigPath(filepath.Dir(u.GoFiles[0]))
	if err != nil || path == "" {
		return config.Default(), err
	}
	return config.Load(path)
}
