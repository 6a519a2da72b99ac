package docblocks

import (
	"os"
	"path/filepath"
	"testing"
)

func TestRead(t *testing.T) {
	t.Parallel()
	md := "# Title\n\n```sh\ngo test ./...\n```\n\n- a list item:\n\n  ```yaml\n  settings:\n    version: 1\n  ```\n\n```\nno language\n```\n"
	file := filepath.Join(t.TempDir(), "x.md")
	if err := os.WriteFile(file, []byte(md), 0o644); err != nil {
		t.Fatal(err)
	}
	bs, err := Read(file)
	if err != nil {
		t.Fatal(err)
	}
	want := []Block{
		{File: file, Line: 3, Lang: "sh", Text: "go test ./...\n"},
		{File: file, Line: 9, Lang: "yaml", Text: "settings:\n  version: 1\n"},
		{File: file, Line: 14, Lang: "", Text: "no language\n"},
	}
	if len(bs) != len(want) {
		t.Fatalf("got %d blocks, want %d: %+v", len(bs), len(want), bs)
	}
	for i := range want {
		if bs[i] != want[i] {
			t.Errorf("block %d = %+v, want %+v", i, bs[i], want[i])
		}
	}
	if err := os.WriteFile(file, []byte("```sh\nopen\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Read(file); err == nil {
		t.Error("an unclosed block is not an error")
	}
}
