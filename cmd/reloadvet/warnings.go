package main

import (
	"path/filepath"
	"slices"
	"strings"

	"github.com/reloadvet/reloadvet/internal/config"
	"github.com/reloadvet/reloadvet/internal/declared"
)

// runScope returns the command line's package patterns as import path
// patterns (a path, or a path and "/..."), so that the unmatched-module
// warning can leave out modules the run did not ask for. It returns nil,
// the whole program, when a pattern may name any package: all, std, cmd,
// or a "..." inside a path. A relative pattern is resolved with the root
// packages it matched, roots mapping import path to directory; one that
// matched none names nothing. dir is the directory the patterns are
// relative to.
func runScope(dir string, args []string, roots map[string]string) []string {
	var scope []string
	for _, arg := range args {
		base, tree := strings.CutSuffix(arg, "/...")
		if arg == "..." {
			base, tree = "", true
		}
		switch {
		case arg == "all" || arg == "std" || arg == "cmd" || strings.Contains(base, "...") || base == "" && !tree:
			return nil
		case strings.HasSuffix(arg, ".go"):
			base, tree = filepath.Dir(arg), false
			fallthrough
		case base == "." || base == ".." || strings.HasPrefix(base, "./") || strings.HasPrefix(base, "../") || filepath.IsAbs(base):
			if !filepath.IsAbs(base) {
				base = filepath.Join(dir, base)
			}
			path, ok := importPathOf(filepath.Clean(base), roots)
			if !ok {
				continue // matched no package: nothing to leave out or keep
			}
			base = path
		case base == "":
			return nil // "...": every package
		}
		if tree {
			base += "/..."
		}
		scope = append(scope, base)
	}
	return scope
}

// importPathOf returns the import path of directory d, known from a root
// package in d or below it.
func importPathOf(d string, roots map[string]string) (string, bool) {
	for path, pdir := range roots {
		rel, err := filepath.Rel(d, pdir)
		if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
			continue
		}
		if rel == "." {
			return path, true
		}
		if p, ok := strings.CutSuffix(path, "/"+filepath.ToSlash(rel)); ok {
			return p, true
		}
	}
	return "", false
}

// unknownSpawners checks the spawners against what the run's packages
// declare, reading the files of just the packages a spawner names. files
// maps each package of the run, dependencies included, to its Go files.
func unknownSpawners(cfg *config.Config, paths []string, files map[string][]string) config.Problems {
	return cfg.UnknownSpawners(paths, func(p string) *config.Declared {
		d, err := declared.Read(files[p])
		if err != nil {
			return nil // a package that does not parse is reported by the run itself
		}
		return d
	})
}

// configWarnings returns what the run finds wrong in the config that the
// config alone cannot show: modules that match no package the run could
// have matched, and spawners that name nothing. files maps each package of
// the run, dependencies included, to its Go files; roots maps the root
// packages to their directories.
func configWarnings(cfg *config.Config, dir string, patterns []string, roots map[string]string, files map[string][]string) config.Problems {
	paths := make([]string, 0, len(files))
	for p := range files {
		paths = append(paths, p)
	}
	slices.Sort(paths)
	ws := cfg.Unmatched(paths, runScope(dir, patterns, roots))
	return append(ws, unknownSpawners(cfg, paths, files)...)
}
