// Package fix applies the suggested fixes of findings to source files, or
// shows them as a unified diff.
package fix

import (
	"cmp"
	"fmt"
	"slices"

	"github.com/aymanbagabas/go-udiff"

	"github.com/reloadvet/reloadvet/internal/report"
)

// A Result is the outcome of applying fixes: the new content of each
// changed file, and the fixes left out because they conflict with another.
type Result struct {
	Files     map[string][]byte
	Conflicts []string
}

// Apply applies the first suggested fix of each finding that has one, to
// the files as read by read. A fix is applied whole or not at all: one
// whose edits overlap edits already taken is left out and named in
// Conflicts. Identical edits (the same fix reported twice) are applied once.
func Apply(fs []report.Finding, read func(string) ([]byte, error)) (*Result, error) {
	edits := map[string][]report.Edit{}
	res := &Result{Files: map[string][]byte{}}
	for _, f := range fs {
		if len(f.Fixes) == 0 {
			continue
		}
		fix := f.Fixes[0]
		if !fits(edits, fix.Edits) {
			res.Conflicts = append(res.Conflicts, fmt.Sprintf("%s: fix %q overlaps another fix: not applied", f.Posn, fix.Message))
			continue
		}
		for _, e := range fix.Edits {
			if !slices.Contains(edits[e.File], e) {
				edits[e.File] = append(edits[e.File], e)
			}
		}
	}
	for file, es := range edits {
		src, err := read(file)
		if err != nil {
			return nil, fmt.Errorf("applying fixes: %w", err)
		}
		out, err := apply(src, es)
		if err != nil {
			return nil, fmt.Errorf("applying fixes to %s: %w", file, err)
		}
		res.Files[file] = out
	}
	return res, nil
}

// fits reports whether the edits of one fix can join those already taken:
// each is either already taken or overlaps none of them.
func fits(taken map[string][]report.Edit, fix []report.Edit) bool {
	for _, e := range fix {
		for _, t := range taken[e.File] {
			if e == t {
				continue
			}
			// Two insertions at one point conflict too: their order is
			// undefined.
			if e.Start < t.End && t.Start < e.End || e.Start == t.Start {
				return false
			}
		}
	}
	return true
}

func apply(src []byte, es []report.Edit) ([]byte, error) {
	slices.SortFunc(es, func(a, b report.Edit) int { return cmp.Compare(a.Start, b.Start) })
	var out []byte
	last := 0
	for _, e := range es {
		if e.Start < last || e.End > len(src) || e.Start > e.End {
			return nil, fmt.Errorf("edit [%d,%d) is out of range or overlaps", e.Start, e.End)
		}
		out = append(out, src[last:e.Start]...)
		out = append(out, e.New...)
		last = e.End
	}
	return append(out, src[last:]...), nil
}

// Diff returns the unified diff that turns old into new for the named file.
func Diff(name string, old, new []byte) string {
	return udiff.Unified(name+" (old)", name+" (new)", string(old), string(new))
}
