package config

import (
	"errors"
	"flag"
	"fmt"
	"strconv"
	"sync"
)

// Flag names under which a Source serves its config: every analyzer has
// them (-layering.config and -layering.configname in go vet, analyzer_flags
// "config" and "configname" in Bazel's nogo).
const (
	FlagName     = "config"
	NameFlagName = "configname"
)

// A Source is the config one analyzer instance runs with: the config it was
// built with, until its -config flag gives another. The flag takes the
// config's content inline (YAML, or JSON, which is YAML), so that build
// systems that key their caches on flags (go vet, Bazel) see the config in
// the key, and so that nothing is read from disk during analysis.
// -configname names the file the content came from, for positions in
// diagnostics and problems; without it, diagnostics carry no related
// information that points into the config.
type Source struct {
	mu    sync.Mutex
	cfg   *Config
	data  string // the -config value, when set
	name  string // the -configname value
	set   bool   // -config was given
	tests bool   // ForceTests was called
}

// NewSource returns a Source that serves cfg until a flag says otherwise.
func NewSource(cfg *Config) *Source { return &Source{cfg: cfg} }

// Config returns the config in effect.
func (s *Source) Config() *Config {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.cfg
}

// AddFlags registers -config and -configname on fs.
func (s *Source) AddFlags(fs *flag.FlagSet) {
	fs.Var(contentFlag{s}, FlagName, "the reloadvet config inline (the content of a .reloadvet.yml); replaces the config the analyzer was built with")
	fs.Var(nameFlag{s}, NameFlagName, "the `file` name positions in the -config content are reported at")
}

// ForceTests makes the config in effect check _test.go files, whatever
// its tests key says, as the -tests flag of a driver asks.
func (s *Source) ForceTests() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.tests = true
	s.cfg = s.cfg.withTests()
}

// reparse decodes the flag content under the current name.
func (s *Source) reparse() error {
	if !s.set {
		return nil
	}
	cfg, err := Parse(s.name, []byte(s.data))
	if err != nil {
		var probs Problems
		if s.name == "" && errors.As(err, &probs) {
			for _, p := range probs {
				if p.Line > 0 {
					p.File = "-" + FlagName
				}
			}
		}
		return err
	}
	if s.tests {
		cfg = cfg.withTests()
	}
	s.cfg = cfg
	return nil
}

// withTests returns c with Tests set, sharing everything else.
func (c *Config) withTests() *Config {
	if c.Tests {
		return c
	}
	return &Config{
		Version: c.Version, Modules: c.Modules, Layers: c.Layers, Spawners: c.Spawners,
		Tests: true, Rawspawn: c.Rawspawn, Crosscallback: c.Crosscallback,
		file: c.file, data: c.data, pos: c.pos,
	}
}

// contentFlag is -config.
type contentFlag struct{ s *Source }

func (f contentFlag) String() string {
	if f.s == nil {
		return ""
	}
	f.s.mu.Lock()
	defer f.s.mu.Unlock()
	return f.s.data
}

func (f contentFlag) Set(v string) error {
	f.s.mu.Lock()
	defer f.s.mu.Unlock()
	oldData, oldSet := f.s.data, f.s.set
	f.s.data, f.s.set = v, true
	if err := f.s.reparse(); err != nil {
		f.s.data, f.s.set = oldData, oldSet
		return err
	}
	return nil
}

// nameFlag is -configname.
type nameFlag struct{ s *Source }

func (f nameFlag) String() string {
	if f.s == nil {
		return ""
	}
	f.s.mu.Lock()
	defer f.s.mu.Unlock()
	return f.s.name
}

func (f nameFlag) Set(v string) error {
	f.s.mu.Lock()
	defer f.s.mu.Unlock()
	old := f.s.name
	f.s.name = v
	if err := f.s.reparse(); err != nil {
		f.s.name = old
		return err
	}
	return nil
}

// SourceOf returns the Source behind an analyzer's -config flag in fs, or
// nil when fs has none.
func SourceOf(fs *flag.FlagSet) *Source {
	f := fs.Lookup(FlagName)
	if f == nil {
		return nil
	}
	if c, ok := f.Value.(contentFlag); ok {
		return c.s
	}
	return nil
}

// An Override is a boolean analyzer flag that, once given, overrides a key
// of the config in effect either way; until then the config decides. It is
// a flag of the analyzer, not of the config, so that a -config given later
// (or earlier) on the command line leaves it standing.
type Override struct {
	set, value bool
}

// IsBoolFlag lets the flag be given as -name alone.
func (o *Override) IsBoolFlag() bool { return true }

func (o *Override) String() string {
	if o == nil || !o.set {
		return "the config's value"
	}
	return strconv.FormatBool(o.value)
}

// Set parses the flag's value.
func (o *Override) Set(s string) error {
	v, err := strconv.ParseBool(s)
	if err != nil {
		return fmt.Errorf("want true or false, got %q", s)
	}
	o.set, o.value = true, v
	return nil
}

// Or returns the flag's value when it was given, else def (the config's).
func (o *Override) Or(def bool) bool {
	if o.set {
		return o.value
	}
	return def
}
