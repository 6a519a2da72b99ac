package directive

import (
	_ "embed"
	"fmt"
	"slices"
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/reloadvet/reloadvet/internal/analyzerdoc"
	"github.com/reloadvet/reloadvet/internal/config"
	"github.com/reloadvet/reloadvet/internal/scope"
	"github.com/reloadvet/reloadvet/internal/suggest"
	"github.com/reloadvet/reloadvet/internal/suppress"
)

//go:embed doc.go
var doc string

const name = "directive"

// Analyzer checks directives in every file but _test.go files.
var Analyzer = New(config.Default())

// New returns the directive analyzer for the given config; the config says
// whether _test.go files are checked.
func New(cfg *config.Config) *analysis.Analyzer {
	src := config.NewSource(cfg)
	a := &analysis.Analyzer{
		Name:             name,
		Doc:              analyzerdoc.MustExtract(doc, name),
		URL:              "https://pkg.go.dev/github.com/reloadvet/reloadvet/analyzers/directive",
		Run:              func(pass *analysis.Pass) (any, error) { return nil, run(pass, src.Config()) },
		RunDespiteErrors: true,
	}
	src.AddFlags(&a.Flags)
	return a
}

func run(pass *analysis.Pass, cfg *config.Config) error {
	for _, d := range suppress.Parse(pass.Fset, scope.Files(pass, cfg)) {
		if d.Problem != "" {
			report(pass, d, "malformed directive: "+d.Problem)
			continue
		}
		for _, n := range d.Names {
			if !slices.Contains(suppress.Names(), n) {
				report(pass, d, unknownNameMsg(n))
			}
		}
	}
	return nil
}

// report reports a problem with a directive.
//
//	//reloadvet:ignore layring reason
func report(pass *analysis.Pass, d *suppress.Directive, msg string) {
	pass.Report(analysis.Diagnostic{Pos: d.Pos, End: d.End, Category: "malformed-directive", Message: msg})
}

func unknownNameMsg(n string) string {
	msg := fmt.Sprintf("malformed directive: unknown analyzer %q", n)
	if s := suggest.Closest(n, suppress.Names()); s != "" {
		msg += fmt.Sprintf(", did you mean %q?", s)
	}
	return msg + " (accepted: " + strings.Join(suppress.Names(), ", ") + ")"
}
