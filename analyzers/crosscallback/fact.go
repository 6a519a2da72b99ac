package crosscallback

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
)

// A sinkKind says where a function puts a value it retains.
type sinkKind uint8

const (
	// intoGlobal: package-level state of the package Sink.Pkg.
	intoGlobal sinkKind = iota + 1
	// intoGo: a goroutine started in package Sink.Pkg that the function
	// does not wait for.
	intoGo
	// intoRuntime: a registration with the runtime or the standard
	// library that analysis cannot see; Sink.Pkg names its table entry.
	intoRuntime
	// intoParam: the object passed as parameter Sink.Index (the receiver
	// is parameter 0 of a method).
	intoParam
	// intoResult: result Sink.Index, so the caller holds it; not
	// retention, but it lets a caller follow the value on (sync.OnceFunc,
	// http.StripPrefix).
	intoResult
	// intoOwner: a goroutine that a method starts and does not wait for,
	// which the object passed as parameter Sink.Index (its receiver) owns:
	// the value is not stored in that object, but lives as long as it
	// lets the goroutine run (sync.WaitGroup.Go, errgroup.Group.Go).
	intoOwner
	// intoCall: the function calls the value (or a callback read out of
	// it, or a method of it) before it returns. Not retention: it tells a
	// func literal that captures a callback and passes it here that it
	// runs the callback. Kept in the package's summaries, never in facts.
	intoCall
)

// A sink is one place a retained parameter goes.
type sink struct {
	Kind  sinkKind
	Pkg   string
	Index int // intoParam, intoOwner: the parameter; intoResult: the result
	// Part, for intoParam, is the field of the parameter the value is
	// stored in (n for field n-1), or 0 for the object as a whole;
	// Field names it.
	Part  int
	Field string
	// Guard is the condition on the arguments under which the function
	// reaches this sink, or "" for any (see guard.go).
	Guard string
}

func (s sink) String() string {
	if s.Guard != "" {
		return s.base() + " if " + s.Guard
	}
	return s.base()
}

func (s sink) base() string {
	switch s.Kind {
	case intoGlobal:
		return "global " + s.Pkg
	case intoGo:
		return "goroutine " + s.Pkg
	case intoRuntime:
		return "runtime " + s.Pkg
	case intoParam:
		t := fmt.Sprintf("param#%d", s.Index)
		if s.Part > 0 {
			t += "." + s.Field
		}
		return t
	case intoResult:
		if s.Index > 0 {
			return fmt.Sprintf("result#%d", s.Index)
		}
		return "result"
	case intoOwner:
		return fmt.Sprintf("goroutine of param#%d", s.Index)
	case intoCall:
		return "called"
	}
	return "?"
}

func compareSinks(a, b sink) int {
	return cmp.Or(cmp.Compare(a.Kind, b.Kind), cmp.Compare(a.Pkg, b.Pkg), cmp.Compare(a.Index, b.Index), cmp.Compare(a.Part, b.Part), cmp.Compare(a.Guard, b.Guard))
}

// retainsFact is exported for a function or method that retains some of
// its parameters, or parts of them: which ones, and where they go.
// Parameters are numbered as in SSA: a method's receiver is parameter 0.
type retainsFact struct {
	Method bool         // parameter 0 is the receiver
	Params []paramSinks // sorted by Index, then Part
	// From says, for each result that is an object reached from a
	// parameter on every path (a getter: func (c *Controller) Context()
	// Context { return c.instance.context }), which parameter; -1 for the
	// others. Nil when there is none.
	From []int
}

// paramSinks are the sinks of one parameter, or of one field of it: what
// the function reads out of that field and retains.
type paramSinks struct {
	Index int
	Part  int // 0: the parameter itself; n: its field n-1
	// Method, when set, says that the sinks are those of what the
	// function gets back from calling that method of the parameter, an
	// interface (mod := instance.CaddyModule(); modules[id] = mod): they
	// apply where a caller knows the dynamic type of its argument and that
	// type's method returns a callback of its own.
	Method string
	Name   string // "o", "o.OnEvent" for a part, "o.Info()" for a method's result
	Sinks  []sink // sorted
}

func (*retainsFact) AFact() {}

func (f *retainsFact) String() string {
	parts := make([]string, len(f.Params))
	for i, p := range f.Params {
		sinks := make([]string, len(p.Sinks))
		for j, s := range p.Sinks {
			sinks[j] = s.String()
			switch {
			case s.Kind == intoParam && s.Index == 0 && f.Method:
				sinks[j] = "receiver"
				if s.Part > 0 {
					sinks[j] += "." + s.Field
				}
			case s.Kind == intoOwner && s.Index == 0 && f.Method:
				sinks[j] = "goroutine of receiver"
			}
		}
		parts[i] = p.Name + ": " + strings.Join(sinks, ", ")
	}
	out := "retains(" + strings.Join(parts, "; ") + ")"
	if len(f.Params) == 0 {
		out = ""
	}
	for k, j := range f.From {
		if j < 0 {
			continue
		}
		if out != "" {
			out += " "
		}
		out += fmt.Sprintf("result#%d from param#%d", k, j)
	}
	return out
}

// resultFrom returns the parameter that result k is reached from, or -1.
func resultFrom(from []int, k int) int {
	if k < len(from) {
		return from[k]
	}
	return -1
}

// sinksOf returns the sinks of parameter i, by part.
func (f *retainsFact) sinksOf(i int) []paramSinks {
	var out []paramSinks
	for _, p := range f.Params {
		if p.Index == i && p.Method == "" {
			out = append(out, p)
		}
	}
	return out
}

// methodSinksOf returns the sinks of what the function gets back from the
// methods of parameter i, by method.
func (f *retainsFact) methodSinksOf(i int) []paramSinks {
	var out []paramSinks
	for _, p := range f.Params {
		if p.Index == i && p.Method != "" {
			out = append(out, p)
		}
	}
	return out
}

// A sinkSet is a set of sinks under construction.
type sinkSet map[sink]bool

func (s sinkSet) sorted() []sink {
	out := make([]sink, 0, len(s))
	for k := range s {
		out = append(out, k)
	}
	slices.SortFunc(out, compareSinks)
	return out
}

// A summaryKey names a parameter, or a part of one, by SSA index; or,
// with Method set, what calling that method of the parameter returns.
type summaryKey struct {
	Param, Part int
	Method      string
}

// A summary is what the analysis of one function found: the sinks of each
// of its parameters and of their parts.
type summary map[summaryKey]sinkSet

// of returns the sinks of parameter i, by part, in order.
func (s summary) of(i int) []paramSinks {
	return s.pick(i, false)
}

// methodsOf returns the sinks of what the methods of parameter i return,
// by method, in order.
func (s summary) methodsOf(i int) []paramSinks {
	return s.pick(i, true)
}

func (s summary) pick(i int, methods bool) []paramSinks {
	var out []paramSinks
	for k, set := range s {
		if k.Param == i && (k.Method != "") == methods {
			out = append(out, paramSinks{Index: i, Part: k.Part, Method: k.Method, Sinks: set.sorted()})
		}
	}
	slices.SortFunc(out, func(a, b paramSinks) int {
		return cmp.Or(cmp.Compare(a.Part, b.Part), cmp.Compare(a.Method, b.Method))
	})
	return out
}

// calls reports whether the function calls parameter i.
func (s summary) calls(i int) bool {
	return s[summaryKey{Param: i}][sink{Kind: intoCall}]
}

func (s summary) equal(t summary) bool {
	if len(s) != len(t) {
		return false
	}
	for i, a := range s {
		b := t[i]
		if len(a) != len(b) {
			return false
		}
		for k := range a {
			if !b[k] {
				return false
			}
		}
	}
	return true
}
