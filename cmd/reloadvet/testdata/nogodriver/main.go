// Command nogodriver runs the analyzers as Bazel's nogo does: the default
// Analyzer of each package, configured only through analyzer flags, under
// unitchecker's protocol. The end-to-end test TestNogo builds it and runs
// it with go vet -vettool, with no config file to find and no
// RELOADVET_* variable set.
package main

import (
	"golang.org/x/tools/go/analysis/unitchecker"

	"github.com/reloadvet/reloadvet/analyzers/crosscallback"
	"github.com/reloadvet/reloadvet/analyzers/directive"
	"github.com/reloadvet/reloadvet/analyzers/layering"
	"github.com/reloadvet/reloadvet/analyzers/rawspawn"
	"github.com/reloadvet/reloadvet/analyzers/unjoined"
)

func main() {
	unitchecker.Main(layering.Analyzer, unjoined.Analyzer, rawspawn.Analyzer, crosscallback.Analyzer, directive.Analyzer)
}
