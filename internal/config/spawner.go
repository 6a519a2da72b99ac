package config

import (
	"fmt"
	"go/token"
	"go/types"
	"maps"
	"slices"
	"strings"

	"golang.org/x/mod/module"

	"github.com/reloadvet/reloadvet/internal/suggest"
)

// isSpawnerSyntax reports whether s names a function or method in one of the
// accepted forms: pkg.Func, pkg.Type.Method or pkg.(*Type).Method, where pkg
// is a full import path. A last path element may itself contain dots
// (gopkg.in/yaml.v3), so pkg.Type.Method and a dotted pkg.Func cannot be
// told apart by syntax; either reading makes the name well-formed, and
// matching compares against the canonical names of real functions.
func isSpawnerSyntax(s string) bool {
	for _, r := range spawnerReadings(s) {
		if isImportPath(r.pkg) && token.IsIdentifier(r.fn) && (r.typ != "" || !r.ptr) && (r.typ == "" || token.IsIdentifier(r.typ)) {
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

// Declared is what a package declares, read from its syntax alone: enough
// to check the spawners against the code without type-checking it.
type Declared struct {
	// Funcs are the package-level functions by name, and the methods as
	// "Type.Method" whatever their receiver.
	Funcs map[string]bool
	// Open are the types whose method set may hold methods not declared
	// in the package: a struct embedding another type, an interface, an
	// alias. A spawner naming a method of one of them is not refused.
	Open map[string]bool
}

// UnknownSpawners returns a warning for each spawner that names nothing in
// a package of the run, with the closest name the package declares when
// there is one. paths are the import paths of the run's packages and
// their dependencies; read returns what one of them declares, or nil when
// that cannot be read (and nothing is said of it). A spawner whose
// package is not among paths is warned about only when a path close to it
// is, since a partial run need not load the spawner's package at all.
func (c *Config) UnknownSpawners(paths []string, read func(pkgPath string) *Declared) Problems {
	known := map[string]bool{}
	for _, p := range paths {
		known[p] = true
	}
	var warnings Problems
	for i, s := range c.Spawners {
		msg := unknownSpawner(s, paths, known, read)
		if msg == "" {
			continue
		}
		w := &Problem{File: c.file, Path: fmt.Sprintf("spawners[%d]", i), Msg: msg}
		if p, ok := c.SpawnerPos(i); ok {
			w.Line, w.Col = p.Line, p.Col
		}
		warnings = append(warnings, w)
	}
	return warnings
}

// unknownSpawner says what is wrong with spawner s, or "" when it names a
// declared function or method, or when that cannot be known from decls.
func unknownSpawner(s string, paths []string, known map[string]bool, read func(string) *Declared) string {
	readings := spawnerReadings(s)
	var pkgs []*spawnerRef
	var decls []*Declared
	for _, r := range readings {
		if !known[r.pkg] {
			continue
		}
		d := read(r.pkg)
		if d == nil || d.Funcs[r.name()] || r.typ != "" && d.Open[r.typ] {
			return ""
		}
		pkgs, decls = append(pkgs, r), append(decls, d)
	}
	if len(pkgs) == 0 {
		for _, r := range readings {
			if near := nearPackage(r.pkg, paths); near != "" {
				return fmt.Sprintf("spawner %q: package %s is not in this run or its dependencies (did you mean %s?)", s, r.pkg, near)
			}
		}
		return ""
	}
	r := pkgs[0]
	names := slices.Sorted(maps.Keys(decls[0].Funcs))
	msg := fmt.Sprintf("spawner %q names no function or method of package %s", s, r.pkg)
	// The name is compared with its own kind: a method with the methods
	// of its type, a function with the package's functions.
	var peers []string
	for _, n := range names {
		typ, fn, isMethod := strings.Cut(n, ".")
		switch {
		case r.typ == "" && !isMethod:
			peers = append(peers, n)
		case isMethod && typ == r.typ:
			peers = append(peers, fn)
		}
	}
	switch near := suggest.Closest(r.fn, peers); {
	case near != "" && r.typ != "":
		msg += fmt.Sprintf(" (did you mean %s?)", r.spelled(r.typ+"."+near))
	case near != "":
		msg += fmt.Sprintf(" (did you mean %s?)", r.spelled(near))
	case r.typ != "" && len(peers) > 0:
		if len(peers) > 6 {
			peers = append(peers[:6], "...")
		}
		msg += fmt.Sprintf(" (%s has %s)", r.typ, strings.Join(peers, ", "))
	}
	return msg + "; rawspawn would tell every module to call it"
}

// nearPackage returns the path among paths that pkg probably misspells: a
// sibling (the same directory) whose last element is close to pkg's. Only
// siblings count, so that a package a partial run did not load is not
// taken for a typo of whatever lies near it.
func nearPackage(pkg string, paths []string) string {
	dir, base := pkg[:strings.LastIndex(pkg, "/")+1], pkg[strings.LastIndex(pkg, "/")+1:]
	var siblings []string
	for _, p := range paths {
		if rest, ok := strings.CutPrefix(p, dir); ok && !strings.Contains(rest, "/") {
			siblings = append(siblings, rest)
		}
	}
	slices.Sort(siblings)
	if near := suggest.Closest(base, siblings); near != "" {
		return dir + near
	}
	return ""
}

// A spawnerRef is one reading of a spawners entry.
type spawnerRef struct {
	pkg, typ, fn string
	ptr          bool // spelled pkg.(*Type).Method
}

// name is the reading as Declared.Funcs keys it: "F" or "Type.Method".
func (r *spawnerRef) name() string {
	if r.typ == "" {
		return r.fn
	}
	return r.typ + "." + r.fn
}

// spelled writes a declared name ("F" or "Type.Method") in the spelling
// of the entry being corrected.
func (r *spawnerRef) spelled(name string) string {
	typ, fn, isMethod := strings.Cut(name, ".")
	switch {
	case !isMethod:
		return r.pkg + "." + typ
	case r.ptr:
		return r.pkg + ".(*" + typ + ")." + fn
	}
	return r.pkg + "." + typ + "." + fn
}

// spawnerReadings returns the readings of a well-formed spawners entry:
// one for pkg.(*Type).Method, and up to two for a dotted name, which may
// be pkg.Func or pkg.Type.Method (see isSpawnerSyntax).
func spawnerReadings(s string) []*spawnerRef {
	if pkg, rest, ok := strings.Cut(s, ".(*"); ok {
		typ, fn, _ := strings.Cut(rest, ").")
		return []*spawnerRef{{pkg: pkg, typ: typ, fn: fn, ptr: true}}
	}
	slash := strings.LastIndex(s, "/")
	dir, parts := s[:slash+1], strings.Split(s[slash+1:], ".")
	var out []*spawnerRef
	for idents := 1; idents <= 2 && idents < len(parts); idents++ {
		r := &spawnerRef{pkg: dir + strings.Join(parts[:len(parts)-idents], "."), fn: parts[len(parts)-1]}
		if idents == 2 {
			r.typ = parts[len(parts)-2]
		}
		out = append(out, r)
	}
	return out
}

// SpawnerNames names the spawners as a diagnostic offers them, by package
// name rather than import path: "core.(*Handle).Go", or with several
// "pool.Go, core.(*Handle).Go or core.Spawn". It is "" with none.
func (c *Config) SpawnerNames() string {
	names := make([]string, len(c.Spawners))
	for i, s := range c.Spawners {
		names[i] = s[strings.LastIndex(s, "/")+1:]
	}
	if len(names) <= 1 {
		return strings.Join(names, "")
	}
	return strings.Join(names[:len(names)-1], ", ") + " or " + names[len(names)-1]
}
