package joins

import (
	"go/types"

	"golang.org/x/tools/go/ssa"
)

// The APIs a join is made of, recognised by import path and name so that a
// stub with the same signatures (as in analysistest testdata) works too.
const (
	syncPath     = "sync"
	waitGroup    = "WaitGroup"
	errgroupPath = "golang.org/x/sync/errgroup"
	errGroup     = "Group"
	cond         = "Cond"
)

// apiOp classifies a call to a method of sync.WaitGroup, errgroup.Group or
// sync.Cond:
//
//	wg.Add(n)   wg.Done()   wg.Wait()   wg.Go(f)
//	g.Wait()    g.Go(f)     g.TryGo(f)
//	c.Broadcast()           c.Signal()              c.Wait()
//
// and returns the group it is called on. It returns 0 for any other call.
func apiOp(call *ssa.CallCommon) (Op, ssa.Value) {
	callee := call.StaticCallee()
	if callee == nil || len(call.Args) == 0 {
		return 0, nil
	}
	fn, ok := callee.Object().(*types.Func)
	if !ok || fn.Pkg() == nil {
		return 0, nil
	}
	switch recvName(fn) {
	case syncPath + "." + waitGroup:
		switch fn.Name() {
		case "Add":
			return OpAdd, call.Args[0]
		case "Done":
			return OpDone, call.Args[0]
		case "Wait":
			return OpWait, call.Args[0]
		case "Go":
			return OpGo, call.Args[0]
		}
	case syncPath + "." + cond:
		// c.Broadcast(), c.Signal(): a join through a condition
		// variable, which the analysis does not follow.
		switch fn.Name() {
		case "Broadcast", "Signal":
			return OpNotify, call.Args[0]
		case "Wait":
			return OpCondWait, call.Args[0]
		}
	case errgroupPath + "." + errGroup:
		switch fn.Name() {
		case "Wait":
			return OpWait, call.Args[0]
		case "Go", "TryGo":
			return OpGo, call.Args[0]
		}
	}
	return 0, nil
}

// recvName returns "path.Type" for a method on Type or *Type, or "".
func recvName(fn *types.Func) string {
	sig, _ := fn.Type().(*types.Signature)
	if sig == nil || sig.Recv() == nil {
		return ""
	}
	t := sig.Recv().Type()
	if p, ok := t.(*types.Pointer); ok {
		t = p.Elem()
	}
	named, ok := types.Unalias(t).(*types.Named)
	if !ok || named.Obj().Pkg() == nil {
		return ""
	}
	return named.Obj().Pkg().Path() + "." + named.Obj().Name()
}

// isGroupType reports whether t is sync.WaitGroup or errgroup.Group, or a
// pointer to one.
func isGroupType(t types.Type) bool {
	if p, ok := t.Underlying().(*types.Pointer); ok {
		t = p.Elem()
	}
	named, ok := types.Unalias(t).(*types.Named)
	if !ok || named.Obj().Pkg() == nil {
		return false
	}
	switch named.Obj().Pkg().Path() + "." + named.Obj().Name() {
	case syncPath + "." + waitGroup, errgroupPath + "." + errGroup:
		return true
	}
	return false
}

// IsHandleType reports whether a value of type t can carry a goroutine's
// end signal: a channel or a group.
func IsHandleType(t types.Type) bool { return isHandleType(t) }

// isHandleType reports whether a value of type t can carry a goroutine's
// end signal: a channel or a group.
func isHandleType(t types.Type) bool {
	if _, ok := t.Underlying().(*types.Chan); ok {
		return true
	}
	return isGroupType(t)
}
