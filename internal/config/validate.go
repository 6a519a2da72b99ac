package config

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"unicode"

	"github.com/reloadvet/reloadvet/internal/suggest"
)

// Validate checks the config as a whole and returns a Problems listing
// every problem, or nil.
func (c *Config) Validate() error {
	probs := c.validate(nil)
	if len(probs) == 0 {
		return nil
	}
	sortProblems(probs)
	return probs
}

// validate returns every problem of the decoded config, leaving out those
// at tainted key paths: what a reported decoding problem left wrong.
func (c *Config) validate(tainted []string) Problems {
	v := &validator{c: c, tainted: tainted}
	v.version()
	names := v.modules()
	v.layers(names)
	v.overlaps()
	v.spawners()
	return v.probs
}

func sortProblems(ps Problems) {
	sort.SliceStable(ps, func(i, j int) bool {
		a, b := ps[i], ps[j]
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return a.Col < b.Col
	})
}

type validator struct {
	c       *Config
	probs   Problems
	tainted []string
}

// isTainted reports whether a decoding problem already covers path: it
// was reported at path or at a key above it.
func (v *validator) isTainted(path string) bool {
	for _, t := range v.tainted {
		if path == t || strings.HasPrefix(path, t+".") || strings.HasPrefix(path, t+"[") {
			return true
		}
	}
	return false
}

// anyTainted reports whether a decoding problem covers any path for which
// match holds, or the whole of the given section.
func (v *validator) anyTainted(section string, match func(string) bool) bool {
	for _, t := range v.tainted {
		if t == "" || t == section || match(t) {
			return true
		}
	}
	return false
}

// add records a problem at the value with the given key path.
func (v *validator) add(path, format string, args ...any) {
	if v.isTainted(path) {
		return
	}
	p := &Problem{File: v.c.file, Path: path, Msg: fmt.Sprintf(format, args...)}
	if pos, ok := v.position(path); ok {
		p.Line, p.Col = pos.Line, pos.Col
	}
	v.probs = append(v.probs, p)
}

// position returns where the value at path is written or, for a key that
// is missing, where the mapping that should hold it is; the top of the file
// stands for the whole document.
func (v *validator) position(path string) (Pos, bool) {
	for {
		if pos, ok := v.c.pos[path]; ok {
			return pos, true
		}
		if path == "" {
			return Pos{1, 1}, v.c.file != ""
		}
		i := strings.LastIndexAny(path, ".[")
		if i < 0 {
			i = 0
		}
		path = path[:i]
	}
}

// at describes where a key path's value is, for "first declared at" notes.
func (v *validator) at(path string) string {
	if pos, ok := v.c.pos[path]; ok {
		return " at " + pos.String()
	}
	return ""
}

func (v *validator) version() {
	switch _, written := v.c.pos["version"]; {
	case v.c.Version == SupportedVersion:
	case v.c.Version == 0 && !written:
		v.add("version", "missing (accepted: %d)", SupportedVersion)
	case v.c.Version == 0:
		v.add("version", "missing value (accepted: %d)", SupportedVersion)
	default:
		v.add("version", "unsupported version %d (accepted: %d)", v.c.Version, SupportedVersion)
	}
}

// modules checks names and patterns and returns the names in file order.
func (v *validator) modules() []string {
	first := map[string]string{}
	var names []string
	for i, m := range v.c.Modules {
		path := fmt.Sprintf("modules[%d].name", i)
		switch prev, dup := first[m.Name]; {
		case m.Name == "":
			v.add(path, "empty module name (accepted: %s)", nameRule)
		case !isModuleName(m.Name):
			v.add(path, "invalid module name %q (accepted: %s)", m.Name, nameRule)
		case dup:
			v.add(path, "duplicate module name %q, first declared%s (accepted: a name not used by another module)", m.Name, v.at(prev))
		default:
			first[m.Name] = path
			names = append(names, m.Name)
		}
		if len(m.Packages) == 0 {
			v.add(fmt.Sprintf("modules[%d].packages", i), "module %q has no package patterns (accepted: a list of import-path patterns, exact or ending in /...)", m.Name)
		}
		for j, s := range m.Packages {
			if _, err := parsePattern(s); err != nil {
				v.add(fmt.Sprintf("modules[%d].packages[%d]", i, j), "malformed pattern: %v (accepted: an import path, exact or ending in /...)", err)
			}
		}
	}
	return names
}

const nameRule = "a letter followed by letters, digits, '-', '_' or '.'"

func isModuleName(s string) bool {
	for i, r := range s {
		switch {
		case unicode.IsLetter(r):
		case i > 0 && (unicode.IsDigit(r) || r == '-' || r == '_' || r == '.'):
		default:
			return false
		}
	}
	return s != ""
}

// layers checks that every module is in exactly one layer and every layer
// entry names a module.
func (v *validator) layers(names []string) {
	known := map[string]bool{}
	for _, n := range names {
		known[n] = true
	}
	// Membership checks mean nothing when the names or the layers could
	// not be read.
	namesBad := v.anyTainted("modules", func(p string) bool {
		return strings.HasPrefix(p, "modules[") && (strings.HasSuffix(p, ".name") || !strings.Contains(p, "."))
	})
	layersBad := v.anyTainted("layers", func(p string) bool { return strings.HasPrefix(p, "layers[") })
	placed := map[string]string{} // module -> key path of its layer entry
	misspelt := map[string]bool{} // modules meant by unknown entries
	if len(v.c.Layers) == 0 && len(names) > 0 {
		v.add("layers", "no layers (accepted: a list of layers, bottom first, each a list of module names)")
	}
	for i, layer := range v.c.Layers {
		if len(layer) == 0 {
			v.add(fmt.Sprintf("layers[%d]", i), "empty layer (accepted: a list of one or more module names)")
		}
		for j, name := range layer {
			path := fmt.Sprintf("layers[%d][%d]", i, j)
			switch prev, dup := placed[name]; {
			case name == "":
				v.add(path, "empty module name (accepted: %s)", acceptedNames(names))
			case !known[name]:
				if namesBad {
					continue
				}
				v.add(path, "%s (accepted: %s)", unknownModuleMsg(name, names), acceptedNames(names))
				// A misspelt entry is one mistake: the module it meant is
				// not also reported as in no layer.
				if meant := suggest.Closest(name, names); meant != "" {
					misspelt[meant] = true
				}
			case dup:
				v.add(path, "module %q is already in %s%s (accepted: each module in exactly one layer)", name, layerOfPath(prev), v.at(prev))
			default:
				placed[name] = path
			}
		}
	}
	for i, m := range v.c.Modules {
		if _, ok := placed[m.Name]; !ok && !layersBad && !misspelt[m.Name] && isModuleName(m.Name) && slices.Contains(names, m.Name) {
			v.add(fmt.Sprintf("modules[%d].name", i), "module %q is in no layer (accepted: list it in exactly one entry of layers)", m.Name)
		}
	}
}

func unknownModuleMsg(name string, names []string) string {
	msg := fmt.Sprintf("unknown module %q", name)
	if s := suggest.Closest(name, names); s != "" {
		msg += fmt.Sprintf(", did you mean %q?", s)
	}
	return msg
}

func acceptedNames(names []string) string {
	if len(names) == 0 {
		return "a name declared under modules"
	}
	return "modules declared under modules: " + strings.Join(names, ", ")
}

// layerOfPath turns "layers[2][0]" into "layer 3".
func layerOfPath(path string) string {
	var i, j int
	if _, err := fmt.Sscanf(path, "layers[%d][%d]", &i, &j); err != nil {
		return path
	}
	return fmt.Sprintf("layer %d", i+1)
}

// overlaps reports patterns of different modules that match a common
// package: every package must have at most one owner.
func (v *validator) overlaps() {
	type entry struct {
		pt     pattern
		module string
		path   string
	}
	var all []entry
	for i, m := range v.c.Modules {
		for j, s := range m.Packages {
			if pt, err := parsePattern(s); err == nil {
				all = append(all, entry{pt, m.Name, fmt.Sprintf("modules[%d].packages[%d]", i, j)})
			}
		}
	}
	for i, a := range all {
		for _, b := range all[:i] {
			if a.module == b.module {
				continue
			}
			if pkg, ok := a.pt.overlap(b.pt); ok {
				v.add(a.path, "package %s is matched by module %s (pattern %q) and by module %s (pattern %q%s) (accepted: patterns that give each package one module)",
					pkg, a.module, a.pt, b.module, b.pt, v.at(b.path))
			}
		}
	}
}

func (v *validator) spawners() {
	for i, s := range v.c.Spawners {
		if !isSpawnerSyntax(s) {
			v.add(fmt.Sprintf("spawners[%d]", i), "malformed spawner %q (accepted: pkg.Func, pkg.Type.Method or pkg.(*Type).Method, with pkg a full import path)", s)
		}
	}
}
