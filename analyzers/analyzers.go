// Package analyzers is the suite of reloadvet analyzers: the list every
// driver (the reloadvet command, go vet -vettool, the golangci-lint plugin)
// runs.
package analyzers

import (
	"golang.org/x/tools/go/analysis"

	"github.com/reloadvet/reloadvet/analyzers/crosscallback"
	"github.com/reloadvet/reloadvet/analyzers/directive"
	"github.com/reloadvet/reloadvet/analyzers/layering"
	"github.com/reloadvet/reloadvet/analyzers/rawspawn"
	"github.com/reloadvet/reloadvet/analyzers/unjoined"
	"github.com/reloadvet/reloadvet/internal/config"
)

// All returns the analyzers configured with the default config, as a
// driver without a config file runs them.
func All() []*analysis.Analyzer { return New(config.Default()) }

// New returns every analyzer configured with cfg, in the order help lists
// them.
func New(cfg *config.Config) []*analysis.Analyzer {
	return []*analysis.Analyzer{
		layering.New(cfg),
		unjoined.New(cfg),
		rawspawn.New(cfg),
		crosscallback.New(cfg),
		directive.New(cfg),
	}
}

// Note says, for a driver's -v output, why the named analyzer has nothing
// (or something out of the ordinary) to check under cfg, or returns "".
func Note(name string, cfg *config.Config) string {
	switch name {
	case "layering":
		return layering.Note(cfg)
	case "unjoined":
		return unjoined.Note(cfg)
	case "rawspawn":
		return rawspawn.Note(cfg)
	case "crosscallback":
		return crosscallback.Note(cfg)
	}
	return ""
}
