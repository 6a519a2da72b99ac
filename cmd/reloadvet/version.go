package main

import (
	"runtime/debug"
	"strings"
)

// version is what the binary says it is: the module version it was built
// from (a release tag, or the pseudo-version the go command stamps from
// git), else the VCS revision and whether the tree was modified, else
// "(devel)".
func version() string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "(devel)"
	}
	return versionOf(info)
}

// versionOf words the version held in build info.
//
//	v0.3.0                                   go install ...@v0.3.0
//	v0.0.0-20261203114512-c2bbfd0a1b2c+dirty go build in a git checkout
//	(devel) c2bbfd0a1b2c-dirty 2026-12-03T11:45:12Z   -buildvcs on, no module version
//	(devel)                                  no VCS stamp (-buildvcs=false)
func versionOf(info *debug.BuildInfo) string {
	if v := info.Main.Version; v != "" && v != "(devel)" {
		return v
	}
	settings := map[string]string{}
	for _, s := range info.Settings {
		settings[s.Key] = s.Value
	}
	rev := settings["vcs.revision"]
	if rev == "" {
		return "(devel)"
	}
	if len(rev) > 12 {
		rev = rev[:12]
	}
	parts := []string{"(devel)", rev}
	if settings["vcs.modified"] == "true" {
		parts[1] += "-dirty"
	}
	if t := settings["vcs.time"]; t != "" {
		parts = append(parts, t)
	}
	return strings.Join(parts, " ")
}
