package analyzerdoc

import (
	"strings"
	"testing"
)

func TestExtract(t *testing.T) {
	src := `// Package x does things.
//
// # Analyzer one
//
// one: reports first things
//
// More about one.
//
// # Analyzer two
//
// two: reports second things
package x
`
	cases := []struct{ name, want, err string }{
		{"one", "one: reports first things\n\nMore about one.", ""},
		{"two", "two: reports second things", ""},
		{"three", "", `no "# Analyzer three" heading`},
	}
	for _, tc := range cases {
		got, err := Extract(src, tc.name)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("Extract(%s) error = %v, want %q", tc.name, err, tc.err)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("Extract(%s) = %q, %v; want %q", tc.name, got, err, tc.want)
		}
	}
	bad := "// # Analyzer one\n//\n// reports things without the name\npackage x\n"
	if _, err := Extract(bad, "one"); err == nil || !strings.Contains(err.Error(), "summary line") {
		t.Errorf("Extract(summary without name) error = %v, want a summary-line error", err)
	}
}
