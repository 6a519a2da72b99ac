// Command custom-gcl is golangci-lint with the reloadvet plugin compiled
// in: the binary golangci-lint custom builds from .custom-gcl.yml, built
// here without git.
//
// golangci-lint custom clones golangci-lint's repository and adds a file
// of blank imports to its main package. This module does the same from the
// module proxy: it requires golangci-lint at the pinned version, imports
// the plugin package (replaced by the checkout two folders up), and runs
// golangci-lint's public entry point. scripts/build-golangci.sh builds it.
package main

import (
	"fmt"
	"os"
	"runtime"
	"runtime/debug"

	"github.com/golangci/golangci-lint/v2/pkg/commands"
	"github.com/golangci/golangci-lint/v2/pkg/exitcodes"

	_ "github.com/reloadvet/reloadvet/golangci" // registers the reloadvet linter
)

const golangciModule = "github.com/golangci/golangci-lint/v2"

func main() {
	info := commands.BuildInfo{
		// "(devel)" makes golangci-lint key its result cache on this
		// executable's hash: with a version string, a rebuilt plugin would
		// be answered with the findings cached for the old one.
		Version:   "(devel)",
		GoVersion: runtime.Version(),
		Commit:    "golangci-lint " + dependencyVersion(golangciModule) + " with the reloadvet plugin (.ci/golangci)",
		Date:      "(unknown)",
	}
	if err := commands.Execute(info); err != nil {
		fmt.Fprintf(os.Stderr, "The command is terminated due to an error: %v\n", err)
		os.Exit(exitcodes.Failure)
	}
}

// dependencyVersion is the version of the named module in this build.
func dependencyVersion(path string) string {
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, d := range bi.Deps {
			if d.Path == path {
				return d.Version
			}
		}
	}
	return "(unknown version)"
}
