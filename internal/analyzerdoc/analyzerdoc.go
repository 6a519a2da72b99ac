// Package analyzerdoc extracts an analyzer's documentation from the package
// comment of its doc.go, so that one text feeds -help, `reloadvet help NAME`
// and pkg.go.dev.
package analyzerdoc

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"strings"
)

// Extract returns the section "# Analyzer NAME" of the package comment in
// the Go source src: everything after the heading up to the next heading
// of the same form or the end of the comment. The section must start with
// the one-line summary "NAME: ...".
func Extract(src, name string) (string, error) {
	f, err := parser.ParseFile(token.NewFileSet(), "doc.go", src, parser.PackageClauseOnly|parser.ParseComments)
	if err != nil {
		return "", fmt.Errorf("parsing doc of %s: %w", name, err)
	}
	if f.Doc == nil {
		return "", fmt.Errorf("doc of %s: no package comment", name)
	}
	return section(f.Doc, name)
}

// MustExtract is Extract for package initialisation: a malformed doc.go is
// a programming error caught by every test of the analyzer.
func MustExtract(src, name string) string {
	doc, err := Extract(src, name)
	if err != nil {
		panic(err)
	}
	return doc
}

func section(doc *ast.CommentGroup, name string) (string, error) {
	heading := "# Analyzer " + name
	_, rest, ok := strings.Cut(doc.Text(), heading+"\n")
	if !ok {
		return "", fmt.Errorf("doc of %s: no %q heading", name, heading)
	}
	if i := strings.Index(rest, "\n# Analyzer "); i >= 0 {
		rest = rest[:i]
	}
	text := strings.TrimSpace(rest)
	summary, _, _ := strings.Cut(text, "\n")
	if !strings.HasPrefix(summary, name+": ") {
		return "", fmt.Errorf("doc of %s: summary line %q does not start with %q", name, summary, name+": ")
	}
	return text, nil
}
