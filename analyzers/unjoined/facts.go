package unjoined

import (
	"fmt"
	"go/token"
	"go/types"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"
	"golang.org/x/tools/go/types/objectpath"

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
		obj, ok := exportable(pass, fn)
		if !ok {
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

// exportable returns the object of fn when fn is a function or method of
// the package that other packages can call and that a fact can be
// attached to: unitchecker encodes facts by objectpath, which names
// package-level objects and their methods, not what is declared inside a
// function.
func exportable(pass *analysis.Pass, fn *ssa.Function) (*types.Func, bool) {
	obj, ok := fn.Object().(*types.Func)
	if !ok || fn.Parent() != nil || obj.Pkg() != pass.Pkg || !obj.Exported() {
		return nil, false
	}
	if _, err := objectpath.For(obj); err != nil {
		return nil, false
	}
	return obj, true
}

// spawnsFact records that a function starts the func it is given as
// parameter Param (receiver first) on a goroutine and does not wait for
// it: a helper such as Go(f), Submit(f) or runAsync(f). A call of it is a
// spawn of its argument.
type spawnsFact struct {
	Param uint8
}

func (*spawnsFact) AFact() {}

func (f *spawnsFact) String() string { return fmt.Sprintf("spawns(in%d)", f.Param) }

// exportSpawns exports a spawnsFact for each exported function of the
// package that starts a func parameter it does not wait for.
func exportSpawns(pass *analysis.Pass, a *joins.Analysis, funcs []*ssa.Function) {
	for _, fn := range funcs {
		obj, ok := exportable(pass, fn)
		if !ok || !hasFuncParam(fn) {
			continue
		}
		if p := spawnedParam(a, fn); p >= 0 && p < maxInputs {
			facts.ExportFunc(pass, obj, &spawnsFact{Param: uint8(p)})
		}
	}
}

// spawnedParam returns the parameter of fn that a spawn in fn (or in a
// closure fn makes) starts without waiting, or -1.
func spawnedParam(a *joins.Analysis, fn *ssa.Function) int {
	for _, f := range withClosures(fn) {
		for _, s := range joins.Spawns(f) {
			if r := a.Check(s); r.Verdict == joins.Silent && r.Param >= 0 && !returnsUnnamed(a, s) {
				return r.Param
			}
		}
	}
	return -1
}

// withClosures returns fn and the func literals nested in it.
func withClosures(fn *ssa.Function) []*ssa.Function {
	out := []*ssa.Function{fn}
	for i := 0; i < len(out); i++ {
		out = append(out, out[i].AnonFuncs...)
	}
	return out
}

// hasFuncParam reports whether fn has a parameter of func type.
func hasFuncParam(fn *ssa.Function) bool {
	ps := fn.Signature.Params()
	for i := range ps.Len() {
		if _, ok := ps.At(i).Type().Underlying().(*types.Signature); ok {
			return true
		}
	}
	return false
}

// importSpawns returns the parameter a function of another package starts
// without waiting (its spawnsFact), and whether it has one.
func importSpawns(pass *analysis.Pass, fn *types.Func) (int, bool) {
	var fact spawnsFact
	if o := fn.Origin(); o != nil {
		fn = o
	}
	if fn.Pkg() == pass.Pkg || !pass.ImportObjectFact(fn, &fact) {
		return 0, false
	}
	return int(fact.Param), true
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
