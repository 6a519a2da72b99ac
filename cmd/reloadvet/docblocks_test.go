package main

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/reloadvet/reloadvet/internal/docblocks"
)

// docBlocks returns the fenced code blocks of the Markdown files, named
// relative to the repository root.
func docBlocks(t *testing.T, files ...string) []docblocks.Block {
	t.Helper()
	var out []docblocks.Block
	for _, name := range files {
		bs, err := docblocks.Read(filepath.Join("..", "..", name))
		if err != nil {
			t.Fatal(err)
		}
		for _, b := range bs {
			b.File = name
			out = append(out, b)
		}
	}
	return out
}

// golangciRecipe returns the .golangci.yml that docs/ci.md tells users to
// write: the yaml block that enables the reloadvet module plugin.
func golangciRecipe(t *testing.T) docblocks.Block {
	t.Helper()
	for _, b := range docBlocks(t, "docs/ci.md") {
		if b.Lang == "yaml" && strings.Contains(b.Text, "linters:") && strings.Contains(b.Text, "type: module") {
			return b
		}
	}
	t.Fatal("docs/ci.md has no .golangci.yml recipe (a yaml block with linters: and type: module)")
	return docblocks.Block{}
}
