package joins

import (
	"go/token"

	"golang.org/x/tools/go/ssa"
)

// A Spawn is one place where a function starts a goroutine.
type Spawn struct {
	// Instr is the *ssa.Go of a go statement, or the *ssa.Call of wg.Go,
	// g.Go or g.TryGo.
	Instr ssa.Instruction
	// Call is the goroutine's call for a go statement, and the API call
	// otherwise.
	Call *ssa.CallCommon
	// Group is the group of wg.Go, g.Go or g.TryGo; nil for a go
	// statement.
	Group ssa.Value
	// Func is, for a call of a helper that starts the func it is given
	// (HelperSpawn), that func; nil otherwise.
	Func ssa.Value
}

// HelperSpawn returns the spawn made by a call of a helper that starts its
// argument arg on a goroutine of its own and does not wait for it:
//
//	async.Go(func() { ... })
func HelperSpawn(call *ssa.Call, arg int) (Spawn, bool) {
	if arg < 0 || arg >= len(call.Call.Args) {
		return Spawn{}, false
	}
	return Spawn{Instr: call, Call: &call.Call, Func: call.Call.Args[arg]}, true
}

// Spawns returns the spawns in the body of fn (not in the closures it
// makes), in instruction order.
func Spawns(fn *ssa.Function) []Spawn {
	var out []Spawn
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			if s, ok := SpawnOf(instr); ok {
				out = append(out, s)
			}
		}
	}
	return out
}

// SpawnOf returns the spawn instr is, if it is one.
//
//	go f(x)      go func() { ... }()      go s.loop()
//	wg.Go(f)     g.Go(f)                  g.TryGo(f)
func SpawnOf(instr ssa.Instruction) (Spawn, bool) {
	switch x := instr.(type) {
	case *ssa.Go:
		return Spawn{Instr: x, Call: &x.Call}, true
	case *ssa.Call:
		if op, g := apiOp(&x.Call); op == OpGo {
			return Spawn{Instr: x, Call: &x.Call, Group: g}, true
		}
	}
	return Spawn{}, false
}

// Body returns the function the goroutine runs when it is known statically.
func (s Spawn) Body() *ssa.Function {
	if s.Func != nil {
		return funcOf(s.Func)
	}
	if s.Group != nil {
		if len(s.Call.Args) == 2 {
			return funcOf(s.Call.Args[1])
		}
		return nil
	}
	if s.Call.IsInvoke() {
		return nil
	}
	return s.Call.StaticCallee()
}

func funcOf(v ssa.Value) *ssa.Function {
	switch f := v.(type) {
	case *ssa.Function:
		return f
	case *ssa.MakeClosure:
		fn, _ := f.Fn.(*ssa.Function)
		return fn
	}
	return nil
}

// A Use is an Op the goroutine of a spawn applies to a Loc of the spawning
// function, at a position inside the goroutine's code (or the spawn's, for
// what the group API does).
type Use struct {
	Op  Op
	Loc Loc
}

// Uses returns what the goroutine of s does to the spawning function's
// Locs. A wg.Go or g.Go spawn signals its group when the goroutine ends.
func (a *Analysis) Uses(s Spawn) []Use {
	var out []Use
	add := func(op Op, l Loc) { out = append(out, Use{op, l}) }
	if s.Func != nil {
		a.visitFuncArg(s.Func, add)
		return out
	}
	if s.Group != nil {
		add(OpDone, locOf(s.Group))
		if len(s.Call.Args) == 2 {
			a.visitFuncArg(s.Call.Args[1], add)
		}
		return out
	}
	callee := s.Call.StaticCallee()
	if s.Call.IsInvoke() || callee == nil {
		// go r.Run(stop), go f(done): the code and what it is given
		// are out of sight.
		add(OpCallback, locOf(s.Call.Value))
		for _, arg := range s.Call.Args {
			if mayHold(arg.Type()) {
				add(OpEscape, locOf(arg))
			}
		}
		return out
	}
	for _, e := range a.Effects(callee) {
		v := inputValue(s.Call, callee, e.Input)
		if v == nil {
			if e.Op.isSignal() || e.Op == OpCallback {
				add(OpCallback, Loc{}) // signals something we cannot name
			}
			continue
		}
		if e.Op == OpCallback && e.Path == "" {
			a.visitFuncArg(v, add)
			continue
		}
		add(e.Op, locOf(v).under(e.Path))
	}
	return out
}

// returns reports whether some path from instr reaches a return of its
// function; a spawning function that never returns never lets go.
func (a *Analysis) returns(instr ssa.Instruction) bool {
	return a.pathsWait(instr.Parent(), instr.Block(), index(instr)+1, Loc{Root: never{}}) != nil
}

// never is a Root no instruction refers to.
type never struct{ someGlobal }

// Scoped reports whether the spawning function waits for the goroutine
// started by spawn on every path from the spawn to a return, directly, by
// a deferred wait, through a callee that always waits, or through another
// goroutine that waits and is itself waited for. When it does not, escape
// is the position of a return reached without waiting (token.NoPos when
// no wait was found at all or the goroutine signals nothing).
//
// Scoped uses a fresh Analysis without external effects; use
// Analysis.Check for the full verdict.
func Scoped(spawn ssa.Instruction) (ok bool, escape token.Pos) {
	s, isSpawn := SpawnOf(spawn)
	if !isSpawn {
		return false, token.NoPos
	}
	r := New(nil).Check(s)
	if r.Verdict == Joined && r.Scoped {
		return true, token.NoPos
	}
	if r.Escape != nil {
		return false, Pos(r.Escape)
	}
	return false, token.NoPos
}
