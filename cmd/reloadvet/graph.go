package main

import (
	"flag"
	"fmt"
	"io"

	"golang.org/x/tools/go/packages"

	"github.com/reloadvet/reloadvet/internal/modgraph"
)

// graph prints the module graph of the packages as DOT or Mermaid.
func graph(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("reloadvet graph", flag.ContinueOnError)
	fs.SetOutput(stderr)
	configFile := fs.String("config", "", "config `file` (default: found from the working directory)")
	mermaid := fs.Bool("mermaid", false, "print Mermaid instead of DOT")
	tests := fs.Bool("tests", false, "include imports of _test.go files")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: reloadvet graph [-mermaid] [-config file] [-tests] [packages]\n\nPrints the module graph: modules grouped by layer, imports between them, violating edges marked.\n\nFlags:")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
	cfg, _, err := loadConfig(*configFile, workDir())
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
	conf := &packages.Config{Mode: packages.NeedName | packages.NeedImports, Tests: *tests || cfg.Tests}
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
	if *mermaid {
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
