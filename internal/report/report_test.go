package report

import (
	"encoding/json"
	"go/token"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestSARIFWithoutFindings(t *testing.T) {
	var b strings.Builder
	if err := WriteSARIF(&b, nil, SARIFOptions{Dir: "/src", Rules: []Rule{{ID: "layering", Summary: "reports x", Help: "doc", URL: "https://example.com"}}}); err != nil {
		t.Fatal(err)
	}
	var log struct {
		Runs []map[string]json.RawMessage `json:"runs"`
	}
	if err := json.Unmarshal([]byte(b.String()), &log); err != nil {
		t.Fatal(err)
	}
	if got := string(log.Runs[0]["results"]); got != "[]" {
		t.Errorf(`results = %s, want [] so that "no findings" is explicit`, got)
	}
}

func TestSARIFPaths(t *testing.T) {
	f := Finding{
		Analyzer: "layering", Message: "m",
		Posn:    token.Position{Filename: "/src/a/b.go", Line: 3, Column: 2},
		End:     token.Position{Filename: "/src/a/b.go", Line: 3, Column: 9},
		Related: []Related{{Posn: token.Position{Filename: "/elsewhere/c.yml", Line: 1, Column: 1}, Message: "r"}},
	}
	var b strings.Builder
	if err := WriteSARIF(&b, []Finding{f}, SARIFOptions{Dir: "/src"}); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"uri": "a/b.go"`, `"uriBaseId": "%SRCROOT%"`, `"uri": "file:///elsewhere/c.yml"`, `"endColumn": 9`, `"suppressions": []`} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("SARIF lacks %s:\n%s", want, b.String())
		}
	}
}

func TestTextContext(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "a.go")
	if err := os.WriteFile(file, []byte("package a\n\nimport \"x\"\n\nvar y = 1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	f := Finding{Analyzer: "layering", Message: "bad import", Posn: token.Position{Filename: file, Line: 3, Column: 8}}
	var b strings.Builder
	if err := WriteText(&b, []Finding{f}, TextOptions{Dir: dir, Context: 1}); err != nil {
		t.Fatal(err)
	}
	want := "a.go:3:8: bad import (layering)\n2\t\n3\timport \"x\"\n4\t\n"
	if b.String() != want {
		t.Errorf("text:\n%q\nwant:\n%q", b.String(), want)
	}
}

func TestSortDropsRepeats(t *testing.T) {
	p := func(line int) token.Position { return token.Position{Filename: "a.go", Line: line, Column: 1} }
	fs := Sort([]Finding{
		{Analyzer: "b", Posn: p(2), Message: "x", Package: "p [p.test]"},
		{Analyzer: "a", Posn: p(2), Message: "x"},
		{Analyzer: "b", Posn: p(2), Message: "x", Package: "p"},
		{Analyzer: "a", Posn: p(1), Message: "y"},
	})
	var got []string
	for _, f := range fs {
		got = append(got, f.Analyzer+f.Message)
	}
	if strings.Join(got, " ") != "ay ax bx" {
		t.Errorf("Sort = %v, want [ay ax bx]", got)
	}
}
