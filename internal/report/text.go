package report

import (
	"bufio"
	"fmt"
	"go/token"
	"io"
	"os"
	"strings"
)

// TextOptions shape the text output.
type TextOptions struct {
	// Dir makes file names relative to it when they lie below it.
	Dir string
	// Context, when non-negative, prints the offending lines with this many
	// lines of context around them.
	Context int
}

// WriteText prints each finding as "file:line:col: message (analyzer)",
// with related places indented below it.
func WriteText(w io.Writer, fs []Finding, opts TextOptions) error {
	bw := bufio.NewWriter(w)
	for _, f := range fs {
		fmt.Fprintf(bw, "%s: %s (%s)\n", position(opts.Dir, f.Posn), f.Message, f.Analyzer)
		writeContext(bw, f.Posn, f.End, opts.Context)
		for _, r := range f.Related {
			fmt.Fprintf(bw, "\t%s: %s\n", position(opts.Dir, r.Posn), r.Message)
		}
	}
	return bw.Flush()
}

func position(dir string, p token.Position) string {
	if !p.IsValid() {
		return "-"
	}
	p.Filename = relPath(dir, p.Filename)
	return p.String()
}

// writeContext prints lines start.Line-n through end.Line+n of the file.
func writeContext(w io.Writer, start, end token.Position, n int) {
	if n < 0 || start.Filename == "" {
		return
	}
	data, err := os.ReadFile(start.Filename)
	if err != nil {
		return
	}
	if !end.IsValid() || end.Filename != start.Filename {
		end = start
	}
	lines := strings.Split(string(data), "\n")
	for i := max(1, start.Line-n); i <= min(len(lines), end.Line+n); i++ {
		fmt.Fprintf(w, "%d\t%s\n", i, lines[i-1])
	}
}
