package loader

import (
	"context"
	"errors"
	"reflect"
	"weak"
)

// Factory is one version of a module's code: how to start a generation of
// the module and how to stop it. Build one with [Func]. The zero Factory is
// not usable.
type Factory struct {
	version string
	start   func(ctx context.Context, h *Handle) (instance, error)
}

// instance is what the loader holds of a running generation. Once the
// generation is unloaded the loader drops value and stop and keeps only
// alive, which reads a weak pointer.
type instance struct {
	value any
	stop  func(ctx context.Context) error
	alive func() bool
}

// tinySize is the size below which the runtime packs pointer-free
// allocations together, so that a weak pointer to one can stay valid while
// a neighbour lives.
const tinySize = 16

// isTrackable reports whether a weak pointer tells reliably when a *T is
// no longer reachable: not for zero-size values (they all share one
// address), nor for small pointer-free ones (packed together).
func isTrackable(t reflect.Type) bool {
	return t.Size() > 0 && (t.Size() >= tinySize || hasPointers(t))
}

// hasPointers reports whether values of t contain pointers.
func hasPointers(t reflect.Type) bool {
	switch t.Kind() {
	case reflect.Pointer, reflect.UnsafePointer, reflect.Map, reflect.Slice, reflect.String,
		reflect.Interface, reflect.Chan, reflect.Func:
		return true
	case reflect.Array:
		return t.Len() > 0 && hasPointers(t.Elem())
	case reflect.Struct:
		for i := range t.NumField() {
			if hasPointers(t.Field(i).Type) {
				return true
			}
		}
	}
	return false
}

// Func returns a Factory whose generations are started by load and stopped
// by unload. unload may be nil when the module cleans up only through
// [Handle.OnUnload].
//
// The *T that load returns is the generation's instance: dependents reach it
// through [Dep], and after unload the loader keeps only a weak pointer to it,
// so that it can report an old generation that something still references.
// Instances of zero size, and pointer-free instances smaller than 16 bytes,
// are not checked: the runtime shares or packs their memory.
func Func[T any](load func(ctx context.Context, h *Handle) (*T, error), unload func(ctx context.Context, inst *T) error) Factory {
	if load == nil {
		return Factory{}
	}
	track := isTrackable(reflect.TypeFor[T]())
	return Factory{start: func(ctx context.Context, h *Handle) (instance, error) {
		v, err := load(ctx, h)
		if err != nil {
			return instance{}, err
		}
		if v == nil {
			return instance{}, errors.New("load returned a nil instance and no error")
		}
		inst := instance{value: v}
		if unload != nil {
			inst.stop = func(ctx context.Context) error { return unload(ctx, v) }
		}
		if track {
			w := weak.Make(v)
			inst.alive = func() bool { return w.Value() != nil }
		}
		return inst, nil
	}}
}

// WithVersion returns a copy of f that carries a version, shown in events,
// status and the DOT graph (for example the plugin file the code came from).
func (f Factory) WithVersion(version string) Factory {
	f.version = version
	return f
}

// Version returns the version given by [Factory.WithVersion], or "".
func (f Factory) Version() string { return f.version }

// isValid reports whether f was built by Func with a load function.
func (f Factory) isValid() bool { return f.start != nil }
