// Package baseline records the findings a codebase has when it adopts the
// reloadvet gate, so that later runs fail only on findings that are new.
//
// A finding is keyed by what survives unrelated edits: its analyzer, its
// package's import path, the declaration that encloses it and its message
// with any line numbers blanked. Line and column are left out, so adding a
// function above an old finding does not turn it into a new one. Several
// findings with one key are one entry with a count.
//
// The file is JSON, entries sorted by package, declaration, analyzer and
// message, so that a refreshed baseline diffs cleanly:
//
//	{
//	  "version": 1,
//	  "entries": [
//	    {
//	      "analyzer": "layering",
//	      "package": "example.com/app/database/store",
//	      "function": "<file store.go>",
//	      "message": "module database (layer 2) imports module api (layer 3): a module may only import lower layers",
//	      "count": 1
//	    }
//	  ]
//	}
package baseline

import (
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"
	"slices"
	"strings"
)

// Version is the format version this build reads and writes.
const Version = 1

// A Key identifies a finding across edits that do not touch it.
type Key struct {
	Analyzer string `json:"analyzer"`
	// Package is the import path, without a test variant's " [p.test]".
	Package string `json:"package"`
	// Function names the enclosing declaration; see Enclosing.
	Function string `json:"function"`
	// Message has line numbers blanked; see NewKey.
	Message string `json:"message"`
}

// An Entry is a key and how many findings had it.
type Entry struct {
	Key
	Count int `json:"count"`
}

// A Baseline is the content of a baseline file.
type Baseline struct {
	Version int     `json:"version"`
	Entries []Entry `json:"entries"`
}

// linePattern matches the places a message may mention a line: "line 42",
// "lines 42-45" and "file.go:42:7".
var linePattern = regexp.MustCompile(`\b(lines? )\d+(-\d+)?\b|(\.go):\d+(:\d+)?\b`)

// NewKey builds a finding's key. pkg may be a package ID as go list and
// go vet -json give it ("p [p.test]"); the test variant is dropped, since
// a finding in p's files is the same finding in p and in p's test build.
// Line numbers in the message become "_", so that a message naming another
// line ("not joined on the path that returns at line 42") keeps its key
// when code above it moves.
func NewKey(analyzer, pkg, function, message string) Key {
	pkg, _, _ = strings.Cut(pkg, " ")
	message = linePattern.ReplaceAllStringFunc(message, func(m string) string {
		if i := strings.Index(m, ".go:"); i >= 0 {
			return m[:i] + ".go:_"
		}
		word, _, _ := strings.Cut(m, " ")
		return word + " _"
	})
	return Key{Analyzer: analyzer, Package: pkg, Function: function, Message: message}
}

// New returns the baseline of the given findings' keys.
func New(keys []Key) *Baseline {
	counts := map[Key]int{}
	for _, k := range keys {
		counts[k]++
	}
	b := &Baseline{Version: Version, Entries: make([]Entry, 0, len(counts))}
	for k, n := range counts {
		b.Entries = append(b.Entries, Entry{Key: k, Count: n})
	}
	slices.SortFunc(b.Entries, func(x, y Entry) int { return compareKeys(x.Key, y.Key) })
	return b
}

func compareKeys(x, y Key) int {
	return cmp.Or(
		cmp.Compare(x.Package, y.Package),
		cmp.Compare(x.Function, y.Function),
		cmp.Compare(x.Analyzer, y.Analyzer),
		cmp.Compare(x.Message, y.Message),
	)
}

// Total is the number of findings the baseline holds.
func (b *Baseline) Total() int {
	n := 0
	for _, e := range b.Entries {
		n += e.Count
	}
	return n
}

// Match sorts findings, given by their keys in report order, into known
// and new. For each key the first Count findings are known and the rest
// are new. gone is the number of baselined findings that no longer occur:
// fixed, or changed beyond recognition.
func (b *Baseline) Match(keys []Key) (isNew []bool, gone int) {
	left := make(map[Key]int, len(b.Entries))
	for _, e := range b.Entries {
		left[e.Key] += e.Count
	}
	isNew = make([]bool, len(keys))
	for i, k := range keys {
		if left[k] > 0 {
			left[k]--
			continue
		}
		isNew[i] = true
	}
	for _, n := range left {
		gone += n
	}
	return isNew, gone
}

// Write prints the baseline as indented JSON, with messages as written
// ("a -> b", not "a -\u003e b").
func (b *Baseline) Write(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(b)
}

// WriteFile writes the baseline to path.
func (b *Baseline) WriteFile(path string) error {
	var buf bytes.Buffer
	if err := b.Write(&buf); err != nil {
		return err
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		return fmt.Errorf("writing baseline: %w", err)
	}
	return nil
}

// Read reads and checks the baseline file at path. Decoding is strict:
// an unknown key, a wrong version or an entry without an analyzer, a
// package or a positive count is an error naming the entry. A missing file
// is an error that wraps fs.ErrNotExist.
func Read(path string) (*Baseline, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("reading baseline: %w", err)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var b Baseline
	if err := dec.Decode(&b); err != nil {
		return nil, fmt.Errorf("%s%s: %w (accepted: the JSON that -baseline writes)", path, jsonPosition(data, err), err)
	}
	if dec.More() {
		return nil, fmt.Errorf("%s: more than one JSON value (accepted: one object)", path)
	}
	var probs []error
	if b.Version != Version {
		probs = append(probs, fmt.Errorf("%s: version: unsupported version %d (accepted: %d)", path, b.Version, Version))
	}
	for i, e := range b.Entries {
		switch {
		case e.Analyzer == "":
			probs = append(probs, fmt.Errorf("%s: entries[%d].analyzer: missing (accepted: an analyzer name)", path, i))
		case e.Package == "":
			probs = append(probs, fmt.Errorf("%s: entries[%d].package: missing (accepted: an import path)", path, i))
		case e.Count < 1:
			probs = append(probs, fmt.Errorf("%s: entries[%d].count: %d (accepted: 1 or more)", path, i, e.Count))
		}
	}
	if err := errors.Join(probs...); err != nil {
		return nil, err
	}
	return &b, nil
}

// jsonPosition returns ":line:col" for a JSON syntax or type error, or "".
func jsonPosition(data []byte, err error) string {
	var offset int64
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		offset = syn.Offset
	case errors.As(err, &typ):
		offset = typ.Offset
	default:
		return ""
	}
	// Offset counts the bytes read when the error occurred: the last of
	// them is where it is.
	before := data[:max(0, min(int(offset)-1, len(data)))]
	line := bytes.Count(before, []byte("\n")) + 1
	col := len(before) - bytes.LastIndexByte(before, '\n')
	return fmt.Sprintf(":%d:%d", line, col)
}
