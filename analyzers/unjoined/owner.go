package unjoined

import (
	"go/token"
	"go/types"

	"golang.org/x/tools/go/ssa"

	"github.com/reloadvet/reloadvet/internal/joins"
)

// owners is what the package's functions do to struct fields that hold
// groups and channels: the owner join is a wait on the field anywhere in
// the package (a Stop, Close or Shutdown method, or any other function).
type owners struct {
	waited  map[*types.Var]bool
	unsure  map[*types.Var]bool // escapes, or is set from a value made elsewhere
	stopper map[*types.Var]stop // the first close of the field
}

// A stop is where a function tells a goroutine to stop through a field.
type stop struct {
	fn  *ssa.Function
	pos token.Pos
}

func ownersOf(a *joins.Analysis, funcs []*ssa.Function) *owners {
	o := &owners{waited: map[*types.Var]bool{}, unsure: map[*types.Var]bool{}, stopper: map[*types.Var]stop{}}
	for _, fn := range funcs {
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				o.scan(a, fn, instr)
			}
		}
	}
	return o
}

func (o *owners) scan(a *joins.Analysis, fn *ssa.Function, instr ssa.Instruction) {
	// s.done = v   // and the fields of &T{done: v}
	if st, ok := instr.(*ssa.Store); ok {
		if f := joins.LocOf(st.Addr).Field(); f != nil && !joins.IsFresh(st.Val) {
			o.unsure[f] = true
		}
	}
	a.Ops(instr, func(op joins.Op, l joins.Loc) {
		f := l.Field()
		if f == nil {
			return
		}
		switch op {
		case joins.OpWait, joins.OpRecv:
			o.waited[f] = true
		case joins.OpEscape, joins.OpCallback:
			o.unsure[f] = true
		case joins.OpClose: // a send may as well be data or a wake-up
			if _, ok := o.stopper[f]; !ok && instr.Pos().IsValid() {
				o.stopper[f] = stop{fn: fn, pos: instr.Pos()}
			}
		}
	})
}

// decides reports whether the package alone can tell whether field f is
// waited on: an unexported field of a type of this package, only ever set
// to values made on the spot.
func (o *owners) decides(pkg *types.Package, f *types.Var) bool {
	return f.Pkg() == pkg && !f.Exported() && !o.unsure[f]
}
