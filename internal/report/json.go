package report

import (
	"encoding/json"
	"go/token"
	"io"
)

// The JSON output has the shape go vet -json prints: package ID, then
// analyzer name, then the list of that analyzer's diagnostics.

type jsonDiagnostic struct {
	Category       string        `json:"category,omitempty"`
	Posn           string        `json:"posn"`
	End            string        `json:"end"`
	Message        string        `json:"message"`
	SuggestedFixes []jsonFix     `json:"suggested_fixes,omitempty"`
	Related        []jsonRelated `json:"related,omitempty"`
}

type jsonFix struct {
	Message string     `json:"message"`
	Edits   []jsonEdit `json:"edits"`
}

type jsonEdit struct {
	Filename string `json:"filename"`
	Start    int    `json:"start"`
	End      int    `json:"end"`
	New      string `json:"new"`
}

type jsonRelated struct {
	Posn    string `json:"posn"`
	End     string `json:"end"`
	Message string `json:"message"`
}

// WriteJSON prints the findings as the JSON tree of go vet -json, with
// absolute positions as go vet gives them.
func WriteJSON(w io.Writer, fs []Finding) error {
	tree := map[string]map[string][]jsonDiagnostic{}
	for _, f := range fs {
		byAnalyzer := tree[f.Package]
		if byAnalyzer == nil {
			byAnalyzer = map[string][]jsonDiagnostic{}
			tree[f.Package] = byAnalyzer
		}
		byAnalyzer[f.Analyzer] = append(byAnalyzer[f.Analyzer], toJSON(f))
	}
	data, err := json.MarshalIndent(tree, "", "\t")
	if err != nil {
		return err
	}
	_, err = w.Write(append(data, '\n'))
	return err
}

func toJSON(f Finding) jsonDiagnostic {
	d := jsonDiagnostic{Category: f.Category, Posn: f.Posn.String(), End: endOf(f.Posn, f.End), Message: f.Message}
	for _, fix := range f.Fixes {
		jf := jsonFix{Message: fix.Message, Edits: []jsonEdit{}}
		for _, e := range fix.Edits {
			jf.Edits = append(jf.Edits, jsonEdit{Filename: e.File, Start: e.Start, End: e.End, New: e.New})
		}
		d.SuggestedFixes = append(d.SuggestedFixes, jf)
	}
	for _, r := range f.Related {
		d.Related = append(d.Related, jsonRelated{Posn: r.Posn.String(), End: endOf(r.Posn, r.End), Message: r.Message})
	}
	return d
}

// endOf returns the end position, or the start when there is none, as go
// vet does.
func endOf(start, end token.Position) string {
	if end.IsValid() {
		return end.String()
	}
	return start.String()
}
