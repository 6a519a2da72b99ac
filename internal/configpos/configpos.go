// Package configpos turns positions in the config file into token.Pos
// values, so that diagnostics can point into .reloadvet.yml as related
// information.
package configpos

import (
	"go/token"
	"strconv"

	"golang.org/x/tools/go/analysis"

	"github.com/reloadvet/reloadvet/internal/config"
)

// A File maps config positions for one pass. The config file is added to
// the pass's FileSet the first time a position is needed.
type File struct {
	pass *analysis.Pass
	cfg  *config.Config
	file *token.File
}

// New returns a File for positions of cfg in diagnostics of pass.
func New(pass *analysis.Pass, cfg *config.Config) *File {
	return &File{pass: pass, cfg: cfg}
}

// Pos returns the token.Pos of p, or token.NoPos when the config was not
// read from a file or p lies outside it.
func (f *File) Pos(p config.Pos) token.Pos {
	name, data := f.cfg.File()
	if name == "" || p.Line < 1 {
		return token.NoPos
	}
	if f.file == nil {
		f.file = f.pass.Fset.AddFile(name, -1, len(data))
		f.file.SetLinesForContent(data)
	}
	if p.Line > f.file.LineCount() {
		return token.NoPos
	}
	start := f.file.LineStart(p.Line)
	if off := f.file.Offset(start) + p.Col - 1; off > f.file.Size() {
		return token.NoPos
	}
	return start + token.Pos(p.Col-1)
}

// Layer returns related information pointing at the layers entry of the
// named module, or nothing when the position is unknown.
func (f *File) Layer(module string) []analysis.RelatedInformation {
	p, ok := f.cfg.LayerPos(module)
	if !ok {
		return nil
	}
	pos := f.Pos(p)
	if !pos.IsValid() {
		return nil
	}
	return []analysis.RelatedInformation{{
		Pos:     pos,
		Message: "module " + module + " is declared in layer " + strconv.Itoa(f.cfg.Layer(module)),
	}}
}
