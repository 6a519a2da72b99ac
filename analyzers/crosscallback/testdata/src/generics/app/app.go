package app

import "generics/lib"

type S struct{}

func (s *S) onInt(int)        {}
func (s *S) double(n int) int { return 2 * n }

// each is the module's own generic helper.
func each[T any](xs []T, f func(T)) {
	for _, x := range xs {
		f(x)
	}
}

func (s *S) Start(xs []int) {
	lib.Ints.Add(s.onInt)                      // want `method value s\.onInt of module app is kept by lib\.\(\*Registry\)\.Add in lib\.Ints, package-level state of lib \(no module\), which outlives app`
	lib.Register("x", s.onInt)                 // want `method value s\.onInt of module app is kept by lib\.Register in package-level state of lib \(no module\), which outlives app`
	lib.Register[string]("y", func(string) {}) // want `func literal of module app is kept by lib\.Register`

	r := &lib.Registry[int]{}
	r.Add(s.onInt)            // ok: the registry is the module's own
	_ = lib.Map(xs, s.double) // ok: Map calls it and returns
	each(xs, s.onInt)         // ok: the module's own helper calls it
}
