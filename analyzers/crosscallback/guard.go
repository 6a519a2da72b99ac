package crosscallback

import (
	"go/constant"
	"go/token"
	"go/types"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/tools/go/ssa"
)

// This file computes the conditions on a function's arguments under
// which it reaches a sink, so that a call whose constant arguments select
// the other branch does not count:
//
//	func manage(ctx context.Context, async bool) {
//		if async {
//			queue.Submit(func() { ... ctx ... }) // reached only when async is true
//		}
//	}
//	manage(ctx, false) // retains nothing
//
// A condition is a conjunction of literals on the function's parameters:
// a bool parameter true or false, a parameter nil or not nil. It is kept
// in the sink's Guard as text ("p2", "!p2", "p1=nil", "p1!=nil", joined
// by "&"), so that facts carry it to other packages.

// A literal is one condition on parameter param.
type literal struct {
	param int
	// op is "" (true), "!" (false), "=nil" or "!=nil".
	op string
}

func (l literal) String() string {
	switch l.op {
	case "!":
		return "!p" + strconv.Itoa(l.param)
	case "=nil", "!=nil":
		return "p" + strconv.Itoa(l.param) + l.op
	}
	return "p" + strconv.Itoa(l.param)
}

// negates reports whether l and m cannot both hold.
func (l literal) negates(m literal) bool {
	if l.param != m.param {
		return false
	}
	pair := [2]string{l.op, m.op}
	return pair == [2]string{"", "!"} || pair == [2]string{"!", ""} ||
		pair == [2]string{"=nil", "!=nil"} || pair == [2]string{"!=nil", "=nil"}
}

// parseGuard reads the text of a sink's Guard back.
func parseGuard(g string) []literal {
	if g == "" {
		return nil
	}
	var out []literal
	for _, t := range strings.Split(g, "&") {
		l := literal{}
		if rest, ok := strings.CutPrefix(t, "!"); ok {
			l.op, t = "!", rest
		}
		for _, op := range []string{"!=nil", "=nil"} {
			if rest, ok := strings.CutSuffix(t, op); ok {
				l.op, t = op, rest
				break
			}
		}
		n, err := strconv.Atoi(strings.TrimPrefix(t, "p"))
		if err != nil {
			continue // not written by guardText: no condition
		}
		l.param = n
		out = append(out, l)
	}
	return out
}

// guardText writes a conjunction in a canonical order, or reports false
// when it cannot hold.
func guardText(ls []literal) (string, bool) {
	for i, l := range ls {
		for _, m := range ls[i+1:] {
			if l.negates(m) {
				return "", false
			}
		}
	}
	ts := make([]string, 0, len(ls))
	for _, l := range ls {
		ts = append(ts, l.String())
	}
	slices.Sort(ts)
	return strings.Join(slices.Compact(ts), "&"), true
}

// blockGuard returns the literals that hold whenever block b of fn runs:
// for each branch on a parameter that dominates b, the side b lies on.
func blockGuard(fn *ssa.Function, b *ssa.BasicBlock) []literal {
	var out []literal
	for x := b.Idom(); x != nil; x = x.Idom() {
		if len(x.Instrs) == 0 {
			continue
		}
		ifi, ok := x.Instrs[len(x.Instrs)-1].(*ssa.If)
		if !ok || len(x.Succs) != 2 || x.Succs[0] == x.Succs[1] {
			continue
		}
		l, ok := condLiteral(fn, ifi.Cond)
		if !ok {
			continue
		}
		onTrue, onFalse := x.Succs[0].Dominates(b), x.Succs[1].Dominates(b)
		switch {
		case onTrue && !onFalse:
			out = append(out, l)
		case onFalse && !onTrue:
			out = append(out, l.not())
		}
	}
	return out
}

func (l literal) not() literal {
	switch l.op {
	case "":
		l.op = "!"
	case "!":
		l.op = ""
	case "=nil":
		l.op = "!=nil"
	case "!=nil":
		l.op = "=nil"
	}
	return l
}

// condLiteral returns the literal a branch condition is, when it tests a
// parameter of fn: p, !p, p == nil, p != nil.
func condLiteral(fn *ssa.Function, cond ssa.Value) (literal, bool) {
	switch c := cond.(type) {
	case *ssa.Parameter:
		if i := paramIndex(fn, c); i >= 0 {
			return literal{param: i}, true
		}
	case *ssa.UnOp:
		if c.Op == token.NOT {
			l, ok := condLiteral(fn, c.X)
			return l.not(), ok
		}
	case *ssa.BinOp:
		if c.Op != token.EQL && c.Op != token.NEQ {
			break
		}
		x, y := c.X, c.Y
		if isNilConst(x) {
			x, y = y, x
		}
		p, ok := x.(*ssa.Parameter)
		if !ok || !isNilConst(y) {
			break
		}
		if i := paramIndex(fn, p); i >= 0 {
			l := literal{param: i, op: "=nil"}
			if c.Op == token.NEQ {
				l.op = "!=nil"
			}
			return l, true
		}
	}
	return literal{}, false
}

func isNilConst(v ssa.Value) bool {
	c, ok := v.(*ssa.Const)
	return ok && c.IsNil()
}

// argGuard evaluates a callee's guard on the arguments of one call. It
// reports false when a constant argument contradicts it; else it returns
// what of it is left on the caller's own parameters (fn's), by which the
// caller's own sink is guarded in turn. A literal on an argument that is
// neither is dropped: the sink may be reached.
func argGuard(fn *ssa.Function, g string, args []ssa.Value) ([]literal, bool) {
	var out []literal
	for _, l := range parseGuard(g) {
		if l.param >= len(args) {
			continue
		}
		arg := args[l.param]
		if v, known := knownValue(arg); known {
			if !l.holdsFor(v) {
				return nil, false
			}
			continue
		}
		if p, ok := arg.(*ssa.Parameter); ok && fn != nil {
			if i := paramIndex(fn, p); i >= 0 {
				out = append(out, literal{param: i, op: l.op})
			}
		}
	}
	return out, true
}

// A known is what a call site tells about an argument: a bool constant,
// nil, or a value that cannot be nil.
type known uint8

const (
	knownTrue known = iota + 1
	knownFalse
	knownNil
	knownNonNil
)

func knownValue(v ssa.Value) (known, bool) {
	switch v := v.(type) {
	case *ssa.Const:
		if v.IsNil() {
			return knownNil, true
		}
		if b, ok := v.Type().Underlying().(*types.Basic); ok && b.Info()&types.IsBoolean != 0 && v.Value != nil {
			if constant.BoolVal(v.Value) {
				return knownTrue, true
			}
			return knownFalse, true
		}
	case *ssa.Function, *ssa.MakeClosure, *ssa.Alloc, *ssa.MakeInterface, *ssa.MakeMap, *ssa.MakeChan, *ssa.MakeSlice:
		return knownNonNil, true
	}
	return 0, false
}

func (l literal) holdsFor(k known) bool {
	switch l.op {
	case "":
		return k != knownFalse
	case "!":
		return k != knownTrue
	case "=nil":
		return k != knownNonNil
	case "!=nil":
		return k != knownNil
	}
	return true
}
