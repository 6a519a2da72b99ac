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
	// intoResult: a result, so the caller holds it; not retention, but it
	// lets a caller follow the value on (sync.OnceFunc, http.StripPrefix).
	intoResult
)

// A sink is one place a retained parameter goes.
type sink struct {
	Kind  sinkKind
	Pkg   string `json:",omitempty"`
	Index int    `json:",omitempty"`
}

func (s sink) String() string {
	switch s.Kind {
	case intoGlobal:
		return "global " + s.Pkg
	case intoGo:
		return "goroutine " + s.Pkg
	case intoRuntime:
		return "runtime " + s.Pkg
	case intoParam:
		return fmt.Sprintf("param#%d", s.Index)
	case intoResult:
		return "result"
	}
	return "?"
}

func compareSinks(a, b sink) int {
	return cmp.Or(cmp.Compare(a.Kind, b.Kind), cmp.Compare(a.Pkg, b.Pkg), cmp.Compare(a.Index, b.Index))
}

// retainsFact is exported for a function or method that retains some of
// its parameters: which ones, and where they go. Parameters are numbered
// as in SSA: a method's receiver is parameter 0.
type retainsFact struct {
	Method bool         // parameter 0 is the receiver
	Params []paramSinks // sorted by Index
}

// paramSinks are the sinks of one parameter.
type paramSinks struct {
	Index int
	Name  string
	Sinks []sink // sorted
}

func (*retainsFact) AFact() {}

func (f *retainsFact) String() string {
	parts := make([]string, len(f.Params))
	for i, p := range f.Params {
		sinks := make([]string, len(p.Sinks))
		for j, s := range p.Sinks {
			sinks[j] = s.String()
			if s.Kind == intoParam && s.Index == 0 && f.Method {
				sinks[j] = "receiver"
			}
		}
		parts[i] = p.Name + ": " + strings.Join(sinks, ", ")
	}
	return "retains(" + strings.Join(parts, "; ") + ")"
}

// sinksOf returns the sinks of parameter i.
func (f *retainsFact) sinksOf(i int) []sink {
	n, found := slices.BinarySearchFunc(f.Params, i, func(p paramSinks, i int) int { return cmp.Compare(p.Index, i) })
	if !found {
		return nil
	}
	return f.Params[n].Sinks
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

// A summary is what the analysis of one function found: the sinks of
// each of its parameters, by SSA index.
type summary map[int]sinkSet

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
