package unjoined_test

import (
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/reloadvet/reloadvet/analyzers/unjoined"
	"github.com/reloadvet/reloadvet/internal/config/configtest"
)

// TestScenarios runs every scenario in one load, so that the standard
// library packages they import are analysed (for facts) once.
func TestScenarios(t *testing.T) {
	t.Parallel()
	analysistest.Run(t, analysistest.TestData(), unjoined.Analyzer,
		"waitgroup", "errgroup", "wggo", "donechan", "resultchan", "ownerjoin",
		"pipeline", "loops", "deferjoin", "generics", "methodvalues", "closures",
		"unknown", "waits", "ctxloops", "foreign/...",
		"crosspkg/...",
	)
}

// TestSpawners checks that spawns inside configured spawners are exempt
// and calls to them are not spawns.
func TestSpawners(t *testing.T) {
	t.Parallel()
	cfg := configtest.Parse(t, `version: 1
modules:
  - {name: app, packages: ["spawners"]}
layers: [[app]]
spawners: [spawners.Spawn, "spawners.(*Supervisor).Go"]
`)
	analysistest.Run(t, analysistest.TestData(), unjoined.New(cfg), "spawners")
}

// TestHelpers checks helpers that start the func they are given: one
// outside every module is reported where module code calls it, one in a
// module where it spawns.
func TestHelpers(t *testing.T) {
	t.Parallel()
	cfg := configtest.Parse(t, `version: 1
modules:
  - {name: app, packages: ["helpers/app"]}
  - {name: core, packages: ["helpers/owned"]}
layers: [[app], [core]]
`)
	analysistest.Run(t, analysistest.TestData(), unjoined.New(cfg), "helpers/app")
}

func TestSuppressed(t *testing.T) {
	t.Parallel()
	analysistest.Run(t, analysistest.TestData(), unjoined.Analyzer, "suppressed")
}

// TestSummary checks the counts unjoined returns: what it reported, found
// joined, and could not judge.
func TestSummary(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		pkg  string
		want unjoined.Summary
	}{
		{"waits", unjoined.Summary{Spawns: 21, Joined: 10, Reported: 11}},
		{"unknown", unjoined.Summary{Spawns: 13, Joined: 1, Reported: 6, NotJudged: 6}},
	} {
		for _, r := range analysistest.Run(t, analysistest.TestData(), unjoined.Analyzer, tc.pkg) {
			got, ok := r.Result.(*unjoined.Summary)
			if !ok {
				t.Fatalf("%s: result is %T, want *unjoined.Summary", tc.pkg, r.Result)
			}
			if *got != tc.want {
				t.Errorf("%s: summary %+v, want %+v", tc.pkg, *got, tc.want)
			}
		}
	}
}
