package main

import (
	"errors"
	"fmt"
	"go/token"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/checker"
	"golang.org/x/tools/go/packages"

	"github.com/reloadvet/reloadvet/internal/fix"
	"github.com/reloadvet/reloadvet/internal/report"
)

// check runs the analyzers over the packages named by args and prints the
// findings.
func check(args []string, stdout, stderr io.Writer) int {
	opts := &options{}
	fs := newFlagSet(stderr, opts)
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
	if opts.jsonOut {
		opts.format = "json"
	}
	switch opts.format {
	case "text", "json", "sarif":
	default:
		fmt.Fprintf(stderr, "reloadvet: unknown -format %q (accepted: text, json, sarif)\n", opts.format)
		return exitUsage
	}
	if err := checkBaselineFlags(opts); err != nil {
		fmt.Fprintf(stderr, "reloadvet: %v\n", err)
		return exitUsage
	}
	dir := workDir()
	cfg, cfgName, err := loadConfig(opts.configFile, dir)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return exitError
	}
	cfg.Tests = cfg.Tests || opts.tests
	selected, err := opts.selected(cfg)
	if err != nil {
		fmt.Fprintf(stderr, "reloadvet: %v\n", err)
		return exitUsage
	}
	if opts.verbose {
		describe(stderr, cfg, cfgName, selected)
	}

	patterns := fs.Args()
	if len(patterns) == 0 {
		patterns = []string{"./..."}
	}
	pkgs, err := load(patterns, cfg.Tests, opts.tags, usesFacts(selected))
	if err != nil {
		fmt.Fprintf(stderr, "reloadvet: %v\n", err)
		return exitError
	}
	if cfg.Present() {
		for _, w := range configWarnings(cfg, dir, patterns, rootDirs(pkgs), packageFiles(pkgs)) {
			w.File = displayPath(dir, w.File)
			fmt.Fprintf(stderr, "reloadvet: warning: %v\n", w)
		}
	}

	graph, err := checker.Analyze(selected, pkgs, nil)
	if err != nil {
		fmt.Fprintf(stderr, "reloadvet: %v\n", err)
		return exitError
	}
	findings, errs := collect(graph)
	if len(errs) > 0 {
		for _, e := range errs {
			fmt.Fprintf(stderr, "reloadvet: %v\n", e)
		}
		return exitError
	}
	findings = cyclesOnce(cfg, selected, pkgs, findings)
	if opts.diff {
		return applyFixes(findings, opts, dir, stdout, stderr)
	}
	if opts.fix {
		if code := applyFixes(findings, opts, dir, stdout, stderr); code == exitError || len(findings) == 0 {
			return code
		}
		// A fix can remove other findings too (a go statement handed to
		// the spawner is joined as well): what is left is what a run of
		// the fixed code finds.
		return check(withoutFix(args), stdout, stderr)
	}
	if opts.baseline != "" {
		var err error
		if findings, err = gate(findings, baselineKeys(graph, findings), opts, stderr); err != nil {
			fmt.Fprintf(stderr, "reloadvet: %v\n", err)
			return exitError
		}
	}
	if err := write(stdout, findings, opts, dir, selected); err != nil {
		fmt.Fprintf(stderr, "reloadvet: writing output: %v\n", err)
		return exitError
	}
	if len(findings) > 0 {
		return exitFindings
	}
	return exitClean
}

// usesFacts reports whether any analyzer, or one it requires, uses facts:
// only then must dependencies be loaded from source.
func usesFacts(as []*analysis.Analyzer) bool {
	seen := map[*analysis.Analyzer]bool{}
	var visit func(a *analysis.Analyzer) bool
	visit = func(a *analysis.Analyzer) bool {
		if seen[a] {
			return false
		}
		seen[a] = true
		if len(a.FactTypes) > 0 {
			return true
		}
		for _, r := range a.Requires {
			if visit(r) {
				return true
			}
		}
		return false
	}
	for _, a := range as {
		if visit(a) {
			return true
		}
	}
	return false
}

// load loads the packages and fails, naming each broken package, if any
// of them or their dependencies has errors.
func load(patterns []string, tests bool, tags string, allSyntax bool) ([]*packages.Package, error) {
	mode := packages.LoadSyntax
	if allSyntax {
		mode = packages.LoadAllSyntax
	}
	conf := &packages.Config{Mode: mode | packages.NeedModule, Tests: tests}
	if tags != "" {
		conf.BuildFlags = []string{"-tags=" + tags}
	}
	pkgs, err := packages.Load(conf, patterns...)
	if err != nil {
		return nil, fmt.Errorf("loading packages: %w", err)
	}
	if len(pkgs) == 0 {
		return nil, fmt.Errorf("patterns %s matched no packages", strings.Join(patterns, " "))
	}
	var msgs []string
	packages.Visit(pkgs, nil, func(p *packages.Package) {
		for _, e := range p.Errors {
			msgs = append(msgs, fmt.Sprintf("package %s: %v", p.PkgPath, e))
		}
	})
	if len(msgs) > 0 {
		sort.Strings(msgs)
		return nil, fmt.Errorf("packages failed to load:\n\t%s", strings.Join(dedupe(msgs), "\n\t"))
	}
	return pkgs, nil
}

func dedupe(ss []string) []string {
	out := ss[:0]
	for i, s := range ss {
		if i == 0 || s != ss[i-1] {
			out = append(out, s)
		}
	}
	return out
}

// packageFiles maps every package of the load graph to its Go files (a
// test variant's, which hold more, where there is one).
func packageFiles(pkgs []*packages.Package) map[string][]string {
	files := map[string][]string{}
	packages.Visit(pkgs, nil, func(p *packages.Package) {
		if _, ok := files[p.PkgPath]; !ok || len(p.GoFiles) > len(files[p.PkgPath]) {
			files[p.PkgPath] = p.GoFiles
		}
	})
	return files
}

// rootDirs maps each root package to its directory.
func rootDirs(pkgs []*packages.Package) map[string]string {
	dirs := map[string]string{}
	for _, p := range pkgs {
		if len(p.GoFiles) > 0 {
			dirs[p.PkgPath] = filepath.Dir(p.GoFiles[0])
		}
	}
	return dirs
}

// collect turns the diagnostics of the root actions into findings, and
// returns the errors of analyzers that failed.
func collect(g *checker.Graph) ([]report.Finding, []error) {
	var fs []report.Finding
	var errs []error
	for _, act := range g.Roots {
		if act.Err != nil {
			errs = append(errs, fmt.Errorf("%s: %s: %w", act.Package.PkgPath, act.Analyzer.Name, act.Err))
			continue
		}
		fset := act.Package.Fset
		for _, d := range act.Diagnostics {
			fs = append(fs, finding(fset, act.Analyzer.Name, act.Package.ID, d))
		}
	}
	return report.Sort(fs), errs
}

func finding(fset *token.FileSet, analyzer, pkgID string, d analysis.Diagnostic) report.Finding {
	f := report.Finding{
		Analyzer: analyzer, Category: d.Category, Package: pkgID,
		Posn: fset.Position(d.Pos), End: fset.Position(d.End), Message: d.Message,
	}
	for _, r := range d.Related {
		f.Related = append(f.Related, report.Related{Posn: fset.Position(r.Pos), End: fset.Position(r.End), Message: r.Message})
	}
	for _, sf := range d.SuggestedFixes {
		fx := report.Fix{Message: sf.Message}
		for _, e := range sf.TextEdits {
			start, end := fset.Position(e.Pos), fset.Position(e.End)
			if !end.IsValid() {
				end = start
			}
			fx.Edits = append(fx.Edits, report.Edit{File: start.Filename, Start: start.Offset, End: end.Offset, New: string(e.NewText)})
		}
		f.Fixes = append(f.Fixes, fx)
	}
	return f
}

// write prints the findings in the chosen format.
func write(w io.Writer, fs []report.Finding, opts *options, dir string, selected []*analysis.Analyzer) error {
	switch opts.format {
	case "json":
		return report.WriteJSON(w, fs)
	case "sarif":
		var rules []report.Rule
		for _, a := range selected {
			rules = append(rules, report.Rule{ID: a.Name, Summary: summaryOf(a), Help: a.Doc, URL: a.URL})
		}
		return report.WriteSARIF(w, fs, report.SARIFOptions{Dir: sourceRoot(dir), Rules: rules, Version: version(), Args: os.Args[1:]})
	}
	return report.WriteText(w, fs, report.TextOptions{Dir: dir, Context: opts.context})
}

// sourceRoot is the root that SARIF file URIs are relative to: the git
// work tree that holds dir, as code scanning expects, or dir itself.
func sourceRoot(dir string) string {
	for d := dir; ; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, ".git")); err == nil {
			return d
		}
		if filepath.Dir(d) == d {
			return dir
		}
	}
}

// applyFixes writes the fixed files (-fix) or prints their diff (-diff).
// What the fixes leave is for a run of the fixed code to say.
func applyFixes(fs []report.Finding, opts *options, dir string, stdout, stderr io.Writer) int {
	res, err := fix.Apply(fs, os.ReadFile)
	if err != nil {
		fmt.Fprintf(stderr, "reloadvet: %v\n", err)
		return exitError
	}
	for _, c := range res.Conflicts {
		fmt.Fprintf(stderr, "reloadvet: %s\n", c)
	}
	names := make([]string, 0, len(res.Files))
	for name := range res.Files {
		names = append(names, name)
	}
	sort.Strings(names)
	var errs []error
	for _, name := range names {
		if opts.diff {
			old, err := os.ReadFile(name)
			if err != nil {
				errs = append(errs, err)
				continue
			}
			// The diff is the command's output: a failed write fails the run.
			if _, err := io.WriteString(stdout, fix.Diff(displayPath(dir, name), old, res.Files[name])); err != nil {
				errs = append(errs, fmt.Errorf("writing the diff: %w", err))
			}
			continue
		}
		if err := os.WriteFile(name, res.Files[name], 0o644); err != nil {
			errs = append(errs, err)
		}
	}
	if err := errors.Join(errs...); err != nil {
		fmt.Fprintf(stderr, "reloadvet: %v\n", err)
		return exitError
	}
	if opts.fix {
		if len(res.Conflicts) > 0 {
			return exitFindings
		}
		return exitClean
	}
	if len(fs) > 0 || len(res.Conflicts) > 0 {
		return exitFindings
	}
	return exitClean
}

// withoutFix returns the command line without its -fix flag, for the run
// that reports what the fixes left.
func withoutFix(args []string) []string {
	var out []string
	for i, a := range args {
		if a == "--" || !strings.HasPrefix(a, "-") {
			return append(out, args[i:]...)
		}
		switch a {
		case "-fix", "--fix", "-fix=true", "--fix=true":
			continue
		}
		out = append(out, a)
	}
	return out
}

// summaryOf is the one-line summary of an analyzer without its name:
// "reports ...".
func summaryOf(a *analysis.Analyzer) string {
	line, _, _ := strings.Cut(a.Doc, "\n")
	return strings.TrimPrefix(line, a.Name+": ")
}
