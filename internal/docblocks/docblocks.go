// Package docblocks reads the fenced code blocks of Markdown files, so that
// tests can check that the recipes in the documentation work as written.
package docblocks

import (
	"fmt"
	"os"
	"strconv"
	"strings"
)

// A Block is one fenced code block.
type Block struct {
	File string // as given to Read
	Line int    // of the opening fence, 1-based
	Lang string // the fence's info string: sh, yaml, json, ...
	Text string // the lines between the fences, the fence's indentation removed
}

func (b Block) String() string { return b.File + ":" + strconv.Itoa(b.Line) }

// Read returns the fenced code blocks of the Markdown file, in order.
// Blocks indented in a list item are found too.
func Read(file string) ([]Block, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	var out []Block
	var cur *Block
	var indent string
	for i, line := range strings.Split(string(data), "\n") {
		trimmed := strings.TrimLeft(line, " ")
		switch {
		case cur == nil && strings.HasPrefix(trimmed, "```"):
			indent = line[:len(line)-len(trimmed)]
			cur = &Block{File: file, Line: i + 1, Lang: strings.TrimSpace(strings.TrimPrefix(trimmed, "```"))}
		case cur != nil && strings.HasPrefix(trimmed, "```"):
			out = append(out, *cur)
			cur = nil
		case cur != nil:
			cur.Text += strings.TrimPrefix(line, indent) + "\n"
		}
	}
	if cur != nil {
		return nil, fmt.Errorf("%s:%d: code block is never closed", file, cur.Line)
	}
	return out, nil
}
