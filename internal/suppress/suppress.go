// Package suppress implements //reloadvet:ignore directives: parsing them,
// dropping the findings they name, and reporting the ones that suppress
// nothing.
//
// A directive reads
//
//	//reloadvet:ignore NAME[,NAME...] reason
//
// and silences findings of the named analyzers on its own line and on the
// line below it. The reason is required. Every analyzer is wrapped by Wrap,
// so suppression works the same under every driver (the reloadvet command,
// go vet -vettool, golangci-lint); malformed directives are reported by the
// directive analyzer.
package suppress

import (
	"go/ast"
	"go/token"
	"regexp"
	"slices"
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/reloadvet/reloadvet/internal/config"
	"github.com/reloadvet/reloadvet/internal/scope"
)

// Names returns the analyzers a directive may name. The suite's test keeps
// the list in step with the analyzers it runs.
func Names() []string { return []string{"layering", "unjoined", "rawspawn", "crosscallback"} }

// Form is the accepted form of a directive, for messages.
const Form = "//reloadvet:ignore NAME[,NAME] reason"

const prefix = "//reloadvet:"

// A Directive is one //reloadvet: comment.
type Directive struct {
	Pos, End token.Pos
	Line     int
	Names    []string // analyzer names, in the order written
	Reason   string
	// Problem says why the directive is malformed; "" when it is
	// well-formed. A malformed directive suppresses nothing.
	Problem string
}

// spacedRE matches a comment that was meant as a directive but has a space
// after the slashes, which Go's directive syntax does not allow. Only the
// ignore verb counts: "// reloadvet:" alone also starts prose and YAML
// examples in doc comments.
var spacedRE = regexp.MustCompile(`^//\s+reloadvet:ignore\b`)

// Parse returns the directives in the given files.
func Parse(fset *token.FileSet, files []*ast.File) []*Directive {
	var dirs []*Directive
	for _, f := range files {
		for _, cg := range f.Comments {
			for _, c := range cg.List {
				if d := parseComment(c); d != nil {
					d.Line = fset.Position(c.Slash).Line
					dirs = append(dirs, d)
				}
			}
		}
	}
	return dirs
}

func parseComment(c *ast.Comment) *Directive {
	d := &Directive{Pos: c.Pos(), End: c.End()}
	text, ok := strings.CutPrefix(c.Text, prefix)
	if !ok {
		if spacedRE.MatchString(c.Text) {
			d.Problem = "a directive has no space after // (accepted: " + Form + ")"
			return d
		}
		return nil
	}
	verb, args, _ := strings.Cut(text, " ")
	if verb != "ignore" {
		d.Problem = "unknown directive " + prefix + verb + " (accepted: " + Form + ")"
		return d
	}
	names, reason, _ := strings.Cut(strings.TrimSpace(args), " ")
	d.Reason = strings.TrimSpace(reason)
	switch {
	case names == "":
		d.Problem = "directive names no analyzer (accepted: " + Form + ")"
		return d
	case d.Reason == "":
		d.Problem = "directive gives no reason (accepted: " + Form + ")"
	}
	d.Names = strings.Split(names, ",")
	if slices.Contains(d.Names, "") && d.Problem == "" {
		d.Problem = "empty analyzer name in " + names + " (accepted: " + Form + ")"
	}
	return d
}

// Covers reports whether a well-formed d silences a finding of analyzer
// name on line.
func (d *Directive) Covers(name string, line int) bool {
	return d.Problem == "" && (line == d.Line || line == d.Line+1) && slices.Contains(d.Names, name)
}

// Wrap returns run with suppression for the analyzer name: findings covered
// by a directive in the same file are dropped, and each directive naming
// the analyzer that covered nothing is reported as unused. run is given the
// config src holds when the pass starts.
func Wrap(name string, src *config.Source, run func(*analysis.Pass, *config.Config) (any, error)) func(*analysis.Pass) (any, error) {
	return func(pass *analysis.Pass) (any, error) {
		cfg := src.Config()
		var mine []*Directive
		byFile := map[*token.File][]*Directive{}
		for _, d := range Parse(pass.Fset, scope.Files(pass, cfg)) {
			if d.Problem == "" && slices.Contains(d.Names, name) {
				tf := pass.Fset.File(d.Pos)
				byFile[tf] = append(byFile[tf], d)
				mine = append(mine, d)
			}
		}
		if len(mine) == 0 {
			return run(pass, cfg)
		}
		used := map[*Directive]bool{}
		report := pass.Report
		pass.Report = func(diag analysis.Diagnostic) {
			tf := pass.Fset.File(diag.Pos)
			if tf != nil {
				line := tf.Line(diag.Pos)
				for _, d := range byFile[tf] {
					if d.Covers(name, line) {
						used[d] = true
						return
					}
				}
			}
			report(diag)
		}
		result, err := run(pass, cfg)
		pass.Report = report
		for _, d := range mine {
			if !used[d] {
				report(analysis.Diagnostic{
					Pos: d.Pos, End: d.End, Category: "unused-directive",
					Message: "directive suppresses no " + name + " finding on its line or the next: remove " + name + " from it",
				})
			}
		}
		return result, err
	}
}
