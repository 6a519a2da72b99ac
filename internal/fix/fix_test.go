package fix

import (
	"fmt"
	"go/token"
	"strings"
	"testing"

	"github.com/reloadvet/reloadvet/internal/report"
)

func finding(line int, msg string, edits ...report.Edit) report.Finding {
	return report.Finding{
		Analyzer: "test", Posn: token.Position{Filename: "a.go", Line: line, Column: 1},
		Message: msg, Fixes: []report.Fix{{Message: msg, Edits: edits}},
	}
}

func TestApply(t *testing.T) {
	src := "go f(x)\ngo g(y)\ngo h(z)\n"
	read := func(name string) ([]byte, error) {
		if name != "a.go" {
			return nil, fmt.Errorf("no file %s", name)
		}
		return []byte(src), nil
	}
	edit := func(start, end int, s string) report.Edit {
		return report.Edit{File: "a.go", Start: start, End: end, New: s}
	}
	fs := []report.Finding{
		finding(1, "wrap f", edit(0, 2, "h.Go(func() {"), edit(7, 7, "})")),
		finding(1, "wrap f again", edit(0, 2, "h.Go(func() {"), edit(7, 7, "})")), // the same fix twice: applied once
		finding(2, "wrap g", edit(8, 15, "h.Go(g, y)")),
		finding(2, "conflicting", edit(11, 12, "G")), // inside the g edit
		{Analyzer: "test", Message: "no fix"},
	}
	res, err := Apply(fs, read)
	if err != nil {
		t.Fatal(err)
	}
	want := "h.Go(func() { f(x)})\nh.Go(g, y)\ngo h(z)\n"
	if got := string(res.Files["a.go"]); got != want {
		t.Errorf("fixed file:\n%s\nwant:\n%s", got, want)
	}
	if len(res.Conflicts) != 1 || !strings.Contains(res.Conflicts[0], `fix "conflicting" overlaps another fix`) {
		t.Errorf("Conflicts = %q, want the one conflicting fix", res.Conflicts)
	}
	d := Diff("a.go", []byte(src), res.Files["a.go"])
	for _, line := range []string{"--- a.go (old)", "+++ a.go (new)", "-go f(x)", "+h.Go(func() { f(x)})", " go h(z)"} {
		if !strings.Contains(d, line+"\n") {
			t.Errorf("diff lacks %q:\n%s", line, d)
		}
	}
}

func TestApplyReadError(t *testing.T) {
	fs := []report.Finding{finding(1, "x", report.Edit{File: "missing.go", Start: 0, End: 0, New: "x"})}
	_, err := Apply(fs, func(string) ([]byte, error) { return nil, fmt.Errorf("gone") })
	if err == nil || !strings.Contains(err.Error(), "gone") {
		t.Errorf("Apply with unreadable file: err = %v, want it passed on", err)
	}
}
