package app

import "typed/lib"

type handler struct{}

func (*handler) Handle(string) {}

type failure struct{}

func (*failure) Error() string { return "failure" }

type config struct{ name string }

func Start() {
	lib.SetHandler(&handler{}) // want `value of type \*typed/app\.handler of module app is kept by lib\.SetHandler in package-level state of lib \(no module\), which outlives app`
	var h lib.Handler = &handler{}
	lib.SetAny(h)          // want `value of type \*typed/app\.handler of module app is kept by lib\.SetAny`
	lib.SetAny(&config{})  // ok: a value handed over as any is data
	lib.SetErr(&failure{}) // ok: an error value is data
}
