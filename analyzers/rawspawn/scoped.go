package rawspawn

import (
	"go/ast"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/reloadvet/reloadvet/internal/joins"
)

// A scopeProver answers, for allow-scoped, whether a go statement's
// goroutine is waited for by the function that starts it, with the proof
// the unjoined analyzer uses (internal/joins).
//
// The SSA form it needs is built here, once per package and only when the
// option is on, rather than required from buildssa: the option can be
// turned on by a flag after the analyzer's requirements are fixed, and
// requiring buildssa would make every rawspawn run compute the facts of
// ctrlflow over all dependencies. Without them, a call of another
// package's function that never returns is not known to end its path,
// which can only make a proof fail, never succeed wrongly.
type scopeProver struct {
	pass *analysis.Pass
	// spawn holds the package's spawns: go statements by the position of
	// "go", group Go calls by the position of their "(".
	spawn map[token.Pos]ssa.Instruction
}

func newScopeProver(pass *analysis.Pass) *scopeProver {
	return &scopeProver{pass: pass}
}

// joined reports whether every path from the spawn at pos (a go
// statement's "go", a group Go call's "(") to a return of its function
// waits for the goroutine it starts.
func (p *scopeProver) joined(pos token.Pos) bool {
	if p.spawn == nil {
		p.spawn = p.build()
	}
	instr, ok := p.spawn[pos]
	if !ok {
		return false
	}
	scoped, _ := joins.Scoped(instr)
	return scoped
}

// build makes the package's SSA form and indexes its spawns.
func (p *scopeProver) build() map[token.Pos]ssa.Instruction {
	prog := ssa.NewProgram(p.pass.Fset, 0)
	for _, imp := range p.pass.Pkg.Imports() {
		prog.CreatePackage(imp, nil, nil, true)
	}
	pkg := prog.CreatePackage(p.pass.Pkg, p.pass.Files, p.pass.TypesInfo, false)
	pkg.Build()

	out := map[token.Pos]ssa.Instruction{}
	var visit func(fn *ssa.Function)
	visit = func(fn *ssa.Function) {
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				if _, ok := joins.SpawnOf(instr); ok {
					out[instr.Pos()] = instr
				}
			}
		}
		for _, anon := range fn.AnonFuncs {
			visit(anon)
		}
	}
	if init := pkg.Func("init"); init != nil {
		visit(init) // func literals of package-level initializers
	}
	for _, f := range p.pass.Files {
		for _, decl := range f.Decls {
			fd, ok := decl.(*ast.FuncDecl)
			if !ok {
				continue
			}
			if obj, ok := p.pass.TypesInfo.Defs[fd.Name].(*types.Func); ok {
				if fn := prog.FuncValue(obj); fn != nil {
					visit(fn)
				}
			}
		}
	}
	return out
}
