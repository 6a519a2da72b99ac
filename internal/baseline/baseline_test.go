package baseline

import (
	"bytes"
	"errors"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestNewKey(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ pkg, msg, wantPkg, wantMsg string }{
		{"a/b", "plain message", "a/b", "plain message"},
		{"a/b [a/b.test]", "m", "a/b", "m"},
		{"a/b_test [a/b.test]", "m", "a/b_test", "m"},
		{"p", "goroutine is not joined on the path that returns at line 42", "p", "goroutine is not joined on the path that returns at line _"},
		{"p", "see lines 3-7 and x.go:12:4 and y.go:9", "p", "see lines _ and x.go:_ and y.go:_"},
		{"p", "module api (layer 3) imports pipeline7", "p", "module api (layer 3) imports pipeline7"},
	} {
		k := NewKey("a", tc.pkg, "F", tc.msg)
		if k.Package != tc.wantPkg || k.Message != tc.wantMsg {
			t.Errorf("NewKey(%q, %q) = %q, %q; want %q, %q", tc.pkg, tc.msg, k.Package, k.Message, tc.wantPkg, tc.wantMsg)
		}
	}
}

func TestMatch(t *testing.T) {
	t.Parallel()
	a := NewKey("layering", "p", "F", "a")
	b := NewKey("layering", "p", "G", "b")
	c := NewKey("layering", "q", "F", "c")
	base := New([]Key{a, a, b, c})
	if got := base.Total(); got != 4 {
		t.Fatalf("Total() = %d, want 4", got)
	}
	// a three times (one more than before), b gone, c as before, d new.
	d := NewKey("directive", "p", "F", "d")
	isNew, gone := base.Match([]Key{a, c, a, a, d})
	if want := []bool{false, false, false, true, true}; !slices.Equal(isNew, want) {
		t.Errorf("isNew = %v, want %v", isNew, want)
	}
	if gone != 1 {
		t.Errorf("gone = %d, want 1 (b)", gone)
	}
}

func TestRoundTrip(t *testing.T) {
	t.Parallel()
	keys := []Key{
		NewKey("layering", "q", "<file q.go>", "m2"),
		NewKey("layering", "p", "F", "m1"),
		NewKey("layering", "p", "F", "m1"),
	}
	base := New(keys)
	var buf bytes.Buffer
	if err := base.Write(&buf); err != nil {
		t.Fatal(err)
	}
	want := `{
  "version": 1,
  "entries": [
    {
      "analyzer": "layering",
      "package": "p",
      "function": "F",
      "message": "m1",
      "count": 2
    },
    {
      "analyzer": "layering",
      "package": "q",
      "function": "<file q.go>",
      "message": "m2",
      "count": 1
    }
  ]
}
`
	if buf.String() != want {
		t.Errorf("Write:\n%s\nwant:\n%s", buf.String(), want)
	}
	// The order does not depend on the order of the findings.
	var again bytes.Buffer
	if err := New([]Key{keys[2], keys[0], keys[1]}).Write(&again); err != nil {
		t.Fatal(err)
	}
	if again.String() != want {
		t.Errorf("the order of findings changed the file:\n%s", again.String())
	}
	path := filepath.Join(t.TempDir(), "baseline.json")
	if err := base.WriteFile(path); err != nil {
		t.Fatal(err)
	}
	read, err := Read(path)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(read.Entries, base.Entries) {
		t.Errorf("read %+v, wrote %+v", read.Entries, base.Entries)
	}
}

func TestEmpty(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	if err := New(nil).Write(&buf); err != nil {
		t.Fatal(err)
	}
	if want := "{\n  \"version\": 1,\n  \"entries\": []\n}\n"; buf.String() != want {
		t.Errorf("empty baseline:\n%s\nwant:\n%s", buf.String(), want)
	}
}

func TestReadErrors(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	for _, tc := range []struct{ name, content, want string }{
		{"syntax", "{\n  \"version\": 1,\n  \"entries\": [}\n", "syntax.json:3:15: invalid character '}' looking for beginning of value (accepted: the JSON that -baseline writes)"},
		{"unknown key", `{"version": 1, "entries": [{"analyzer": "a", "package": "p", "count": 1, "line": 3}]}`, `unknown key.json: json: unknown field "line" (accepted: the JSON that -baseline writes)`},
		{"wrong type", `{"version": "1", "entries": []}`, `wrong type.json:1:15: json: cannot unmarshal string into Go struct field Baseline.version of type int`},
		{"version", `{"version": 2, "entries": []}`, `version.json: version: unsupported version 2 (accepted: 1)`},
		{"count", `{"version": 1, "entries": [{"analyzer": "a", "package": "p", "count": 0}]}`, `count.json: entries[0].count: 0 (accepted: 1 or more)`},
		{"analyzer", `{"version": 1, "entries": [{"package": "p", "count": 1}]}`, `analyzer.json: entries[0].analyzer: missing (accepted: an analyzer name)`},
		{"two values", `{"version": 1, "entries": []} {}`, `two values.json: more than one JSON value (accepted: one object)`},
	} {
		path := filepath.Join(dir, tc.name+".json")
		if err := os.WriteFile(path, []byte(tc.content), 0o644); err != nil {
			t.Fatal(err)
		}
		_, err := Read(path)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: Read error\n%v\nwant it to contain\n%s", tc.name, err, tc.want)
		}
	}
	if _, err := Read(filepath.Join(dir, "missing.json")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("a missing file gave %v, want an error wrapping fs.ErrNotExist", err)
	}
}

func TestEnclosing(t *testing.T) {
	t.Parallel()
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "/src/p/p.go", enclosingSource, parser.ParseComments)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"@import":  "<file p.go>",
		"@doc":     "<file p.go>",
		"@literal": "Start",
		"@stop":    "(*Server).Stop",
		"@len":     "List.Len",
		"@get":     "(*Map).Get",
		"@init":    "init",
		"@var":     "var pool",
		"@b":       "var b",
		"@const":   "const c",
		"@type":    "type Hooks",
	}
	for _, cg := range f.Comments {
		for _, c := range cg.List {
			marker := markerOf(c)
			if marker == "" {
				continue
			}
			// A finding at the first token of the marker's line.
			if got := Enclosing(fset, f, firstToken(fset, f, c.Pos())); got != want[marker] {
				t.Errorf("%s: Enclosing = %q, want %q", marker, got, want[marker])
			}
			delete(want, marker)
		}
	}
	for m := range want {
		t.Errorf("marker %s not found", m)
	}
}

func markerOf(c *ast.Comment) string {
	i := strings.Index(c.Text, "@")
	if i < 0 {
		return ""
	}
	m := c.Text[i:]
	if j := strings.IndexAny(m, ": *"); j >= 0 {
		m = m[:j]
	}
	return m
}

func firstToken(fset *token.FileSet, f *ast.File, pos token.Pos) token.Pos {
	tf := fset.File(f.FileStart)
	off := tf.Offset(tf.LineStart(tf.Line(pos)))
	for enclosingSource[off] == ' ' || enclosingSource[off] == '\t' {
		off++
	}
	return tf.Pos(off)
}

const enclosingSource = `package p

import "fmt" // @import

// @doc: a comment between declarations
func Start() { go func() { fmt.Println() /* @literal */ }() }

func (s *Server) Stop() {} // @stop

func (l List[T]) Len() int { return 0 /* @len */ }

func (m *Map[K, V]) Get() {} // @get

func init() { /* @init */ }

var pool = 1 // @var

var (
	a = 1
	b = 2 // @b
)

const c, d = 1, 2 // @const

type Hooks struct{ x int /* @type */ }

type Server struct{}
type List[T any] []T
type Map[K comparable, V any] map[K]V
`
