package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
)

// listedPackage is what the command reads of a package from go list: the
// package graph, without syntax or types.
type listedPackage struct {
	ImportPath   string // "p", or "p [p.test]" for a test variant
	Name         string
	Dir          string
	ForTest      string
	DepOnly      bool
	Standard     bool
	Module       *struct{ Main bool }
	GoFiles      []string
	CgoFiles     []string
	TestGoFiles  []string
	XTestGoFiles []string
	Imports      []string          // resolved: test variants carry " [p.test]"
	Deps         []string          // every package it depends on, the implicit runtime/cgo of cgo included
	ImportMap    map[string]string // import path in source -> package path, where they differ
	Error        *struct{ Err string }
	DepsErrors   []*struct{ Err string }
}

// listFields are the fields listedPackage reads, for go list -json=...
var listFields = strings.Join([]string{"ImportPath", "Name", "Dir", "ForTest", "DepOnly", "Standard", "Module", "GoFiles", "CgoFiles", "TestGoFiles", "XTestGoFiles", "Imports", "Deps", "ImportMap", "Error", "DepsErrors"}, ",")

// pkgPath is a package's path without a test variant's " [p.test]".
func pkgPath(importPath string) string {
	path, _, _ := strings.Cut(importPath, " ")
	return path
}

// A program is the package graph of a run, as go list gives it with its
// dependencies and tests.
type program struct {
	pkgs  map[string]*listedPackage // by ImportPath
	roots []*listedPackage          // the packages the patterns name, in go list's order
}

// listProgram runs go list over the patterns, with the test variants
// go vet analyses.
func listProgram(ctx context.Context, patterns []string, tags string) (*program, error) {
	args := []string{"list", "-e", "-deps", "-test", "-json=" + listFields}
	if tags != "" {
		args = append(args, "-tags="+tags)
	}
	cmd := exec.CommandContext(ctx, "go", append(append(args, "--"), patterns...)...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("go list: %w\n%s", err, strings.TrimSpace(stderr.String()))
	}
	prog := &program{pkgs: map[string]*listedPackage{}}
	dec := json.NewDecoder(&stdout)
	for {
		p := new(listedPackage)
		if err := dec.Decode(p); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			return nil, fmt.Errorf("decoding go list output: %w", err)
		}
		prog.pkgs[p.ImportPath] = p
		if !p.DepOnly && p.ForTest == "" && !strings.HasSuffix(p.ImportPath, ".test") {
			prog.roots = append(prog.roots, p)
		}
	}
	if len(prog.roots) == 0 {
		msg := strings.TrimSpace(stderr.String())
		if msg == "" {
			msg = "no packages"
		}
		return nil, fmt.Errorf("patterns %s matched no packages (%s)", strings.Join(patterns, " "), msg)
	}
	return prog, nil
}

// namesDeps reports whether the patterns named a package outside the main
// modules: of the standard library, or of a module dependency.
func (prog *program) namesDeps() bool {
	return slices.ContainsFunc(prog.roots, func(p *listedPackage) bool {
		return p.Standard || p.Module == nil || !p.Module.Main
	})
}

// errors returns one line per package that failed to load, as go list
// reports it, sorted and without repeats (a package and its test variant
// fail alike).
func (prog *program) errors() []string {
	var msgs []string
	for _, p := range prog.pkgs {
		if p.Error != nil {
			msgs = append(msgs, fmt.Sprintf("package %s: %s", pkgPath(p.ImportPath), indent(p.Error.Err)))
		}
		for _, e := range p.DepsErrors {
			msgs = append(msgs, fmt.Sprintf("package %s: %s", pkgPath(p.ImportPath), indent(e.Err)))
		}
	}
	slices.Sort(msgs)
	return slices.Compact(msgs)
}

// indent indents the lines after the first of a message under its
// package's line.
func indent(msg string) string {
	return strings.ReplaceAll(strings.TrimSpace(msg), "\n", "\n\t\t")
}

// vetUnits returns what go vet analyses for the roots: the test program
// (testProgram), unsafe left out, since the go command analyses nothing
// for it. go vet runs the tool once for each, as the named package or for
// facts.
func (prog *program) vetUnits() []*listedPackage {
	return slices.DeleteFunc(prog.testProgram(), func(p *listedPackage) bool { return p.ImportPath == "unsafe" })
}

// testProgram returns, for each root p, the package with its in-package
// tests (p itself when it has none) and its external test package, and
// every dependency of those, each once.
func (prog *program) testProgram() []*listedPackage {
	var start []*listedPackage
	for _, r := range prog.roots {
		if ptest, ok := prog.pkgs[r.ImportPath+" ["+r.ImportPath+".test]"]; ok {
			start = append(start, ptest)
		} else if len(r.GoFiles)+len(r.CgoFiles) > 0 {
			start = append(start, r)
		}
		if pxtest, ok := prog.pkgs[r.ImportPath+"_test ["+r.ImportPath+".test]"]; ok {
			start = append(start, pxtest)
		}
	}
	return prog.closure(start)
}

// closure returns the packages in start and every package they depend
// on, each once.
func (prog *program) closure(start []*listedPackage) []*listedPackage {
	seen := map[string]bool{}
	var out []*listedPackage
	add := func(p *listedPackage) {
		if p != nil && !seen[p.ImportPath] {
			seen[p.ImportPath] = true
			out = append(out, p)
		}
	}
	for _, p := range start {
		add(p)
		for _, dep := range p.Deps {
			add(prog.pkgs[dep])
		}
	}
	return out
}

// checked returns the packages whose files the analyzers check: the roots
// and, with tests, their test variants and external test packages; and
// the whole program those import (tests or not), unsafe included, for the
// program-level passes (a module may name unsafe).
func (prog *program) checked(tests bool) (roots, all []*listedPackage) {
	if tests {
		all = prog.testProgram()
		for _, p := range all {
			if !p.DepOnly && !strings.HasSuffix(p.ImportPath, ".test") && p.ImportPath != "unsafe" {
				roots = append(roots, p)
			}
		}
		return roots, all
	}
	return prog.roots, prog.closure(prog.roots)
}

// rootIDs returns the package IDs go vet gives the findings of the roots:
// the import path of each, and of its external test package.
func (prog *program) rootIDs() map[string]bool {
	ids := map[string]bool{}
	for _, r := range prog.roots {
		ids[r.ImportPath] = true
		ids[r.ImportPath+"_test"] = true
	}
	return ids
}

// rootDirs maps each root package to its directory, to resolve the
// run's relative patterns.
func (prog *program) rootDirs() map[string]string {
	dirs := map[string]string{}
	for _, r := range prog.roots {
		dirs[r.ImportPath] = r.Dir
	}
	return dirs
}

// packageFiles maps the path of every package of pkgs to its Go files (a
// test variant's, which hold more, where there is one).
func packageFiles(pkgs []*listedPackage) map[string][]string {
	files := map[string][]string{}
	for _, p := range pkgs {
		path := pkgPath(p.ImportPath)
		if fs := p.files(); len(fs) >= len(files[path]) {
			files[path] = fs
		}
	}
	return files
}

// files returns the absolute names of a package's Go files that the
// analyzers see: its compiled files, with those of tests in a test variant.
func (p *listedPackage) files() []string {
	var out []string
	for _, f := range slices.Concat(p.GoFiles, p.CgoFiles) {
		if !filepath.IsAbs(f) {
			f = filepath.Join(p.Dir, f)
		}
		out = append(out, f)
	}
	return out
}
