package main

import (
	"flag"
	"fmt"
	"io"

	"golang.org/x/tools/go/packages"

	"github.com/reloadvet/reloadvet/internal/modgraph"
)

// graphOptions are the flags of reloadvet graph.
type graphOptions struct {
	configFile     string
	mermaid, tests bool
}

// graphFlagSet returns the flags of reloadvet graph bound to opts.
func graphFlagSet(stderr io.Writer, opts *graphOptions) *flag.FlagSet {
	fs := flag.NewFlagSet("reloadvet graph", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&opts.configFile, "config", "", "config `file` (default: found from the working directory)")
	fs.BoolVar(&opts.mermaid, "mermaid", false, "print Mermaid instead of DOT")
	fs.BoolVar(&opts.tests, "tests", false, "include imports of _test.go files")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: reloadvet graph [-mermaid] [-config file] [-tests] [packages]\n\nPrints the module graph as a ladder: one rank per layer, bottom layer at the bottom, imports between modules, upward and sideways ones and cycles marked.\n\nFlags:")
		fs.PrintDefaults()
	}
	return fs
}

// graph prints the module graph of the packages as DOT or Mermaid.
func graph(args []string, stdout, stderr io.Writer) int {
	opts := &graphOptions{}
	fs := graphFlagSet(stderr, opts)
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
	cfg, _, err := loadConfig(opts.configFile, workDir())
	if err != nil {
		fmt.Fprintln(stderr, err)
		return exitError
	}
	if !cfg.Present() {
		fmt.Fprintln(stderr, "reloadvet graph: no config file found: there are no modules to draw")
		return exitError
	}
	patterns := fs.Args()
	if len(patterns) == 0 {
		patterns = []string{"./..."}
	}
	conf := &packages.Config{Mode: packages.NeedName | packages.NeedImports, Tests: opts.tests || cfg.Tests}
	pkgs, err := packages.Load(conf, patterns...)
	if err != nil {
		fmt.Fprintf(stderr, "reloadvet graph: loading packages: %v\n", err)
		return exitError
	}
	imports := map[string][]string{}
	failed := false
	for _, p := range pkgs {
		for _, e := range p.Errors {
			fmt.Fprintf(stderr, "reloadvet graph: package %s: %v\n", p.PkgPath, e)
			failed = true
		}
		for _, imp := range p.Imports {
			imports[p.PkgPath] = append(imports[p.PkgPath], imp.PkgPath)
		}
	}
	if failed {
		return exitError
	}
	g := modgraph.Build(cfg, imports)
	if opts.mermaid {
		err = g.WriteMermaid(stdout)
	} else {
		err = g.WriteDOT(stdout)
	}
	if err != nil {
		fmt.Fprintf(stderr, "reloadvet graph: %v\n", err)
		return exitError
	}
	return exitClean
}
