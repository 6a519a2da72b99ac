package declared_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/reloadvet/reloadvet/internal/declared"
)

func TestRead(t *testing.T) {
	dir := t.TempDir()
	write := func(name, src string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	a := write("a.go", `package core

type Handle struct{ n int }

func (h *Handle) Go(f func()) {}
func (h Handle) Name() string { return "" }
func Spawn(f func()) {}

type Pool[T any] struct{ items []T }

func (p *Pool[T]) Submit(f func()) {}

type Wrapped struct{ *Handle }
type Named Handle
type Alias = Handle
type Starter interface{ Start(func()) }
type Fn func()
`)
	b := write("b.go", `package core

func (Fn) Call() {}
func init() {}
`)
	d, err := declared.Read([]string{a, b})
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"Handle.Go", "Handle.Name", "Spawn", "Pool.Submit", "Starter.Start", "Fn.Call"} {
		if !d.Funcs[name] {
			t.Errorf("Funcs lacks %s: %v", name, d.Funcs)
		}
	}
	if len(d.Funcs) != 6 {
		t.Errorf("Funcs = %v, want the 6 above (init is not one)", d.Funcs)
	}
	for _, typ := range []string{"Wrapped", "Named", "Alias"} {
		if !d.Open[typ] {
			t.Errorf("Open lacks %s", typ)
		}
	}
	for _, typ := range []string{"Handle", "Pool", "Starter", "Fn"} {
		if d.Open[typ] {
			t.Errorf("Open has %s, whose method set the package declares whole", typ)
		}
	}
}

func TestReadSyntaxError(t *testing.T) {
	p := filepath.Join(t.TempDir(), "bad.go")
	if err := os.WriteFile(p, []byte("package core\nfunc (\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := declared.Read([]string{p}); err == nil {
		t.Error("Read of a file with a syntax error succeeded")
	}
}
