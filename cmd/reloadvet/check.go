package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"time"

	"golang.org/x/tools/go/analysis"

	"github.com/reloadvet/reloadvet/analyzers/layering"
	"github.com/reloadvet/reloadvet/internal/fix"
	"github.com/reloadvet/reloadvet/internal/report"
)

// check runs the analyzers over the packages named by args and prints the
// findings. The analysis is go vet's (engine.go); beside it, go list gives
// the package graph for the program-level passes: the warning for modules
// that match no package, and the module cycles.
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
	vetArgs, err := opts.vetArgs(cfg)
	if err != nil {
		fmt.Fprintf(stderr, "reloadvet: %v\n", err)
		return exitError
	}
	if opts.verbose {
		describe(stderr, cfg, cfgName, selected)
	}
	patterns := fs.Args()
	if len(patterns) == 0 {
		patterns = []string{"./..."}
	}

	res, code := analyse(patterns, opts.tags, vetArgs, stderr)
	if code != exitClean {
		return code
	}
	t := res.timing
	start := time.Now()
	roots, all := res.prog.checked(cfg.Tests)
	if cfg.Present() {
		for _, w := range configWarnings(cfg, dir, patterns, res.prog.rootDirs(), packageFiles(all)) {
			w.File = displayPath(dir, w.File)
			fmt.Fprintf(stderr, "reloadvet: warning: %v\n", w)
		}
	}
	findings := keep(res.run.findings, res.prog.rootIDs())
	if slices.ContainsFunc(selected, func(a *analysis.Analyzer) bool { return a.Name == "layering" }) {
		cycles, truncated, err := programCycles(cfg, res.prog)
		if err != nil {
			fmt.Fprintf(stderr, "reloadvet: module cycles: %v\n", err)
			return exitError
		}
		if truncated {
			fmt.Fprintf(stderr, "reloadvet: warning: the modules import each other in more than %d elementary cycles; the first %d are named: fix the imports layering reports, then run again\n", layering.DefaultCycleLimit, layering.DefaultCycleLimit)
		}
		findings = append(findings, cycles...)
	}
	findings = report.Sort(findings)
	t.program = time.Since(start)

	start = time.Now()
	code = present(findings, opts, args, dir, selected, stdout, stderr)
	t.output = time.Since(start)
	if opts.verbose {
		t.describe(stderr, len(roots), res)
	}
	return code
}

// present prints the findings as the flags ask, applies fixes or the
// baseline, and returns the exit status.
func present(findings []report.Finding, opts *options, args []string, dir string, selected []*analysis.Analyzer, stdout, stderr io.Writer) int {
	if opts.diff {
		return applyFixes(findings, opts, dir, stdout, stderr)
	}
	if opts.fix {
		if code := applyFixes(findings, opts, dir, stdout, stderr); code == exitError || len(findings) == 0 {
			return code
		}
		// A fix can remove other findings too (a go statement handed to
		// the spawner is joined as well): what is left is what a run of
		// the fixed code finds. go vet's cache serves every package the
		// fixes did not touch.
		return check(withoutFix(args), stdout, stderr)
	}
	if opts.baseline != "" {
		keys, err := baselineKeys(findings)
		if err == nil {
			findings, err = gate(findings, keys, opts, stderr)
		}
		if err != nil {
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
