//go:build ignore

// Findings prints the findings of go vet -json output (one JSON tree per
// package, as go vet prints them, or the one tree reloadvet -json prints)
// as sorted lines "file:line:col: analyzer: message", each once: the form
// scripts/bench-real.sh diffs the drivers in.
//
//	go run scripts/findings.go [-per-package] < vet.json
//
// -per-package leaves out the module cycles, which only the reloadvet
// command names (a program-level pass).
package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"slices"
)

func main() {
	perPackage := flag.Bool("per-package", false, "leave out the program-level findings (module cycles)")
	flag.Parse()
	log.SetFlags(0)
	dec := json.NewDecoder(os.Stdin)
	var lines []string
	for {
		var tree map[string]map[string]json.RawMessage
		if err := dec.Decode(&tree); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			log.Fatalf("findings: decoding: %v", err)
		}
		for pkg, byAnalyzer := range tree {
			for analyzer, raw := range byAnalyzer {
				var diags []struct {
					Category, Posn, Message string
				}
				if err := json.Unmarshal(raw, &diags); err != nil {
					log.Fatalf("findings: %s: %s: not a list of diagnostics: %s", pkg, analyzer, raw)
				}
				for _, d := range diags {
					if *perPackage && d.Category == "module-cycle" {
						continue
					}
					lines = append(lines, fmt.Sprintf("%s: %s: %s", d.Posn, analyzer, d.Message))
				}
			}
		}
	}
	slices.Sort(lines)
	for _, l := range slices.Compact(lines) {
		fmt.Println(l)
	}
}
