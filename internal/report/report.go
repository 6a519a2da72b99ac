// Package report presents findings: as text lines, as the JSON tree that
// go vet -json prints, and as SARIF 2.1.0 for code scanning. Drivers turn
// analysis diagnostics into Findings; nothing here analyses code.
package report

import (
	"cmp"
	"go/token"
	"path/filepath"
	"slices"
	"strings"
)

// A Finding is one diagnostic of one analyzer, with positions resolved.
type Finding struct {
	Analyzer string
	Category string
	Package  string // package ID, as go vet -json keys it ("p [p.test]")
	Posn     token.Position
	End      token.Position
	Message  string
	Related  []Related
	Fixes    []Fix
}

// Related is a secondary place of a finding.
type Related struct {
	Posn, End token.Position
	Message   string
}

// A Fix is a suggested fix: edits to apply together.
type Fix struct {
	Message string
	Edits   []Edit
}

// An Edit replaces bytes [Start, End) of File with New.
type Edit struct {
	File       string
	Start, End int
	New        string
}

// Sort orders findings by file, line, column, analyzer and message, and
// drops exact repeats (a file analysed as part of p and of p's test
// variant yields the same finding twice).
func Sort(fs []Finding) []Finding {
	slices.SortStableFunc(fs, func(a, b Finding) int {
		return cmp.Or(
			cmp.Compare(a.Posn.Filename, b.Posn.Filename),
			cmp.Compare(a.Posn.Line, b.Posn.Line),
			cmp.Compare(a.Posn.Column, b.Posn.Column),
			cmp.Compare(a.Analyzer, b.Analyzer),
			cmp.Compare(a.Message, b.Message),
		)
	})
	return slices.CompactFunc(fs, func(a, b Finding) bool {
		return a.Posn == b.Posn && a.End == b.End && a.Analyzer == b.Analyzer && a.Message == b.Message
	})
}

// relPath returns name relative to dir when it lies below dir, else name.
func relPath(dir, name string) string {
	if dir == "" || !filepath.IsAbs(name) {
		return name
	}
	rel, err := filepath.Rel(dir, name)
	if err != nil || strings.HasPrefix(rel, "..") {
		return name
	}
	return rel
}
