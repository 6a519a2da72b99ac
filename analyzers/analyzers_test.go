package analyzers_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis"

	"github.com/reloadvet/reloadvet/analyzers"
	"github.com/reloadvet/reloadvet/internal/suppress"
)

func names(as []*analysis.Analyzer) []string {
	var out []string
	for _, a := range as {
		out = append(out, a.Name)
	}
	return out
}

// TestEveryFolderInSuite fails when an analyzer package exists that the
// suite does not run.
func TestEveryFolderInSuite(t *testing.T) {
	entries, err := os.ReadDir(".")
	if err != nil {
		t.Fatal(err)
	}
	suite := names(analyzers.All())
	for _, e := range entries {
		if e.IsDir() && e.Name() != "testdata" && !slices.Contains(suite, e.Name()) {
			t.Errorf("analyzers/%s is not in analyzers.New", e.Name())
		}
	}
}

func TestValidate(t *testing.T) {
	if err := analysis.Validate(analyzers.All()); err != nil {
		t.Fatal(err)
	}
	for _, a := range analyzers.All() {
		if a.URL == "" || !strings.HasSuffix(a.URL, "/analyzers/"+a.Name) {
			t.Errorf("%s: URL %q does not point at its package docs", a.Name, a.URL)
		}
		summary, _, _ := strings.Cut(a.Doc, "\n")
		if !strings.HasPrefix(summary, a.Name+": reports ") || strings.HasSuffix(summary, ".") {
			t.Errorf("%s: summary %q is not of the form %q without a period", a.Name, summary, a.Name+": reports ...")
		}
	}
}

// TestDirectiveNames keeps the names a //reloadvet:ignore directive may use
// in step with the suite: every analyzer but directive itself.
func TestDirectiveNames(t *testing.T) {
	var want []string
	for _, n := range names(analyzers.All()) {
		if n != "directive" {
			want = append(want, n)
		}
	}
	if !slices.Equal(suppress.Names(), want) {
		t.Errorf("suppress.Names() = %v, want %v", suppress.Names(), want)
	}
}

// TestCategoriesDocumented checks that every diagnostic category written in
// an analyzer's source is listed in its doc, and the reverse.
func TestCategoriesDocumented(t *testing.T) {
	for _, a := range analyzers.All() {
		used := categoriesIn(t, a.Name)
		if a.Name != "directive" {
			used = append(used, "unused-directive") // reported by suppress.Wrap
		}
		documented := documentedCategories(a.Doc)
		for _, c := range used {
			if !slices.Contains(documented, c) {
				t.Errorf("%s: category %q is not documented", a.Name, c)
			}
		}
		for _, c := range documented {
			if !slices.Contains(used, c) {
				t.Errorf("%s: documented category %q is never reported", a.Name, c)
			}
		}
	}
}

// categoriesIn returns the string literals assigned to Category fields in
// the non-test Go files of analyzers/NAME.
func categoriesIn(t *testing.T, name string) []string {
	files, _ := filepath.Glob(filepath.Join(name, "*.go"))
	var out []string
	fset := token.NewFileSet()
	for _, file := range files {
		if strings.HasSuffix(file, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, file, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.KeyValueExpr: // Diagnostic{Category: "x"}
				if isIdent(n.Key, "Category") {
					out = append(out, literal(t, fset, n.Value)...)
				}
			case *ast.AssignStmt: // category, rule = "x", "..."
				for i, lhs := range n.Lhs {
					if isIdent(lhs, "category") && i < len(n.Rhs) {
						out = append(out, literal(t, fset, n.Rhs[i])...)
					}
				}
			}
			return true
		})
	}
	return out
}

func isIdent(e ast.Expr, name string) bool {
	id, ok := e.(*ast.Ident)
	return ok && id.Name == name
}

// literal returns the string value of a literal category, and nothing for
// the variable that carries one (its assignments are collected instead).
func literal(t *testing.T, fset *token.FileSet, e ast.Expr) []string {
	switch e := e.(type) {
	case *ast.BasicLit:
		s, _ := strconv.Unquote(e.Value)
		return []string{s}
	case *ast.Ident:
		if e.Name == "category" {
			return nil
		}
	}
	t.Errorf("%s: category set from an expression; use a literal or a variable named category", fset.Position(e.Pos()))
	return nil
}

// documentedCategories returns the names listed as "  - name: ..." after a
// "Categories:" line of the doc.
func documentedCategories(doc string) []string {
	_, list, ok := strings.Cut(doc, "Categories:\n")
	if !ok {
		return nil
	}
	var out []string
	for _, line := range strings.Split(list, "\n") {
		line = strings.TrimSpace(line)
		if item, ok := strings.CutPrefix(line, "- "); ok {
			if name, _, ok := strings.Cut(item, ":"); ok {
				out = append(out, name)
			}
		}
	}
	return out
}
