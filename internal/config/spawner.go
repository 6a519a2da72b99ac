package config

import (
	"fmt"
	"go/token"
	"go/types"
	"strings"

	"golang.org/x/mod/module"
)

// isSpawnerSyntax reports whether s names a function or method in one of the
// accepted forms: pkg.Func, pkg.Type.Method or pkg.(*Type).Method, where pkg
// is a full import path. A last path element may itself contain dots
// (gopkg.in/yaml.v3), so pkg.Type.Method and a dotted pkg.Func cannot be
// told apart by syntax; either reading makes the name well-formed, and
// matching compares against the canonical names of real functions.
func isSpawnerSyntax(s string) bool {
	if pkg, rest, ok := strings.Cut(s, ".(*"); ok {
		typ, method, ok := strings.Cut(rest, ").")
		return ok && isImportPath(pkg) && token.IsIdentifier(typ) && token.IsIdentifier(method)
	}
	slash := strings.LastIndex(s, "/")
	dir, tail := s[:slash+1], s[slash+1:]
	parts := strings.Split(tail, ".")
	for idents := 1; idents <= 2 && idents < len(parts); idents++ {
		pkg := dir + strings.Join(parts[:len(parts)-idents], ".")
		if !isImportPath(pkg) {
			continue
		}
		ok := true
		for _, id := range parts[len(parts)-idents:] {
			ok = ok && token.IsIdentifier(id)
		}
		if ok {
			return true
		}
	}
	return false
}

func isImportPath(p string) bool {
	return p != "" && module.CheckImportPath(p) == nil
}

// spawnerNames returns the names under which fn may be listed in spawners:
// pkg.Func for a function; pkg.Type.Method and pkg.(*Type).Method for a
// method, whatever its receiver, so that either spelling works.
func spawnerNames(fn *types.Func) []string {
	if fn.Pkg() == nil {
		return nil
	}
	pkg := fn.Pkg().Path()
	sig, _ := fn.Type().(*types.Signature)
	if sig == nil || sig.Recv() == nil {
		return []string{pkg + "." + fn.Name()}
	}
	recv := sig.Recv().Type()
	if p, ok := recv.(*types.Pointer); ok {
		recv = p.Elem()
	}
	named, ok := types.Unalias(recv).(*types.Named)
	if !ok {
		return nil // a method of an unnamed interface cannot be named
	}
	typ := named.Origin().Obj().Name()
	return []string{pkg + "." + typ + "." + fn.Name(), pkg + ".(*" + typ + ")." + fn.Name()}
}

// SpawnerPos returns the position in the config file of the i-th entry of
// spawners.
func (c *Config) SpawnerPos(i int) (Pos, bool) {
	p, ok := c.pos[fmt.Sprintf("spawners[%d]", i)]
	return p, ok
}
