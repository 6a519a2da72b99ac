package joins

import (
	"fmt"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/ssa"
)

// An Op is something a function does to a group or channel that matters
// for joins.
type Op uint8

const (
	OpAdd      Op = iota + 1 // wg.Add(n)
	OpDone                   // wg.Done()
	OpWait                   // wg.Wait(), g.Wait()
	OpGo                     // wg.Go(f), g.Go(f), g.TryGo(f)
	OpClose                  // close(ch)
	OpSend                   // ch <- v, also as a select case
	OpRecv                   // <-ch, range ch, also as a select case
	OpEscape                 // the value leaves what this package can follow
	OpCallback               // a func value it was given is called
	OpNotify                 // c.Broadcast(), c.Signal(): a join not followed
	OpPoll                   // a receive case of a select with a default: not a wait
	OpCondWait               // c.Wait() on a sync.Cond: what a notify may wake
	OpGoEscape               // an escape in the code of a goroutine the function starts
)

var opNames = [...]string{"", "add", "done", "wait", "go", "close", "send", "recv", "escape", "callback", "notify", "poll", "condwait", "goescape"}

func (op Op) String() string {
	if int(op) < len(opNames) {
		return opNames[op]
	}
	return fmt.Sprintf("op%d", op)
}

// isSignal reports whether op tells a waiter that a goroutine got there.
func (op Op) isSignal() bool { return op == OpDone || op == OpClose || op == OpSend }

// Global is the Input of an Effect on a package-level variable.
const Global = -1

// An Effect is an Op a function applies to one of its inputs (parameter i,
// receiver first; then free variable i-len(Params)) or a field below it,
// or, for a signal, to a package-level variable (Input is Global).
type Effect struct {
	Op    Op
	Input int
	Path  string // as in Loc
	// Must is set for OpWait and OpRecv when every path from the
	// function's entry to a return performs it: a call of the function
	// then waits as surely as the Op itself.
	Must bool
}

func (e Effect) String() string {
	if e.Input == Global {
		return e.Op.String() + " global"
	}
	s := fmt.Sprintf("%s in%d", e.Op, e.Input)
	if e.Path != "" {
		s += "." + e.Path[:len(e.Path)-1]
	}
	if e.Must {
		s += "!"
	}
	return s
}

// External returns the effects of a function of another package, as that
// package's analysis recorded them (for example in a fact); nil when it has
// none. Input indices follow the SSA convention: receiver first.
type External func(fn *types.Func) []Effect

// An Analysis answers join questions about the functions of one SSA
// package, caching what it learns. It is not safe for concurrent use.
type Analysis struct {
	external External
	effects  map[*ssa.Function][]Effect
	busy     map[*ssa.Function]bool
	infos    map[*ssa.Function]fnInfo
}

// New returns an Analysis that consults external for functions without a
// body in the SSA program; external may be nil.
func New(external External) *Analysis {
	return &Analysis{
		external: external,
		effects:  map[*ssa.Function][]Effect{},
		busy:     map[*ssa.Function]bool{},
	}
}

// bodyFunc returns the function whose instructions stand for fn: fn itself, or
// the generic function an instance was made from.
func bodyFunc(fn *ssa.Function) *ssa.Function {
	if fn.Blocks == nil {
		if o := fn.Origin(); o != nil {
			return o
		}
	}
	return fn
}

// Effects returns the effects of fn on its inputs. A function in the
// middle of being summarised (recursion) has none yet.
func (a *Analysis) Effects(fn *ssa.Function) []Effect {
	fn = bodyFunc(fn)
	if effs, ok := a.effects[fn]; ok {
		return effs
	}
	if fn.Blocks == nil {
		var effs []Effect
		if obj, ok := fn.Object().(*types.Func); ok && a.external != nil {
			if o := obj.Origin(); o != nil {
				obj = o
			}
			effs = a.external(obj)
		}
		a.effects[fn] = effs
		return effs
	}
	if a.busy[fn] {
		return nil
	}
	a.busy[fn] = true
	var effs []Effect
	seen := map[Effect]bool{}
	a.visit(fn, func(op Op, l Loc) {
		in := input(fn, l.Root)
		if in < 0 {
			// A signal on a package-level variable may be waited on by
			// anyone: record it as a signal on no input (Global).
			if !isGlobal(l.Root) || !op.isSignal() {
				return
			}
			in = Global
		}
		if (op == OpEscape || op == OpGoEscape) && !mayHold(l.Type()) {
			return
		}
		e := Effect{Op: op, Input: in, Path: l.Path}
		if (op == OpWait || op == OpRecv) && a.mustWaitFromEntry(fn, l) {
			e.Must = true
		}
		if !seen[e] {
			seen[e] = true
			effs = append(effs, e)
		}
	})
	delete(a.busy, fn)
	a.effects[fn] = effs
	return effs
}

// visit calls f for every Op that fn applies, directly or through the
// functions it calls, to a Loc of its own (callee effects are mapped to
// fn's Locs). OpCallback is reported with the Loc of the func value called.
func (a *Analysis) visit(fn *ssa.Function, f func(Op, Loc)) {
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			a.visitInstr(instr, f)
		}
	}
}

// Ops calls f for each Op instr applies to a Loc of its function,
// including those of the functions it calls.
func (a *Analysis) Ops(instr ssa.Instruction, f func(Op, Loc)) { a.visitInstr(instr, f) }

func (a *Analysis) visitInstr(instr ssa.Instruction, f func(Op, Loc)) {
	switch x := instr.(type) {
	case *ssa.Send:
		f(OpSend, locOf(x.Chan))
		f(OpEscape, locOf(x.X))
	case *ssa.UnOp:
		if x.Op == token.ARROW {
			f(OpRecv, locOf(x.X))
		}
	case *ssa.Select:
		for _, st := range x.States {
			switch {
			case st.Dir == types.SendOnly:
				f(OpSend, locOf(st.Chan))
				f(OpEscape, locOf(st.Send))
			case x.Blocking:
				f(OpRecv, locOf(st.Chan))
			default:
				f(OpPoll, locOf(st.Chan))
			}
		}
	case *ssa.Store:
		if _, toVar := x.Addr.(*ssa.Alloc); !toVar { // a variable is followed by locOf
			f(OpEscape, locOf(x.Val))
		}
	case *ssa.MapUpdate:
		f(OpEscape, locOf(x.Key))
		f(OpEscape, locOf(x.Value))
	case *ssa.Return:
		for _, r := range x.Results {
			f(OpEscape, locOf(r))
		}
	case *ssa.MakeInterface:
		f(OpEscape, locOf(x.X))
	case *ssa.Phi:
		for _, e := range x.Edges {
			f(OpEscape, locOf(e))
		}
	case *ssa.MakeClosure:
		if !a.onlyCalled(x) {
			for _, v := range x.Bindings {
				f(OpEscape, locOf(v))
			}
		}
	case *ssa.Call:
		a.visitCall(&x.Call, false, f)
	case *ssa.Defer:
		a.visitCall(&x.Call, false, f)
	case *ssa.Go:
		a.visitCall(&x.Call, true, f)
	}
}

// visitCall reports the Ops of one call. What a goroutine started by the
// call does is not the caller's doing: of its effects only escapes and
// callbacks (code of unknown effect) are reported.
func (a *Analysis) visitCall(call *ssa.CallCommon, spawn bool, f func(Op, Loc)) {
	if spawn {
		f = spawnView(f)
	}
	if op, g := apiOp(call); op != 0 {
		f(op, locOf(g))
		if op == OpGo && len(call.Args) == 2 {
			a.visitFuncArg(call.Args[1], spawnView(f))
		}
		return
	}
	if b, ok := call.Value.(*ssa.Builtin); ok {
		switch b.Name() {
		case "close":
			f(OpClose, locOf(call.Args[0]))
		case "len", "cap", "print", "println", "panic", "recover", "min", "max", "clear":
		default: // append, copy, ...
			for _, arg := range call.Args {
				f(OpEscape, locOf(arg))
			}
		}
		return
	}
	callee := call.StaticCallee()
	if callee == nil {
		a.visitDynamic(call, f)
		return
	}
	for _, e := range a.Effects(callee) {
		if e.Input == Global {
			f(e.Op, Loc{Root: someGlobal{}})
			continue
		}
		v := inputValue(call, callee, e.Input)
		if v == nil {
			continue
		}
		if e.Op == OpCallback && e.Path == "" {
			a.visitFuncArg(v, f)
			continue
		}
		// A callback below the input (the pool's New) is called on
		// what the input holds: its Loc keeps the path.
		f(e.Op, locOf(v).under(e.Path))
	}
}

// someGlobal is the Root of a callee's signal on a package-level variable.
type someGlobal struct{}

func (someGlobal) Name() string                  { return "global" }
func (someGlobal) String() string                { return "global" }
func (someGlobal) Type() types.Type              { return nil }
func (someGlobal) Parent() *ssa.Function         { return nil }
func (someGlobal) Referrers() *[]ssa.Instruction { return nil }
func (someGlobal) Pos() token.Pos                { return token.NoPos }

// isGlobal reports whether a Root is a package-level variable.
func isGlobal(v ssa.Value) bool {
	switch v.(type) {
	case *ssa.Global, someGlobal:
		return true
	}
	return false
}

// spawnView filters the Ops of code run by a new goroutine down to those
// that still concern the spawning function.
func spawnView(f func(Op, Loc)) func(Op, Loc) {
	return func(op Op, l Loc) {
		switch op {
		case OpEscape, OpGoEscape:
			f(OpGoEscape, l)
		case OpCallback:
			f(op, l)
		}
	}
}

// visitDynamic handles a call through an interface or a func value: its
// arguments may go anywhere, and a func value it was given is a callback.
func (a *Analysis) visitDynamic(call *ssa.CallCommon, f func(Op, Loc)) {
	if !call.IsInvoke() {
		f(OpCallback, locOf(call.Value))
	} else if _, ok := types.Unalias(call.Value.Type()).(*types.TypeParam); ok {
		// g.Wait() on a G constrained by interface{ Wait() }: the method
		// may be a group's.
		f(OpEscape, locOf(call.Value))
	}
	for _, arg := range call.Args {
		f(OpEscape, locOf(arg))
	}
}

// visitFuncArg reports the Ops of a func value that is called where it is
// passed: the effects of a static function or closure, or a callback.
func (a *Analysis) visitFuncArg(v ssa.Value, f func(Op, Loc)) {
	switch fv := v.(type) {
	case *ssa.Function:
		return // no inputs of the caller reach it
	case *ssa.MakeClosure:
		fn, ok := fv.Fn.(*ssa.Function)
		if !ok {
			return
		}
		for _, e := range a.Effects(fn) {
			if e.Input < numParams(fn) {
				continue // parameters are supplied by whoever calls it
			}
			j := e.Input - numParams(fn)
			if j < len(fv.Bindings) {
				f(e.Op, locOf(fv.Bindings[j]).under(e.Path))
			}
		}
		return
	}
	f(OpCallback, locOf(v))
}

// onlyCalled reports whether a closure is only ever called, deferred or
// started where it is made, or passed to a function that only calls it
// (or starts it), so that its effects are its caller's.
//
//	func() { ... }()        defer func() { ... }()        go func() { ... }()
//	run(func() { ... })     // run calls its func and keeps it nowhere
func (a *Analysis) onlyCalled(mc *ssa.MakeClosure) bool {
	refs := mc.Referrers()
	if refs == nil {
		return false
	}
	for _, r := range *refs {
		var call *ssa.CallCommon
		switch r := r.(type) {
		case *ssa.Call:
			call = &r.Call
		case *ssa.Defer:
			call = &r.Call
		case *ssa.Go:
			call = &r.Call
		default:
			return false
		}
		if call.Value != mc {
			if op, _ := apiOp(call); op == OpGo && len(call.Args) == 2 && call.Args[1] == mc {
				continue // wg.Go(func() { ... })
			}
			if a.onlyCalls(call, mc) {
				continue
			}
			return false
		}
	}
	return true
}

// mayHold reports whether a value of type t may hold a group or channel;
// nil (unknown) may.
func mayHold(t types.Type) bool {
	if t == nil {
		return true
	}
	_, basic := t.Underlying().(*types.Basic)
	return !basic
}

// onlyCalls reports whether the static callee of call calls the func
// value mc it is passed (as a callback effect) and lets it go nowhere
// else.
func (a *Analysis) onlyCalls(call *ssa.CallCommon, mc *ssa.MakeClosure) bool {
	callee := call.StaticCallee()
	if callee == nil {
		return false
	}
	called := false
	for i, arg := range call.Args {
		if arg != mc {
			continue
		}
		for _, e := range a.Effects(callee) {
			if e.Input != i || e.Path != "" {
				continue
			}
			switch e.Op {
			case OpCallback:
				called = true
			case OpEscape, OpGoEscape:
				return false
			}
		}
	}
	return called
}
