package report

import (
	"encoding/json"
	"go/token"
	"io"
	"net/url"
	"path/filepath"
	"strings"

	"honnef.co/go/tools/sarif"
)

// A Rule describes an analyzer for SARIF consumers.
type Rule struct {
	ID      string // the analyzer name
	Summary string // one line
	Help    string // the full doc
	URL     string
}

// SARIFOptions shape the SARIF log.
type SARIFOptions struct {
	// Dir is the root that file URIs are made relative to (uriBaseId
	// %SRCROOT%), normally the repository checkout.
	Dir     string
	Rules   []Rule
	Version string // the tool's version
	Args    []string
}

const srcRoot = "%SRCROOT%"

// sarifLog and sarifRun wrap the sarif package's types so that a run with
// no findings still carries "results": [], which consumers read as "ran
// and found nothing" (the wrapped field omits an empty list).
type sarifLog struct {
	Version string     `json:"version"`
	Schema  string     `json:"$schema"`
	Runs    []sarifRun `json:"runs"`
}

type sarifRun struct {
	sarif.Run
	Results []sarif.Result `json:"results"`
}

// WriteSARIF prints the findings as a SARIF 2.1.0 log with one run, one
// rule per analyzer and one result per finding, as GitHub code scanning
// accepts it.
func WriteSARIF(w io.Writer, fs []Finding, opts SARIFOptions) error {
	run := sarif.Run{
		Tool: sarif.Tool{Driver: sarif.ToolComponent{
			Name:           "reloadvet",
			Version:        opts.Version,
			InformationURI: "https://github.com/reloadvet/reloadvet",
		}},
		Results: []sarif.Result{},
		Invocations: []sarif.Invocation{{
			Arguments:           opts.Args,
			WorkingDirectory:    sarif.ArtifactLocation{URI: fileURI(opts.Dir, true)},
			ExecutionSuccessful: true,
		}},
	}
	for _, r := range opts.Rules {
		run.Tool.Driver.Rules = append(run.Tool.Driver.Rules, sarif.ReportingDescriptor{
			ID:                   r.ID,
			ShortDescription:     sarif.Message{Text: r.Summary},
			Help:                 sarif.Message{Text: r.Help},
			HelpURI:              r.URL,
			DefaultConfiguration: sarif.ReportingConfiguration{Enabled: true, Level: sarif.Warning},
		})
	}
	for _, f := range fs {
		res := sarif.Result{
			RuleID:       f.Analyzer,
			Kind:         sarif.Fail,
			Level:        sarif.Warning,
			Message:      sarif.Message{Text: f.Message},
			Locations:    []sarif.Location{location(opts.Dir, f.Posn, f.End, "")},
			Suppressions: []sarif.Suppression{},
		}
		for i, r := range f.Related {
			loc := location(opts.Dir, r.Posn, r.End, r.Message)
			loc.ID = i + 1
			res.RelatedLocations = append(res.RelatedLocations, loc)
		}
		run.Results = append(run.Results, res)
	}
	log := sarifLog{Version: sarif.Version, Schema: sarif.Schema, Runs: []sarifRun{{run, run.Results}}}
	data, err := json.MarshalIndent(log, "", "  ")
	if err != nil {
		return err
	}
	_, err = w.Write(append(data, '\n'))
	return err
}

// location is a physical location, with a message for related places.
func location(dir string, start, end token.Position, msg string) sarif.Location {
	region := sarif.Region{StartLine: start.Line, StartColumn: start.Column}
	if end.IsValid() && end.Filename == start.Filename {
		region.EndLine, region.EndColumn = end.Line, end.Column
	}
	loc := sarif.Location{PhysicalLocation: sarif.PhysicalLocation{
		ArtifactLocation: artifact(dir, start.Filename),
		Region:           region,
	}}
	if msg != "" {
		loc.Message = &sarif.Message{Text: msg}
	}
	return loc
}

// artifact names a file relative to the source root when it lies below it,
// and by absolute file URI otherwise.
func artifact(dir, name string) sarif.ArtifactLocation {
	rel := relPath(dir, name)
	if filepath.IsAbs(rel) {
		return sarif.ArtifactLocation{URI: fileURI(rel, false)}
	}
	return sarif.ArtifactLocation{URI: (&url.URL{Path: filepath.ToSlash(rel)}).String(), URIBaseID: srcRoot}
}

// fileURI is the file: URI of an absolute path; a directory's ends in "/".
func fileURI(path string, dir bool) string {
	if path == "" {
		return ""
	}
	p := filepath.ToSlash(path)
	if dir && !strings.HasSuffix(p, "/") {
		p += "/"
	}
	return (&url.URL{Scheme: "file", Path: p}).String()
}
