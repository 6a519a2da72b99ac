//go:build ignore

// Layerconfig writes a .reloadvet.yml for a sweep over a tree of packages
// that no one has configured: one module per group of packages (the first
// N path elements after a prefix; -depth 0 makes each package a group),
// with groups that import each other in a cycle merged into one module,
// and layers by import depth, so that every import goes down. The
// analyzers then check every package of the tree against a layering that
// the code itself respects. Every package given is in a module (main
// packages too), listed by its path.
//
// It is reloadvet init (internal/starter) with the choices a sweep needs;
// users start with reloadvet init.
//
// Usage (from the directory whose go command sees the packages):
//
//	go run scripts/layerconfig.go [-prefix P] [-depth N] [-spawner NAME] PATTERN... > cfg.yml
//
// For the standard library: go run scripts/layerconfig.go std > /tmp/std.yml
package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"io"
	"log"
	"os"
	"os/exec"
	"strings"

	"github.com/reloadvet/reloadvet/internal/starter"
)

func main() {
	prefix := flag.String("prefix", "", "import path prefix the groups are taken under (default: none, the first element)")
	depth := flag.Int("depth", 1, "path elements after the prefix that name a group; 0 for one group per package")
	spawner := flag.String("spawner", "", "a spawners entry to write, if any")
	flag.Parse()
	log.SetFlags(0)

	out, err := exec.Command("go", append([]string{"list", "-e", "-json=ImportPath,Name,Imports"}, flag.Args()...)...).Output()
	if err != nil {
		log.Fatalf("go list: %v", err)
	}
	var pkgs []starter.Package
	dec := json.NewDecoder(bytes.NewReader(out))
	for {
		var p struct {
			ImportPath, Name string
			Imports          []string
		}
		if err := dec.Decode(&p); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			log.Fatal(err)
		}
		pkgs = append(pkgs, starter.Package{Path: p.ImportPath, Name: p.Name, Imports: p.Imports})
	}
	plan := starter.Propose(pkgs, starter.Options{Prefix: *prefix, Depth: *depth, MergeCycles: true, KeepMain: true, Exact: true})
	r := starter.Render{Command: "go run scripts/layerconfig.go " + strings.Join(os.Args[1:], " ")}
	if *spawner != "" {
		r.Spawners = []string{*spawner}
	}
	os.Stdout.Write(plan.YAML(r))
}
