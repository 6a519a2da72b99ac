package main

import (
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io"
	"io/fs"
	"path/filepath"
	"strings"

	"github.com/reloadvet/reloadvet/internal/baseline"
	"github.com/reloadvet/reloadvet/internal/report"
)

// checkBaselineFlags refuses combinations of the baseline flags that have
// no meaning.
func checkBaselineFlags(opts *options) error {
	switch {
	case opts.baselineUpdate && opts.baseline == "":
		return errors.New("-baseline-update needs -baseline FILE (accepted: -baseline FILE -baseline-update)")
	case opts.baseline != "" && (opts.fix || opts.diff):
		return errors.New("-baseline cannot be combined with -fix or -diff (accepted: one of them per run)")
	}
	return nil
}

// gate applies the baseline file named by -baseline: it writes the file
// when it does not exist or -baseline-update asks for it, and otherwise
// returns only the findings the file does not hold. It reports on stderr
// what it did, and how many baselined findings no longer occur.
func gate(findings []report.Finding, keys []baseline.Key, opts *options, stderr io.Writer) ([]report.Finding, error) {
	path := opts.baseline
	old, err := baseline.Read(path)
	missing := errors.Is(err, fs.ErrNotExist)
	if err != nil && !missing {
		return nil, err
	}
	if missing || opts.baselineUpdate {
		b := baseline.New(keys)
		if err := b.WriteFile(path); err != nil {
			return nil, err
		}
		what := "wrote"
		if !missing {
			what = "rewrote"
		}
		fmt.Fprintf(stderr, "reloadvet: baseline %s: %s %d entries for %d findings; later runs report only findings not in it\n", path, what, len(b.Entries), b.Total())
		return nil, nil
	}
	isNew, gone := old.Match(keys)
	var fresh []report.Finding
	for i, f := range findings {
		if isNew[i] {
			fresh = append(fresh, f)
		}
	}
	fmt.Fprintf(stderr, "reloadvet: baseline %s: %d findings known, %d new\n", path, len(findings)-len(fresh), len(fresh))
	if gone > 0 {
		fmt.Fprintf(stderr, "reloadvet: baseline %s: %d of its %d findings no longer occur; run with -baseline-update to drop them\n", path, gone, old.Total())
	}
	return fresh, nil
}

// baselineKeys returns the baseline key of each finding, naming the
// declaration that encloses it: the files that hold findings are parsed,
// each once.
func baselineKeys(findings []report.Finding) ([]baseline.Key, error) {
	fset := token.NewFileSet()
	files := map[string]*ast.File{}
	keys := make([]baseline.Key, len(findings))
	for i, f := range findings {
		function := "<file " + filepath.Base(f.Posn.Filename) + ">"
		if strings.HasSuffix(f.Posn.Filename, ".go") {
			file, ok := files[f.Posn.Filename]
			if !ok {
				var err error
				file, err = parser.ParseFile(fset, f.Posn.Filename, nil, parser.SkipObjectResolution)
				if err != nil {
					return nil, fmt.Errorf("naming the declaration of a finding: %w", err)
				}
				files[f.Posn.Filename] = file
			}
			if pos, ok := posOf(fset, file, f.Posn); ok {
				function = baseline.Enclosing(fset, file, pos)
			}
		}
		keys[i] = baseline.NewKey(f.Analyzer, f.Package, function, f.Message)
	}
	return keys, nil
}

// posOf returns the token.Pos of a line and column in a parsed file.
func posOf(fset *token.FileSet, file *ast.File, p token.Position) (token.Pos, bool) {
	tf := fset.File(file.FileStart)
	if p.Line < 1 || p.Line > tf.LineCount() {
		return token.NoPos, false
	}
	pos := tf.LineStart(p.Line) + token.Pos(p.Column-1)
	if int(pos-tf.Pos(0)) > tf.Size() {
		return token.NoPos, false
	}
	return pos, true
}
