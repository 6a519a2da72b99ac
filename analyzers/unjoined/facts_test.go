package unjoined

import (
	"bytes"
	"encoding/gob"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"
)

// quiet is an analysistest.Testing that ignores expectation mismatches:
// the fact budget test wants the facts, not a comparison with comments.
type quiet struct{}

func (quiet) Errorf(string, ...any) {}

// TestFactBudget keeps the facts of a package with many functions that
// touch groups and channels within a size budget, gob-encoded one by one
// as a driver stores them.
func TestFactBudget(t *testing.T) {
	t.Parallel()
	const funcs = 400
	dir := t.TempDir()
	var src strings.Builder
	src.WriteString("package big\n\nimport \"sync\"\n\ntype S struct {\n\twg sync.WaitGroup\n\tch chan int\n}\n\nvar kept []chan int\n")
	for i := range funcs {
		fmt.Fprintf(&src, `
func F%d(wg *sync.WaitGroup, ch chan int, done chan struct{}, s *S, f func()) {
	defer wg.Done()
	ch <- 1
	close(done)
	s.wg.Wait()
	<-s.ch
	kept = append(kept, ch)
	f()
}
`, i)
	}
	pkg := filepath.Join(dir, "src", "big")
	if err := os.MkdirAll(pkg, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(pkg, "big.go"), []byte(src.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	results := analysistest.Run(quiet{}, dir, Analyzer, "big")
	total, n := 0, 0
	for _, r := range results {
		for _, facts := range r.Facts {
			for _, f := range facts {
				var buf bytes.Buffer
				if err := gob.NewEncoder(&buf).Encode(f); err != nil {
					t.Fatal(err)
				}
				total += buf.Len()
				n++
			}
		}
	}
	if n != funcs {
		t.Fatalf("%d facts, want one per function (%d)", n, funcs)
	}
	// Each function has 7 effects; a fact encodes in about 200 bytes
	// (gob sends the type with every value encoded alone).
	const budget = 300 * funcs
	if total > budget {
		t.Errorf("facts of %d functions take %d bytes gob-encoded, budget %d", funcs, total, budget)
	}
	t.Logf("facts of %d functions: %d bytes gob-encoded", funcs, total)
}

// TestFactString keeps the fact's String stable: it appears in test
// expectations and debugging output.
func TestFactString(t *testing.T) {
	f := &effectsFact{Effects: []factEffect{{Op: 2, Input: 0}, {Op: 3, Input: 1, Path: "2,0,", Must: true}}}
	if got, want := f.String(), "effects(done in0, wait in1.2,0!)"; got != want {
		t.Errorf("String() = %q, want %q", got, want)
	}
}
