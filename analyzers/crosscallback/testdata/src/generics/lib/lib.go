// Package lib is owned by no module: generic registries.
package lib

type Registry[T any] struct{ fs []func(T) }

func (r *Registry[T]) Add(f func(T)) { r.fs = append(r.fs, f) } // want Add:`retains\(f: receiver\.fs\)`

// Ints is the process-wide registry of int handlers.
var Ints = &Registry[int]{}

var handlers = map[string]any{}

func Register[T any](name string, f func(T)) { handlers[name] = f } // want Register:`retains\(f: global generics/lib\)`

// Map calls f for each element and keeps nothing.
func Map[T, U any](xs []T, f func(T) U) []U {
	out := make([]U, 0, len(xs))
	for _, x := range xs {
		out = append(out, f(x))
	}
	return out
}
