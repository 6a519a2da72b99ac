package config

import (
	"fmt"
	"strings"

	"golang.org/x/mod/module"
)

// A pattern names the packages of a module: an exact import path, or a path
// followed by "/..." for that package and every package below it, as the
// go command reads them.
type pattern struct {
	base string // the import path without "/..."
	tree bool   // whether the pattern ends in "/..."
}

func parsePattern(s string) (pattern, error) {
	base, tree := strings.CutSuffix(s, "/...")
	switch {
	case s == "":
		return pattern{}, fmt.Errorf("empty pattern")
	case s == "..." || s == "./...":
		return pattern{}, fmt.Errorf("pattern %q matches every package", s)
	case strings.HasPrefix(s, "./") || strings.HasPrefix(s, "../") || strings.HasPrefix(s, "/"):
		return pattern{}, fmt.Errorf("pattern %q is a file path, not an import path", s)
	case strings.Contains(base, "..."):
		return pattern{}, fmt.Errorf(`pattern %q uses "..." other than as a final "/..."`, s)
	}
	if err := module.CheckImportPath(base); err != nil {
		return pattern{}, fmt.Errorf("pattern %q: %v", s, unwrapPathError(err))
	}
	return pattern{base: base, tree: tree}, nil
}

// unwrapPathError drops the path that x/mod repeats at the head of its
// messages, since ours already quote the pattern.
func unwrapPathError(err error) string {
	msg := err.Error()
	if _, rest, ok := strings.Cut(msg, ": "); ok && strings.HasPrefix(msg, "malformed import path") {
		return rest
	}
	return msg
}

// match reports whether the package path p is matched by the pattern.
func (pt pattern) match(p string) bool {
	if p == pt.base {
		return true
	}
	return pt.tree && strings.HasPrefix(p, pt.base+"/")
}

// overlap returns a package path that both patterns match, if any. Two
// patterns of this grammar overlap exactly when one contains the other, so
// the more specific base is such a path.
func (pt pattern) overlap(q pattern) (string, bool) {
	if pt.match(q.base) {
		return q.base, true
	}
	if q.match(pt.base) {
		return pt.base, true
	}
	return "", false
}

func (pt pattern) String() string {
	if pt.tree {
		return pt.base + "/..."
	}
	return pt.base
}
