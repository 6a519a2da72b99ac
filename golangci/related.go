package golangci

import (
	"fmt"
	"path/filepath"
	"strings"

	"golang.org/x/tools/go/analysis"
)

// oneIssue returns a copy of a whose findings carry their related places
// in the message, so that each finding is one golangci-lint issue.
//
// golangci-lint turns every related place of a diagnostic into an issue of
// its own ("layering(related information): ..."). Those count against its
// per-linter cap (50 by default) like findings, so a run with many related
// places silently drops real findings past the cap. Folded, a finding is
// one issue and keeps everything it said:
//
//	layering: module database (layer 2) imports module api (layer 3): a module
//	may only import lower layers (see .reloadvet.yml:4:5: module database is
//	declared in layer 2; .reloadvet.yml:6:5: module api is declared in layer 3)
//
// Paths are relative to dir, the directory golangci-lint runs in, when they
// lie below it.
func oneIssue(a *analysis.Analyzer, dir string) *analysis.Analyzer {
	w := *a
	w.Run = func(pass *analysis.Pass) (any, error) {
		report := pass.Report
		pass.Report = func(d analysis.Diagnostic) { report(fold(pass, dir, d)) }
		defer func() { pass.Report = report }()
		return a.Run(pass)
	}
	return &w
}

// fold moves d's related places into its message.
func fold(pass *analysis.Pass, dir string, d analysis.Diagnostic) analysis.Diagnostic {
	if len(d.Related) == 0 {
		return d
	}
	parts := make([]string, len(d.Related))
	for i, r := range d.Related {
		posn := pass.Fset.Position(r.Pos)
		if !posn.IsValid() {
			parts[i] = r.Message
			continue
		}
		posn.Filename = relative(dir, posn.Filename)
		parts[i] = fmt.Sprintf("%s: %s", posn, r.Message)
	}
	d.Message += " (see " + strings.Join(parts, "; ") + ")"
	d.Related = nil
	return d
}

// relative is name relative to dir when it lies below dir.
func relative(dir, name string) string {
	if dir == "" || !filepath.IsAbs(name) {
		return name
	}
	if rel, err := filepath.Rel(dir, name); err == nil && !strings.HasPrefix(rel, "..") {
		return rel
	}
	return name
}
