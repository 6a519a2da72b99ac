package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"

	"github.com/reloadvet/reloadvet/internal/config"
	"github.com/reloadvet/reloadvet/internal/starter"
)

// loaderSpawner is the loader's own spawner, written as an entry when the
// program imports the loader.
const (
	loaderPath    = "github.com/reloadvet/reloadvet/loader"
	loaderSpawner = loaderPath + ".(*Handle).Go"
)

// initOptions are the flags of reloadvet init.
type initOptions struct {
	depth int
	merge bool
	out   string
	tags  string
}

// initFlagSet returns the flags of reloadvet init bound to opts.
func initFlagSet(stderr io.Writer, opts *initOptions) *flag.FlagSet {
	fs := flag.NewFlagSet("reloadvet init", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.IntVar(&opts.depth, "depth", 1, "path elements below the module path that name a module; 0 makes each package a module")
	fs.BoolVar(&opts.merge, "merge-cycles", false, "merge modules that import each other in a cycle into one module, instead of keeping them apart")
	fs.StringVar(&opts.out, "o", "", "write the config to `file` (- for stdout; default .reloadvet.yml at the module root)")
	fs.StringVar(&opts.tags, "tags", "", "comma-separated build `tags`")
	fs.Usage = func() {
		fmt.Fprintln(stderr, `usage: reloadvet init [-depth N] [-merge-cycles] [-o file] [packages]

Writes a starter .reloadvet.yml for the packages (default: every package
of the main module) from their import graph: a module per directory at
the depth, layers so that every import goes down, the host program
(package main) left out, and the methods that look like spawners as
comments. It never overwrites a file.

Flags:`)
		fs.PrintDefaults()
	}
	return fs
}

// initConfig writes a starter .reloadvet.yml from the import graph.
func initConfig(args []string, stdout, stderr io.Writer) int {
	opts := &initOptions{}
	fs := initFlagSet(stderr, opts)
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
	if opts.depth < 0 {
		fmt.Fprintf(stderr, "reloadvet init: -depth %d: want 0 or more\n", opts.depth)
		return exitUsage
	}
	mod, err := mainModule()
	if err != nil {
		fmt.Fprintf(stderr, "reloadvet init: %v\n", err)
		return exitError
	}
	patterns := fs.Args()
	if len(patterns) == 0 {
		patterns = []string{mod.Path + "/..."} // the config is the module's, wherever init runs
	}
	target := opts.out
	if target == "" {
		target = filepath.Join(mod.Dir, config.FileNames[0])
	}
	if target != "-" {
		if err := refuseExisting(target); err != nil {
			fmt.Fprintf(stderr, "reloadvet init: %v\n", err)
			return exitError
		}
	}
	pkgs, err := listPackages(patterns, opts.tags)
	if err != nil {
		fmt.Fprintf(stderr, "reloadvet init: %v\n", err)
		return exitError
	}
	var tree []starter.Package
	for _, p := range pkgs {
		tree = append(tree, starter.Package{Path: p.ImportPath, Name: p.Name, Imports: p.Imports})
	}
	plan := starter.Propose(tree, starter.Options{Prefix: mod.Path, Depth: opts.depth, MergeCycles: opts.merge})
	if len(plan.Modules) == 0 {
		fmt.Fprintf(stderr, "reloadvet init: the packages %s hold no package below %s but main packages: no modules to propose\n", strings.Join(patterns, " "), mod.Path)
		return exitError
	}
	r := starter.Render{Command: strings.Join(append([]string{"reloadvet", "init"}, args...), " ")}
	r.Candidates, r.Spawners = spawnerCandidates(plan, pkgs)
	data := plan.YAML(r)
	// What init writes must be a config reloadvet reads.
	if _, err := config.Parse(target, data); err != nil {
		fmt.Fprintf(stderr, "reloadvet init: internal error: the config written is not valid:\n%v\n", err)
		return exitError
	}
	if target == "-" {
		if _, err := stdout.Write(data); err != nil {
			fmt.Fprintf(stderr, "reloadvet init: %v\n", err)
			return exitError
		}
	} else if err := writeNew(target, data); err != nil {
		fmt.Fprintf(stderr, "reloadvet init: %v\n", err)
		return exitError
	}
	summary(stderr, target, plan, r)
	return exitClean
}

// summary says what init wrote and what to do next.
func summary(w io.Writer, target string, plan *starter.Plan, r starter.Render) {
	name := target
	if target != "-" {
		name = displayPath(workDir(), target)
	}
	fmt.Fprintf(w, "reloadvet init: wrote %s: %s in %s", name, count(len(plan.Modules), "module"), count(len(plan.Layers), "layer"))
	if len(plan.Host) > 0 {
		fmt.Fprintf(w, ", %s left out as the host", count(len(plan.Host), "main package"))
	}
	fmt.Fprintln(w)
	if len(plan.Against) > 0 {
		fmt.Fprintf(w, "reloadvet init: %s against the layers (modules that import each other in a cycle); reloadvet reports them until they are removed, or use -merge-cycles\n", count(len(plan.Against), "import goes", "imports go"))
	}
	if len(r.Candidates) > 0 {
		fmt.Fprintf(w, "reloadvet init: %s like spawners: see the comments above spawners:\n", count(len(r.Candidates), "method looks", "methods look"))
	}
	fmt.Fprintln(w, "reloadvet init: next, read the file, then run: reloadvet ./...")
}

// listPackages runs go list on the patterns and fails, naming each, if a
// package cannot be loaded.
func listPackages(patterns []string, tags string) ([]listedPackage, error) {
	args := []string{"list", "-e", "-json=ImportPath,Name,Dir,GoFiles,Imports,Error"}
	if tags != "" {
		args = append(args, "-tags="+tags)
	}
	cmd := exec.Command("go", append(args, patterns...)...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	data, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("go list %s: %w\n%s", strings.Join(patterns, " "), err, stderr.String())
	}
	var pkgs []listedPackage
	var broken []string
	dec := json.NewDecoder(bytes.NewReader(data))
	for {
		var p listedPackage
		if err := dec.Decode(&p); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			return nil, fmt.Errorf("decoding go list output: %w", err)
		}
		if p.Error != nil {
			broken = append(broken, fmt.Sprintf("package %s: %s", p.ImportPath, p.Error.Err))
			continue
		}
		pkgs = append(pkgs, p)
	}
	if len(broken) > 0 {
		return nil, fmt.Errorf("packages failed to load:\n\t%s", strings.Join(broken, "\n\t"))
	}
	if len(pkgs) == 0 {
		return nil, fmt.Errorf("patterns %s matched no packages", strings.Join(patterns, " "))
	}
	return pkgs, nil
}

// spawnerCandidates parses the modules' packages (their own files only)
// for methods that look like spawners, and returns the loader's spawner as
// an entry when a module uses the loader.
func spawnerCandidates(plan *starter.Plan, pkgs []listedPackage) (candidates []starter.Candidate, entries []string) {
	owned := map[string]bool{}
	for _, m := range plan.Modules {
		for _, p := range m.Members {
			owned[p] = true
		}
	}
	for _, p := range pkgs {
		if !owned[p.ImportPath] {
			continue
		}
		if slices.Contains(p.Imports, loaderPath) && !slices.Contains(entries, loaderSpawner) {
			entries = append(entries, loaderSpawner)
		}
		fset := token.NewFileSet()
		var files []*ast.File
		for _, name := range p.GoFiles {
			// A file that does not parse cannot hold a candidate worth
			// naming; go list already said the package loads.
			if f, err := parser.ParseFile(fset, filepath.Join(p.Dir, name), nil, parser.SkipObjectResolution); err == nil {
				files = append(files, f)
			}
		}
		candidates = append(candidates, starter.Candidates(p.ImportPath, files)...)
	}
	slices.SortFunc(candidates, func(a, b starter.Candidate) int { return strings.Compare(a.Name, b.Name) })
	return candidates, entries
}

// moduleInfo is the main module, as go list -m reports it.
type moduleInfo struct{ Path, Dir string }

func mainModule() (moduleInfo, error) {
	cmd := exec.Command("go", "list", "-m", "-json")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	data, err := cmd.Output()
	if err != nil {
		return moduleInfo{}, fmt.Errorf("finding the main module (go list -m): %w\n%s", err, stderr.String())
	}
	var m moduleInfo
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&m); err != nil {
		return moduleInfo{}, fmt.Errorf("decoding go list -m output: %w", err)
	}
	if dec.More() {
		return moduleInfo{}, errors.New("the go command sees several main modules (a workspace): run reloadvet init in one module, with GOWORK=off")
	}
	return m, nil
}

// refuseExisting fails when target exists, or when a config that the
// reloadvet command would use here already exists: init never overwrites
// one, nor writes one that another would shadow.
func refuseExisting(target string) error {
	if _, err := os.Stat(target); err == nil {
		return fmt.Errorf("%s already exists: edit it, or remove it to start again (init never overwrites a file)", displayPath(workDir(), target))
	}
	found, err := config.Find(workDir())
	if err != nil {
		return err
	}
	if found != "" {
		return fmt.Errorf("%s already exists and is the config here: edit it, or remove it to start again", displayPath(workDir(), found))
	}
	return nil
}

// writeNew writes a file that must not exist yet.
func writeNew(name string, data []byte) (err error) {
	f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		if errors.Is(err, os.ErrExist) {
			return fmt.Errorf("%s already exists: edit it, or remove it to start again (init never overwrites a file)", name)
		}
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	_, err = f.Write(data)
	return err
}

// count words n things: "1 main package", "2 main packages"; a plural
// other than one with an s is given after the singular.
func count(n int, one string, many ...string) string {
	if n == 1 {
		return "1 " + one
	}
	if len(many) > 0 {
		return fmt.Sprintf("%d %s", n, many[0])
	}
	return fmt.Sprintf("%d %ss", n, one)
}
