package analyzers_test

import (
	"go/types"
	"slices"
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"
	"golang.org/x/tools/go/types/objectpath"

	"github.com/reloadvet/reloadvet/analyzers"
	"github.com/reloadvet/reloadvet/internal/config/configtest"
)

// TestFactsOnlyWhereEveryDriverCarriesThem runs every analyzer that uses
// facts over a package with functions of every kind and checks that facts
// sit only on objects that unitchecker can serialise (objectpath names
// them) and that importers can refer to under every driver: exported
// functions and methods. An in-memory driver (golangci-lint) would see a
// fact anywhere else that go vet and nogo do not.
func TestFactsOnlyWhereEveryDriverCarriesThem(t *testing.T) {
	cfg := configtest.Parse(t, `version: 1
modules:
  - {name: sites, packages: ["factsites/..."]}
layers: [[sites]]
`)
	// Each package holds the sites for one analyzer, with its facts as
	// "// want NAME:`fact`" comments.
	pkg := map[string]string{"unjoined": "factsites/joins", "crosscallback": "factsites/callbacks"}
	want := map[string][]string{
		"unjoined":      {"Wait", "(*G).Stop"},
		"crosscallback": {"Register", "(*T).Add", "(*u).add"},
	}
	for _, a := range analyzers.New(cfg) {
		if len(a.FactTypes) == 0 || pkg[a.Name] == "" {
			if want[a.Name] != nil {
				t.Errorf("%s: uses no facts, want facts on %v", a.Name, want[a.Name])
			}
			continue
		}
		t.Run(a.Name, func(t *testing.T) {
			results := analysistest.Run(t, analysistest.TestData(), a, pkg[a.Name])
			var got []string
			for obj, fs := range results[0].Facts {
				if obj == nil || len(fs) == 0 {
					continue
				}
				fn, ok := obj.(*types.Func)
				if !ok {
					t.Errorf("fact %v on %v, which is not a function", fs, obj)
					continue
				}
				if _, err := objectpath.For(fn); err != nil {
					t.Errorf("fact %v on %v, which objectpath cannot name: %v", fs, fn, err)
				}
				if fn.Signature().Recv() == nil && !fn.Exported() {
					t.Errorf("fact %v on unexported function %v, which no importer can refer to", fs, fn)
				}
				got = append(got, funcName(fn))
			}
			slices.Sort(got)
			w := slices.Clone(want[a.Name])
			slices.Sort(w)
			if !slices.Equal(got, w) {
				t.Errorf("facts on %v, want on %v", got, w)
			}
		})
	}
}

// funcName is F or (*T).M.
func funcName(fn *types.Func) string {
	recv := fn.Signature().Recv()
	if recv == nil {
		return fn.Name()
	}
	t := recv.Type()
	star := ""
	if p, ok := t.(*types.Pointer); ok {
		t, star = p.Elem(), "*"
	}
	return "(" + star + t.(*types.Named).Obj().Name() + ")." + fn.Name()
}
