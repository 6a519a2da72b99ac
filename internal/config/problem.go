package config

import (
	"fmt"
	"strings"
)

// A Problem is one thing wrong with a config: where it is, which key, what
// is wrong and what would be accepted instead.
type Problem struct {
	File string // config file as given to Load; empty for configs built in Go
	Line int    // 1-based; 0 when the position is unknown
	Col  int    // 1-based; 0 when the position is unknown
	Path string // key path such as "modules[2].name"; empty for the whole file
	Msg  string // what is wrong, ending with "(accepted: ...)"
}

func (p *Problem) Error() string {
	var b strings.Builder
	if p.File != "" {
		b.WriteString(p.File)
		if p.Line > 0 {
			fmt.Fprintf(&b, ":%d:%d", p.Line, p.Col)
		}
		b.WriteString(": ")
	}
	if p.Path != "" {
		b.WriteString(p.Path)
		b.WriteString(": ")
	}
	b.WriteString(p.Msg)
	return b.String()
}

// Problems is every problem found in one config, in file order. It is the
// error type returned by Load, Parse and Validate.
type Problems []*Problem

func (ps Problems) Error() string {
	lines := make([]string, len(ps))
	for i, p := range ps {
		lines[i] = p.Error()
	}
	return strings.Join(lines, "\n")
}
