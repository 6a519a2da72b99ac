package unjoined

import (
	"go/token"
	"go/types"
	"strings"

	"golang.org/x/tools/go/ssa"

	"github.com/reloadvet/reloadvet/internal/joins"
)

// owners is what the package's functions do to struct fields that hold
// groups and channels: the owner join is a wait on the field anywhere in
// the package (a Stop, Close or Shutdown method, or any other function).
type owners struct {
	waited  map[*types.Var]bool
	unsure  map[*types.Var]bool // escapes, or is set from a value made elsewhere
	stopper map[via]stop        // the first close of the field
	// condWaiters are the functions that wait on a sync.Cond below a
	// field, by the fields that lead to it.
	condWaiters map[string][]*ssa.Function
	// waitedIn are the functions outside goroutines that wait on each
	// waited field (nil among them: a joined goroutine waits).
	waitedIn map[*types.Var][]*ssa.Function
	// waitedVia are the waited fields of other packages' structs by the
	// field of this package that holds the struct (nil when none does).
	waitedVia map[via]bool
	// skipped are the stop methods' waits on a field that a branch on
	// an argument or a failed call skips, by the return it reaches.
	skipped map[*types.Var]skip
	// leadsBack are the structs into a field of which the package stores
	// a value that may lead back to its own (a closure, an interface, a
	// pointer), by the field that holds the struct, or by its type where
	// no field does: unknown code handed such a struct may reach whatever
	// that value does.
	leadsBack map[any]bool
}

// A via is a waited field f of another package's struct and the field of
// this package that holds it (s.server's listenerGroup), or f alone.
type via struct{ h, f *types.Var }

// via returns the key of the wait on l.
func (o *owners) via(pkg *types.Package, l joins.Loc) via {
	f := l.Field()
	if f.Pkg() == pkg {
		return via{f: f}
	}
	return via{h: o.holder(pkg, l), f: f}
}

// waitedAt reports whether the group or channel at l is waited on: for a
// field of another package's struct, through the field that holds it.
func (o *owners) waitedAt(pkg *types.Package, l joins.Loc) bool {
	k := o.via(pkg, l)
	if k.h == nil {
		return o.waited[k.f]
	}
	return o.waitedVia[k]
}

func (o *owners) hasStopper(k via) bool {
	_, ok := o.stopper[k]
	return ok
}

// A skip is a stop method that can return without its wait on a field.
type skip struct {
	fn  *ssa.Function
	ret *ssa.Return
}

// A stop is where a function tells a goroutine to stop through a field.
type stop struct {
	fn  *ssa.Function
	pos token.Pos
}

func ownersOf(a *joins.Analysis, funcs []*ssa.Function) *owners {
	o := &owners{waited: map[*types.Var]bool{}, unsure: map[*types.Var]bool{}, stopper: map[via]stop{}, condWaiters: map[string][]*ssa.Function{}, waitedIn: map[*types.Var][]*ssa.Function{}, waitedVia: map[via]bool{}, skipped: map[*types.Var]skip{}, leadsBack: map[any]bool{}}
	bodies := spawnedClosures(funcs)
	goOnly := startedOnly(funcs)
	inGoroutine := map[via][]joins.Spawn{}
	for _, fn := range funcs {
		g, spawned := goroutineOf(bodies, fn)
		_, started := goOnly[topFunc(fn)]
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				o.scan(a, fn, instr, spawned || started, func(l joins.Loc) {
					k := o.via(fn.Pkg.Pkg, l)
					if spawned {
						inGoroutine[k] = append(inGoroutine[k], g)
					} else {
						o.waited[k.f] = true
						o.waitedVia[k] = true
						o.waitedIn[k.f] = append(o.waitedIn[k.f], fn)
					}
				})
			}
		}
	}
	// A wait inside a goroutine counts when that goroutine is joined:
	// a consumer nothing waits for joins none of its producers.
	for k, gs := range inGoroutine {
		f := k.f
		for _, g := range gs {
			joined := false
			switch r := a.Check(g); r.Verdict {
			case joins.Joined, joins.Unsure:
				joined = true
			case joins.Owned:
				joined = o.waitedAt(g.Instr.Parent().Pkg.Pkg, r.Signal) || !o.decidesLoc(g.Instr.Parent().Pkg.Pkg, r.Signal)
			}
			if joined {
				o.waited[f] = true
				o.waitedVia[k] = true
				o.waitedIn[f] = append(o.waitedIn[f], nil)
				break
			}
		}
	}
	return o
}

// spawnedClosures maps the func literals started by go statements of the
// package to their spawns.
//
//	go func() { ... }()
func spawnedClosures(funcs []*ssa.Function) map[*ssa.Function]joins.Spawn {
	m := map[*ssa.Function]joins.Spawn{}
	for _, fn := range funcs {
		for _, s := range joins.Spawns(fn) {
			if body := s.Body(); body != nil && body.Parent() != nil && s.Group == nil {
				m[body] = s
			}
		}
	}
	return m
}

// startedOnly returns the functions of the package declared at package
// level that are referred to only by go statements that call them: their
// code runs only as a goroutine's.
//
//	go s.stayUpdated()   // and stayUpdated is called nowhere else
func startedOnly(funcs []*ssa.Function) map[*ssa.Function]struct{} {
	started := map[*ssa.Function]bool{}
	for _, fn := range funcs {
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				g, isGo := instr.(*ssa.Go)
				if mc, ok := instr.(*ssa.MakeClosure); ok {
					// s.run as a method value: a bound wrapper calls it.
					if w, ok := mc.Fn.(*ssa.Function); ok && w.Synthetic != "" {
						if m, ok := w.Object().(*types.Func); ok {
							if c := w.Prog.FuncValue(m); c != nil {
								started[c] = false
							}
						}
					}
				}
				for i, op := range instr.Operands(nil) {
					c, ok := (*op).(*ssa.Function)
					if !ok || c.Parent() != nil {
						continue
					}
					// The callee of a go statement is its first operand.
					byGo := isGo && i == 0 && g.Call.StaticCallee() == c && !g.Call.IsInvoke()
					if !byGo {
						started[c] = false
					} else if _, seen := started[c]; !seen {
						started[c] = true
					}
				}
			}
		}
	}
	out := map[*ssa.Function]struct{}{}
	for c, only := range started {
		if only && !mayBeInvoked(c) {
			out[c] = struct{}{}
		}
	}
	return out
}

// mayBeInvoked reports whether fn is a method that an interface call may
// reach: an exported one, or one whose name an interface of its package
// declares.
func mayBeInvoked(fn *ssa.Function) bool {
	m, ok := fn.Object().(*types.Func)
	if !ok || m.Signature().Recv() == nil {
		return false
	}
	if m.Exported() || m.Pkg() == nil {
		return true
	}
	scope := m.Pkg().Scope()
	for _, name := range scope.Names() {
		if it, ok := scope.Lookup(name).Type().Underlying().(*types.Interface); ok && hasMethod(it, m.Name()) {
			return true
		}
	}
	return false
}

// goroutineOf returns the spawn whose func literal fn is or is nested in.
func goroutineOf(bodies map[*ssa.Function]joins.Spawn, fn *ssa.Function) (joins.Spawn, bool) {
	for ; fn != nil; fn = fn.Parent() {
		if s, ok := bodies[fn]; ok {
			return s, true
		}
	}
	return joins.Spawn{}, false
}

// scan records what instr of fn does to fields; inGoroutine says that fn
// runs only as (or inside) a goroutine's code.
func (o *owners) scan(a *joins.Analysis, fn *ssa.Function, instr ssa.Instruction, inGoroutine bool, wait func(joins.Loc)) {
	// s.done = v   // and the fields of &T{done: v}
	if st, ok := instr.(*ssa.Store); ok {
		if f := joins.LocOf(st.Addr).Field(); f != nil && !joins.IsFresh(st.Val) {
			o.unsure[f] = true
		}
		if fa, ok := st.Addr.(*ssa.FieldAddr); ok && mayLeadBack(st.Val) {
			if f := joins.LocOf(fa.X).Field(); f != nil {
				o.leadsBack[f] = true // b.pool.New = func() { b.wg.Done() }
			} else if named, ok := types.Unalias(fa.X.Type().Underlying().(*types.Pointer).Elem()).(*types.Named); ok {
				o.leadsBack[named] = true
			}
		}
	}
	a.Ops(instr, func(op joins.Op, l joins.Loc) {
		f := l.Field()
		if f == nil {
			return
		}
		switch op {
		case joins.OpWait, joins.OpRecv:
			// In a stop method, a wait a branch on an argument or on a
			// failed call can skip holds only when the caller asks for it,
			// or when nothing failed. Elsewhere such a branch usually
			// guards the spawn as well (dial only if asked, or if the
			// listen worked, then wait for the dial).
			ret := (*ssa.Return)(nil)
			if isStopLike(fn) {
				ret = a.SkippedByBranch(fn, l)
			}
			if ret == nil {
				wait(l)
			} else if _, ok := o.skipped[f]; !ok {
				o.skipped[f] = skip{fn: fn, ret: ret}
			}
		case joins.OpEscape, joins.OpCallback:
			// What a goroutine hands to the code it runs stays with it:
			// go c.informer.Run(c.stop), or keys := s.src.Next(s.stop)
			// in the loop go s.rotate() runs (and so in a function that
			// starts that goroutine: OpGoEscape), lets nobody else wait
			// on stop.
			if _, spawn := instr.(*ssa.Go); !spawn && !inGoroutine {
				o.unsure[f] = true
			}
		case joins.OpCondWait:
			k := fieldPath(l)
			o.condWaiters[k] = append(o.condWaiters[k], fn)
		case joins.OpClose: // a send may as well be data or a wake-up
			if k := o.via(fn.Pkg.Pkg, l); instr.Pos().IsValid() && !o.hasStopper(k) {
				o.stopper[k] = stop{fn: fn, pos: instr.Pos()}
			}
		}
	})
}

// mayLeadBack reports whether a value stored into a field may lead to
// other values: anything but a constant, a function without captures, or
// a value of basic type.
func mayLeadBack(v ssa.Value) bool {
	switch v.(type) {
	case *ssa.Const, *ssa.Function:
		return false
	}
	_, basic := v.Type().Underlying().(*types.Basic)
	return !basic
}

// notifyWaited reports whether a function other than the goroutine's own
// code (body and what it calls) waits on a condition variable below one
// of the fields the goroutine broadcasts or signals on: Stop's loop of
// c.Wait() until a count drops, a join the analysis does not follow. A
// queue's cond that only the goroutine waits on (its Get) joins nothing.
//
//	go func() { for q.process() {} }()   // Get waits on q.cond, Done signals it
func (o *owners) notifyWaited(notify []joins.Loc, own map[*ssa.Function]bool) bool {
	for _, l := range notify {
		if l.Field() == nil {
			return true
		}
		for _, fn := range o.condWaiters[fieldPath(l)] {
			if !own[fn] {
				return true
			}
		}
	}
	return false
}

// invokedWaiter reports whether the goroutine of s is handed a value of
// an interface type and calls a method of it, where a type of the package
// implements the interface with a method that waits on a field of its
// receiver: the value may be kept and stopped through that method, a join
// through an interface that the analysis does not follow.
//
//	go func(l loop) { wg.Done(); l.run() }(newLoop)   // and stop() { l.stop() }: <-sl.stopped
func (r *reporter) invokedWaiter(s joins.Spawn) bool {
	var ifaces []*types.Interface
	add := func(c *ssa.CallCommon) {
		if it, ok := c.Value.Type().Underlying().(*types.Interface); ok {
			ifaces = append(ifaces, it)
		}
	}
	if s.Call.IsInvoke() {
		add(s.Call)
	}
	if body := s.Body(); body != nil {
		for _, b := range body.Blocks {
			for _, instr := range b.Instrs {
				if c, ok := instr.(ssa.CallInstruction); ok && c.Common().IsInvoke() && isInput(c.Common().Value) {
					add(c.Common())
				}
			}
		}
	}
	for _, it := range ifaces {
		if r.waitingImpl(it) {
			return true
		}
	}
	return false
}

// hasMethod reports whether the interface has a method of that name.
func hasMethod(it *types.Interface, name string) bool {
	for i := range it.NumMethods() {
		if it.Method(i).Name() == name {
			return true
		}
	}
	return false
}

// isInput reports whether v is a parameter or free variable of its
// function, or a load of one: a value the goroutine was handed.
func isInput(v ssa.Value) bool {
	if u, ok := v.(*ssa.UnOp); ok && u.Op == token.MUL {
		v = u.X
	}
	switch v.(type) {
	case *ssa.Parameter, *ssa.FreeVar:
		return true
	}
	return false
}

// waitingImpl reports whether a method of the package that implements
// one of its methods waits on every path on a field of its receiver.
func (r *reporter) waitingImpl(it *types.Interface) bool {
	if it.Empty() {
		return false
	}
	for _, fn := range r.funcs {
		recv := fn.Signature.Recv()
		if recv == nil || !types.Implements(recv.Type(), it) {
			continue
		}
		if !hasMethod(it, fn.Name()) {
			continue
		}
		for _, e := range r.a.Effects(fn) {
			if (e.Op == joins.OpWait || e.Op == joins.OpRecv) && e.Must && e.Input == 0 && e.Path != "" {
				return true
			}
		}
	}
	return false
}

// fieldPath names the fields a Loc goes through from the type of its
// root, the same in every function: "*pkg.Node 3,3,".
func fieldPath(l joins.Loc) string {
	return types.TypeString(l.Root.Type(), nil) + " " + l.Path
}

// codeOf returns the functions of the package that the goroutine of s
// runs: its body, and the functions and closures it calls, transitively.
func codeOf(s joins.Spawn) map[*ssa.Function]bool {
	seen := map[*ssa.Function]bool{}
	body := s.Body()
	if body == nil {
		return seen
	}
	stack := []*ssa.Function{body}
	for len(stack) > 0 {
		fn := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if o := fn.Origin(); o != nil {
			fn = o
		}
		if seen[fn] || fn.Pkg != body.Pkg {
			continue
		}
		seen[fn] = true
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				switch x := instr.(type) {
				case ssa.CallInstruction:
					if c := x.Common().StaticCallee(); c != nil {
						stack = append(stack, c)
					}
				case *ssa.MakeClosure:
					if c, ok := x.Fn.(*ssa.Function); ok {
						stack = append(stack, c)
					}
				}
			}
		}
	}
	return seen
}

// decides reports whether the package alone can tell whether field f is
// waited on: an unexported field of a type of this package, only ever set
// to values made on the spot.
func (o *owners) decides(pkg *types.Package, f *types.Var) bool {
	return f.Pkg() == pkg && !f.Exported() && !o.unsure[f]
}

// decidesLoc reports whether the package alone can tell whether the
// group or channel at l is waited on: its field is one the package
// decides, or it is a field of another package's struct held in such a
// field (s.server.listenerGroup, where s.server is an unexported
// *http.Server the package made): only the package's code, and the code
// it calls, can reach it.
func (o *owners) decidesLoc(pkg *types.Package, l joins.Loc) bool {
	f := l.Field()
	if f == nil {
		return false
	}
	if f.Pkg() == pkg {
		return o.decides(pkg, f)
	}
	holder := o.holder(pkg, l)
	return holder != nil && o.decides(pkg, holder)
}

// holder returns the last field of pkg on l's path, below which every
// field is another package's, or nil.
func (o *owners) holder(pkg *types.Package, l joins.Loc) *types.Var {
	var holder *types.Var
	for _, p := range l.Prefixes() {
		f := p.Field()
		if f == nil {
			return nil
		}
		if f.Pkg() == pkg {
			holder = f
		}
	}
	return holder
}

// reachWaited reports whether code of unknown effect that a goroutine
// hands the given Locs could give an end signal the package waits for: a
// group or channel field waited on (or one the package cannot decide), or
// a struct of the package, reached through a pointer or an interface
// field of it, with a field that is waited on.
//
//	go c.informer.Run(c.done)   // and Stop receives from c.done
//
// Waits in the goroutine's own code (own: its body and what it calls) do
// not count: a loop that receives from its own stop channel is not waited
// on by it.
func (o *owners) reachWaited(pkg *types.Package, reach []joins.Loc, own map[*ssa.Function]bool) bool {
	for _, l := range reach {
		if f := l.Field(); f != nil {
			if t := f.Type(); joins.IsHandleType(t) && !joins.IsRecvOnly(t) && (o.waitedOutside(f, own) || !o.decides(pkg, f)) {
				return true
			}
		}
		if l.Root != nil && o.structWaited(pkg, o.reachable(pkg, l), own) {
			return true
		}
	}
	return false
}

// reachable returns the type of what unknown code handed l can reach.
// A field does not lead back to the struct it is in, so when a prefix of
// l's path is a struct of another package (or a pointer to one), into
// whose fields this package stores nothing that could lead back (a
// closure, an interface, a pointer), it is that struct; otherwise the
// root's.
//
//	s.bufPool.Get()   // reaches the pool and its New, not s.wg
//	p.work()          // the func value may have captured p
func (o *owners) reachable(pkg *types.Package, l joins.Loc) types.Type {
	for _, p := range l.Prefixes() {
		t := p.Type()
		if t == nil {
			break
		}
		e := t
		if p, ok := e.Underlying().(*types.Pointer); ok {
			e = p.Elem()
		}
		named, ok := types.Unalias(e).(*types.Named)
		if !ok || named.Obj().Pkg() == nil || named.Obj().Pkg() == pkg {
			continue
		}
		if _, ok := named.Underlying().(*types.Struct); ok && !o.leadsBack[named] && !o.leadsBack[p.Field()] {
			return t
		}
		break
	}
	return l.Root.Type()
}

// structWaited reports whether t is (or points to) a struct of pkg with a
// field that the package waits on.
func (o *owners) structWaited(pkg *types.Package, t types.Type, own map[*ssa.Function]bool) bool {
	for {
		p, ok := t.Underlying().(*types.Pointer)
		if !ok {
			break
		}
		t = p.Elem()
	}
	named, ok := types.Unalias(t).(*types.Named)
	if !ok || named.Obj().Pkg() != pkg {
		return false
	}
	st, ok := named.Underlying().(*types.Struct)
	if !ok {
		return false
	}
	for i := range st.NumFields() {
		if o.waitedOutside(st.Field(i), own) {
			return true
		}
	}
	return false
}

// waitedOutside reports whether field f is waited on by a function other
// than those in own, or by a goroutine that is joined.
func (o *owners) waitedOutside(f *types.Var, own map[*ssa.Function]bool) bool {
	for _, fn := range o.waitedIn[f] {
		if fn == nil || !own[fn] {
			return true
		}
	}
	return false
}

// isStopLike reports whether fn is, or is nested in, a method or function
// whose name says it stops something: Stop, Close, Shutdown, Halt,
// Unload, Quit, Kill, Terminate, or Cancel, in any case, as its first
// word.
func isStopLike(fn *ssa.Function) bool {
	for fn.Parent() != nil {
		fn = fn.Parent()
	}
	n := strings.ToLower(fn.Name())
	for _, w := range []string{"stop", "close", "shutdown", "halt", "unload", "quit", "kill", "terminate", "cancel"} {
		if strings.HasPrefix(n, w) {
			return true
		}
	}
	return false
}
