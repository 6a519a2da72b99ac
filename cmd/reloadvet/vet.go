package main

import (
	"crypto/sha256"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/tools/go/analysis/unitchecker"

	"github.com/reloadvet/reloadvet/analyzers"
	"github.com/reloadvet/reloadvet/internal/config"
)

// configEnv names the config file for go vet runs, where no -config flag
// can reach the tool in a way go vet's cache would see.
const configEnv = "RELOADVET_CONFIG"

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

// vet serves the go vet -vettool protocol through unitchecker, with the
// config of the package's directory.
//
// go vet caches results by the tool's identity (-V=full), its flags and the
// package inputs; a config file read during analysis is none of these. So
// the identity printed for -V=full hashes the config in effect: editing
// .reloadvet.yml changes the identity and go vet analyses afresh.
func vet(args []string) int {
	if slices.Contains(args, "-V=full") {
		return vetIdentity(os.Stdout, os.Stderr)
	}
	cfg := config.Default()
	if unit := args[len(args)-1]; strings.HasSuffix(unit, ".cfg") {
		c, err := unitConfig(unit)
		if err != nil {
			fmt.Fprintf(os.Stderr, "reloadvet: %v\n", err)
			return exitError
		}
		cfg = c
	}
	tests := flag.Bool("tests", false, "also check _test.go files")
	if v, ok := boolFlag(args, "tests"); ok {
		*tests = v
	}
	cfg.Tests = cfg.Tests || *tests
	unitchecker.Main(analyzers.New(cfg)...) // exits
	return exitError
}

// vetIdentity prints the line go vet keys its cache on: the executable's
// hash, combined with the config that go vet's packages will see.
func vetIdentity(stdout, stderr io.Writer) int {
	h := sha256.New()
	exe, err := os.Executable()
	if err == nil {
		err = hashFile(h, exe)
	}
	if err != nil {
		fmt.Fprintf(stderr, "reloadvet: hashing executable: %v\n", err)
		return exitError
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

// boolFlag finds -name or -name=value among args, as the flag package
// would parse it, before unitchecker parses the command line itself.
func boolFlag(args []string, name string) (value, ok bool) {
	for _, a := range args {
		a = strings.TrimPrefix(strings.TrimPrefix(a, "-"), "-")
		if a == name {
			return true, true
		}
		if v, found := strings.CutPrefix(a, name+"="); found {
			b, err := strconv.ParseBool(v)
			return b, err == nil
		}
	}
	return false, false
}
