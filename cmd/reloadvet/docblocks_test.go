package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A docBlock is one fenced code block of a Markdown file.
type docBlock struct {
	file string // relative to the repository root
	line int    // of the opening fence
	lang string // the fence's info string: sh, yaml, go, ...
	text string
}

func (b docBlock) String() string { return b.file + ":" + itoa(b.line) }

func itoa(n int) string {
	var digits []byte
	for {
		digits = append([]byte{byte('0' + n%10)}, digits...)
		n /= 10
		if n == 0 {
			return string(digits)
		}
	}
}

// docBlocks returns the fenced code blocks of the Markdown files, named
// relative to the repository root, in order. Blocks indented in a list
// item are found too, their indentation removed.
func docBlocks(t *testing.T, files ...string) []docBlock {
	t.Helper()
	var out []docBlock
	for _, name := range files {
		data, err := os.ReadFile(filepath.Join("..", "..", name))
		if err != nil {
			t.Fatal(err)
		}
		var cur *docBlock
		var indent string
		for i, line := range strings.Split(string(data), "\n") {
			trimmed := strings.TrimLeft(line, " ")
			switch {
			case cur == nil && strings.HasPrefix(trimmed, "```"):
				indent = line[:len(line)-len(trimmed)]
				cur = &docBlock{file: name, line: i + 1, lang: strings.TrimSpace(strings.TrimPrefix(trimmed, "```"))}
			case cur != nil && strings.HasPrefix(trimmed, "```"):
				out = append(out, *cur)
				cur = nil
			case cur != nil:
				cur.text += strings.TrimPrefix(line, indent) + "\n"
			}
		}
		if cur != nil {
			t.Fatalf("%s: code block opened at line %d is never closed", name, cur.line)
		}
	}
	return out
}

// golangciRecipe returns the .golangci.yml that docs/ci.md tells users to
// write: the yaml block that enables the reloadvet module plugin.
func golangciRecipe(t *testing.T) docBlock {
	t.Helper()
	for _, b := range docBlocks(t, "docs/ci.md") {
		if b.lang == "yaml" && strings.Contains(b.text, "linters:") && strings.Contains(b.text, "type: module") {
			return b
		}
	}
	t.Fatal("docs/ci.md has no .golangci.yml recipe (a yaml block with linters: and type: module)")
	return docBlock{}
}
