package unjoined

import (
	"go/token"
	"go/types"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/reloadvet/reloadvet/internal/facts"
	"github.com/reloadvet/reloadvet/internal/joins"
	"github.com/reloadvet/reloadvet/internal/scope"
)

// effectsFact records what a function does to the groups and channels it
// is given, so that a join or a signal in a function of another package
// counts: a helper that waits on a group, a method that closes a done
// channel, a function that keeps a channel it is passed.
type effectsFact struct {
	Effects []factEffect
}

// factEffect is a joins.Effect in a form gob encodes compactly.
type factEffect struct {
	Op    uint8
	Input uint8
	Path  string
	Must  bool
}

func (*effectsFact) AFact() {}

func (f *effectsFact) String() string {
	parts := make([]string, len(f.Effects))
	for i, e := range f.Effects {
		parts[i] = toEffect(e).String()
	}
	return "effects(" + strings.Join(parts, ", ") + ")"
}

func toEffect(e factEffect) joins.Effect {
	in := int(e.Input)
	if e.Input == globalInput {
		in = joins.Global
	}
	return joins.Effect{Op: joins.Op(e.Op), Input: in, Path: e.Path, Must: e.Must}
}

// globalInput is how a fact writes joins.Global.
const globalInput = 255

// maxInputs bounds the parameter indices a fact can hold.
const maxInputs = globalInput

// exportEffects exports the effects of each function and method of the
// package declared in source.
func exportEffects(pass *analysis.Pass, a *joins.Analysis, funcs []*ssa.Function) {
	for _, fn := range funcs {
		obj, ok := fn.Object().(*types.Func)
		if !ok || fn.Parent() != nil || obj.Pkg() != pass.Pkg || !obj.Exported() {
			continue
		}
		effs := a.Effects(fn)
		if len(effs) == 0 {
			continue
		}
		fact := &effectsFact{}
		for _, e := range effs {
			in := uint8(globalInput)
			switch {
			case e.Input == joins.Global:
			case e.Input < 0 || e.Input >= len(fn.Params) || e.Input >= maxInputs:
				continue // free variables, and what cannot be named
			default:
				in = uint8(e.Input)
			}
			fact.Effects = append(fact.Effects, factEffect{Op: uint8(e.Op), Input: in, Path: e.Path, Must: e.Must})
		}
		if len(fact.Effects) > 0 {
			facts.ExportFunc(pass, obj, fact)
		}
	}
}

// importEffects returns the effects recorded for fn by the analysis of
// its package.
func importEffects(pass *analysis.Pass, fn *types.Func) []joins.Effect {
	var fact effectsFact
	if !pass.ImportObjectFact(fn, &fact) {
		return nil
	}
	out := make([]joins.Effect, len(fact.Effects))
	for i, e := range fact.Effects {
		out[i] = toEffect(e)
	}
	return out
}

// fileSet returns the files of the unit, for membership tests.
func fileSet(pass *analysis.Pass, unit scope.Unit) map[*token.File]bool {
	m := make(map[*token.File]bool, len(unit.Files))
	for _, f := range unit.Files {
		m[pass.Fset.File(f.FileStart)] = true
	}
	return m
}
