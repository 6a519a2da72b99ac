package main

import (
	"errors"
	"fmt"
	"go/ast"
	"go/token"
	"io"
	"io/fs"
	"path/filepath"

	"golang.org/x/tools/go/analysis/checker"

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

// fileSyntax is a parsed file and the file set that positions it.
type fileSyntax struct {
	fset *token.FileSet
	file *ast.File
}

// baselineKeys returns the baseline key of each finding, naming the
// declaration that encloses it from the syntax of the analysed packages.
func baselineKeys(g *checker.Graph, findings []report.Finding) []baseline.Key {
	files := map[string]fileSyntax{}
	for _, act := range g.Roots {
		fset := act.Package.Fset
		for _, f := range act.Package.Syntax {
			files[fset.File(f.FileStart).Name()] = fileSyntax{fset, f}
		}
	}
	keys := make([]baseline.Key, len(findings))
	for i, f := range findings {
		function := "<file " + filepath.Base(f.Posn.Filename) + ">"
		if s, ok := files[f.Posn.Filename]; ok {
			if tf := s.fset.File(s.file.FileStart); f.Posn.Offset <= tf.Size() {
				function = baseline.Enclosing(s.fset, s.file, tf.Pos(f.Posn.Offset))
			}
		}
		keys[i] = baseline.NewKey(f.Analyzer, f.Package, function, f.Message)
	}
	return keys
}
