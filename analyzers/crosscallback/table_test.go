package crosscallback

import (
	"go/types"
	"strings"
	"testing"

	"golang.org/x/tools/go/packages"
)

// TestTable checks that every entry of the built-in table names a
// function of the standard library, that the arguments it lists can hold
// a callback, and that its undo result exists.
func TestTable(t *testing.T) {
	t.Parallel()
	var paths []string
	for _, r := range registrations {
		paths = append(paths, tablePkg(r.fn))
	}
	pkgs, err := packages.Load(&packages.Config{Mode: packages.NeedName | packages.NeedTypes}, paths...)
	if err != nil {
		t.Fatal(err)
	}
	byPath := map[string]*types.Package{}
	for _, p := range pkgs {
		byPath[p.PkgPath] = p.Types
	}
	a := &pkgAnalysis{holds: map[types.Type]bool{}}
	seen := map[string]bool{}
	for _, r := range registrations {
		if seen[r.fn] {
			t.Errorf("%s: listed twice", r.fn)
		}
		seen[r.fn] = true
		fn := lookupFunc(byPath[tablePkg(r.fn)], r.fn)
		if fn == nil {
			t.Errorf("%s: no such function", r.fn)
			continue
		}
		if got := fn.Origin().FullName(); got != r.fn {
			t.Errorf("%s: FullName is %s", r.fn, got)
		}
		params := ssaParams(fn)
		for _, i := range r.args {
			if i >= len(params) || !a.mayHold(params[i]) {
				t.Errorf("%s: argument %d cannot hold a callback", r.fn, i)
			}
		}
		if r.undo >= fn.Signature().Results().Len() {
			t.Errorf("%s: no result %d to undo it", r.fn, r.undo)
		}
		if r.sink.Kind == intoRuntime && holderOf(r.sink.Pkg) != r.holder {
			t.Errorf("%s: runtime sink %q does not name its own entry", r.fn, r.sink.Pkg)
		}
	}
}

// tablePkg returns the package path of a FullName.
func tablePkg(full string) string {
	s := full
	if rest, ok := strings.CutPrefix(s, "("); ok {
		s, _, _ = strings.Cut(strings.TrimPrefix(rest, "*"), ")")
	}
	return s[:strings.LastIndex(s, ".")]
}

// lookupFunc finds the function or method a FullName names in pkg.
func lookupFunc(pkg *types.Package, full string) *types.Func {
	if pkg == nil {
		return nil
	}
	if !strings.HasPrefix(full, "(") {
		fn, _ := pkg.Scope().Lookup(full[strings.LastIndex(full, ".")+1:]).(*types.Func)
		return fn
	}
	inner, method, _ := strings.Cut(strings.TrimPrefix(full, "(*"), ").")
	typ := inner[strings.LastIndex(inner, ".")+1:]
	typ, _, _ = strings.Cut(typ, "[")
	tn, _ := pkg.Scope().Lookup(typ).(*types.TypeName)
	if tn == nil {
		return nil
	}
	obj, _, _ := types.LookupFieldOrMethod(types.NewPointer(tn.Type()), true, pkg, method)
	fn, _ := obj.(*types.Func)
	return fn
}

// ssaParams returns the types of a function's parameters as SSA numbers
// them: the receiver first.
func ssaParams(fn *types.Func) []types.Type {
	var out []types.Type
	sig := fn.Signature()
	if sig.Recv() != nil {
		out = append(out, sig.Recv().Type())
	}
	for i := range sig.Params().Len() {
		out = append(out, sig.Params().At(i).Type())
	}
	return out
}
