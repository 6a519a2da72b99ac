package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/reloadvet/reloadvet/analyzers"
	"github.com/reloadvet/reloadvet/internal/config"
)

// options are the flags of the check command.
type options struct {
	configFile string
	tests      bool
	tags       string
	jsonOut    bool
	format     string
	fix        bool
	diff       bool
	context    int
	verbose    bool

	baseline       string // -baseline FILE
	baselineUpdate bool   // -baseline-update

	enable        map[string]*triState // -NAME
	analyzerFlags map[string]*recorded // -NAME.flag, applied once the analyzers exist
}

// newFlagSet returns the check command's flags bound to opts. The
// analyzers' own flags are registered from a default instance and replayed
// onto the configured instances later, since those can only be built once
// the -config flag is known.
func newFlagSet(stderr io.Writer, opts *options) *flag.FlagSet {
	fs := flag.NewFlagSet("reloadvet", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&opts.configFile, "config", "", "config `file` (default: .reloadvet.yml or .reloadvet.yaml in the working directory or a parent, up to the module root)")
	fs.BoolVar(&opts.tests, "tests", false, "also check _test.go files")
	fs.StringVar(&opts.tags, "tags", "", "comma-separated build `tags`")
	fs.BoolVar(&opts.jsonOut, "json", false, "print findings as go vet -json does (same as -format json)")
	fs.StringVar(&opts.format, "format", "text", "output `format`: text, json or sarif")
	fs.BoolVar(&opts.fix, "fix", false, "apply suggested fixes")
	fs.BoolVar(&opts.diff, "diff", false, "print suggested fixes as a unified diff instead of applying them")
	fs.IntVar(&opts.context, "c", -1, "print offending lines with `N` lines of context")
	fs.BoolVar(&opts.verbose, "v", false, "print the config in effect and what each analyzer checks")
	fs.StringVar(&opts.baseline, "baseline", "", "report only findings not in the baseline `file`; write the file when it does not exist")
	fs.BoolVar(&opts.baselineUpdate, "baseline-update", false, "rewrite the -baseline file with the current findings")
	opts.enable = map[string]*triState{}
	opts.analyzerFlags = map[string]*recorded{}
	for _, a := range analyzers.All() {
		ts := new(triState)
		opts.enable[a.Name] = ts
		fs.Var(ts, a.Name, "enable the "+a.Name+" analyzer (with any -NAME, only the named ones run)")
		a.Flags.VisitAll(func(f *flag.Flag) {
			if f.Name == config.FlagName || f.Name == config.NameFlagName {
				return // the command's -config names the file
			}
			r := &recorded{analyzer: a.Name, name: f.Name, def: f.Value}
			opts.analyzerFlags[a.Name+"."+f.Name] = r
			fs.Var(r, a.Name+"."+f.Name, f.Usage)
		})
	}
	fs.Usage = func() {
		fmt.Fprintf(stderr, `usage: reloadvet [flags] [packages]
       reloadvet graph [-mermaid] [packages]
       reloadvet help [analyzer]

Checks the packages (default ./...) for code that cannot be unloaded safely.
Exit status: 0 clean, 3 findings, 1 error.

Flags:
`)
		fs.PrintDefaults()
	}
	return fs
}

// loadConfig returns the config named by -config or found from dir, and
// its display name ("" for the defaults).
func loadConfig(file, dir string) (*config.Config, string, error) {
	if file == "" {
		found, err := config.Find(dir)
		if err != nil {
			return nil, "", err
		}
		if found == "" {
			return config.Default(), "", nil
		}
		file = found
	}
	// Load by absolute path so that positions in the config file are
	// absolute like those in Go files; show problems relative to dir.
	abs, err := filepath.Abs(file)
	if err != nil {
		return nil, "", err
	}
	cfg, err := config.Load(abs)
	var probs config.Problems
	if errors.As(err, &probs) {
		for _, p := range probs {
			p.File = displayPath(dir, p.File)
		}
	}
	return cfg, displayPath(dir, abs), err
}

// displayPath is name relative to dir when it lies below dir.
func displayPath(dir, name string) string {
	abs, err := filepath.Abs(name)
	if err != nil {
		return name
	}
	if rel, err := filepath.Rel(dir, abs); err == nil && !strings.HasPrefix(rel, "..") {
		return rel
	}
	return abs
}

// selected returns the analyzers built for cfg that the -NAME flags
// enable, with the -NAME.flag values applied.
func (opts *options) selected(cfg *config.Config) ([]*analysis.Analyzer, error) {
	all := analyzers.New(cfg)
	for _, a := range all {
		for key, r := range opts.analyzerFlags {
			if r.analyzer != a.Name {
				continue
			}
			for _, v := range r.values {
				if err := a.Flags.Set(r.name, v); err != nil {
					return nil, fmt.Errorf("flag -%s: %w", key, err)
				}
			}
		}
	}
	var hasTrue, hasFalse bool
	for _, ts := range opts.enable {
		hasTrue = hasTrue || *ts == setTrue
		hasFalse = hasFalse || *ts == setFalse
	}
	var out []*analysis.Analyzer
	for _, a := range all {
		switch ts := *opts.enable[a.Name]; {
		case hasTrue && ts != setTrue:
		case !hasTrue && hasFalse && ts == setFalse:
		default:
			out = append(out, a)
		}
	}
	return out, nil
}

// maxArg is the longest single argument Linux passes to a program
// (MAX_ARG_STRLEN, 32 pages), less room for the flag's name.
const maxArg = 32*4096 - 64

// vetArgs returns the flags that go vet passes to every run of the tool,
// and so puts in its cache key: the config inline with its file name,
// -tests, and the -NAME and -NAME.flag flags given.
func (opts *options) vetArgs(cfg *config.Config) ([]string, error) {
	var args []string
	if name, data := cfg.File(); name != "" {
		if len(data) > maxArg {
			return nil, fmt.Errorf("config %s is %d bytes, more than the %d a command-line argument can hold; go vet takes the config as a flag (accepted: a config of at most %d bytes)", name, len(data), maxArg, maxArg)
		}
		args = append(args, "-"+config.FlagName+"="+string(data), "-"+config.NameFlagName+"="+name)
	}
	if opts.tests {
		args = append(args, "-tests")
	}
	for _, a := range analyzers.All() {
		switch *opts.enable[a.Name] {
		case setTrue:
			args = append(args, "-"+a.Name+"=true")
		case setFalse:
			args = append(args, "-"+a.Name+"=false")
		}
	}
	keys := make([]string, 0, len(opts.analyzerFlags))
	for k := range opts.analyzerFlags {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		for _, v := range opts.analyzerFlags[k].values {
			args = append(args, "-"+k+"="+v)
		}
	}
	return args, nil
}

// triState is a -NAME flag: unset, or set to true or false.
type triState int

const (
	unset triState = iota
	setTrue
	setFalse
)

func (ts *triState) IsBoolFlag() bool { return true }

func (ts *triState) String() string {
	switch *ts {
	case setTrue:
		return "true"
	case setFalse:
		return "false"
	}
	return "unset"
}

func (ts *triState) Set(s string) error {
	b, err := strconv.ParseBool(s)
	if err != nil {
		return fmt.Errorf("want true or false, got %q", s)
	}
	*ts = setFalse
	if b {
		*ts = setTrue
	}
	return nil
}

// recorded is an analyzer flag whose values are kept to be set later on
// the configured analyzer. The default instance's flag checks each value.
type recorded struct {
	analyzer, name string
	def            flag.Value
	values         []string
}

func (r *recorded) String() string {
	if r.def == nil {
		return ""
	}
	return r.def.String()
}

func (r *recorded) Set(s string) error {
	if err := r.def.Set(s); err != nil {
		return err
	}
	r.values = append(r.values, s)
	return nil
}

func (r *recorded) IsBoolFlag() bool {
	b, ok := r.def.(interface{ IsBoolFlag() bool })
	return ok && b.IsBoolFlag()
}

// workDir returns the working directory, or "." if it cannot be had.
func workDir() string {
	dir, err := os.Getwd()
	if err != nil {
		return "."
	}
	return dir
}
