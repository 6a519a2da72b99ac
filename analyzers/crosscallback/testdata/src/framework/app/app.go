package app

import "framework/lib"

// Gizmo's Info returns a constructor of the module: registering a Gizmo
// hands that code to the registry.
type Gizmo struct{}

func (Gizmo) Info() lib.ModuleInfo {
	return lib.ModuleInfo{ID: "gizmo", New: func() lib.Module { return new(Gizmo) }}
}

// Widget's constructor is a declared function of the module.
type Widget struct{ size int }

func newWidget() lib.Module { return &Widget{} }

func (*Widget) Info() lib.ModuleInfo { return lib.ModuleInfo{ID: "widget", New: newWidget} }

// Alias hands over a constructor of no module: nothing of the module is
// in what Info returns.
type Alias struct{}

func (Alias) Info() lib.ModuleInfo { return lib.ModuleInfo{ID: "alias", New: lib.New} }

func init() {
	lib.RegisterModule(Gizmo{})     // want `value of type framework/app\.Gizmo of module app is kept by lib\.RegisterModule, through what its method Info returns, in package-level state of lib \(no module\), which outlives app`
	lib.RegisterModule(new(Widget)) // want `value of type \*framework/app\.Widget of module app is kept by lib\.RegisterModule, through what its method Info returns`
	lib.RegisterModule(Alias{})     // ok: Alias.Info returns lib.New, no code of the module
	_ = lib.Describe(Gizmo{})       // ok: Describe keeps nothing of what Info returns
	lib.Note(Gizmo{})               // ok: Note keeps a string out of it
	_ = lib.Check(Gizmo{})          // ok: Check only calls the constructor
}

// Start registers through a variable of the interface type: its dynamic
// type is still known.
func Start() {
	var m lib.Module = Gizmo{}
	lib.RegisterModule(m) // want `value of type framework/app\.Gizmo of module app is kept by lib\.RegisterModule, through what its method Info returns`
}

// Forward relays a module it is given: its dynamic type is unknown here,
// and the value is not a callback of this module's making.
func Forward(m lib.Module) {
	lib.RegisterModule(m) // ok: the dynamic type of m is not known
}
