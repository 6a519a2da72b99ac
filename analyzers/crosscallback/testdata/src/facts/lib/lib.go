// Package lib is owned by no module. Each function shows one way of
// retaining a parameter, or of not retaining it, with the fact computed
// for it.
package lib

var (
	global []func()
	table  = map[string]func(){}
	queue  = make(chan func(), 1)
	saved  Options
	values []any
)

func ToGlobal(f func()) { global = append(global, f) } // want ToGlobal:`retains\(f: global facts/lib\)`

func ToMap(name string, f func()) { table[name] = f } // want ToMap:`retains\(f: global facts/lib\)`

func ToChan(f func()) { queue <- f } // want ToChan:`retains\(f: global facts/lib\)`

func ToArg(dst *[]func(), f func()) { *dst = append(*dst, f) } // want ToArg:`retains\(f: param#0\)`

func ToMapArg(m map[string]func(), f func()) { m["x"] = f } // want ToMapArg:`retains\(f: param#0\)`

type Box struct {
	f    func()
	next *Box
}

func (b *Box) Set(f func()) { b.f = f } // want Set:`retains\(f: receiver\.f\)`

func (b *Box) SetDeep(f func()) { b.next.f = f } // want SetDeep:`retains\(f: receiver\.next\)`

// Escaping keeps a closure that captures f.
func Escaping(f func()) { global = append(global, func() { f() }) } // want Escaping:`retains\(f: global facts/lib\)`

// Wrap returns a closure that captures f: the caller holds it.
func Wrap(f func()) func() { return func() { f() } } // want Wrap:`retains\(f: result\)`

// Spawned hands f to a goroutine it does not wait for.
func Spawned(f func()) { go f() } // want Spawned:`retains\(f: goroutine facts/lib\)`

// Joined waits for its goroutine: no fact.
func Joined(f func()) {
	done := make(chan struct{})
	go func() {
		f()
		close(done)
	}()
	<-done
}

// Called uses f synchronously: no fact.
func Called(f func()) { f() }

// Dynamic passes f to a func value: the callee is unknown, so no fact.
func Dynamic(f func(), sink func(func())) { sink(f) }

// Via retains f through another function.
func Via(f func()) { ToGlobal(f) } // want Via:`retains\(f: global facts/lib\)`

// Recursive retains f at the end of a recursion.
func Recursive(n int, f func()) { // want Recursive:`retains\(f: global facts/lib\)`
	if n > 0 {
		Recursive(n-1, f)
		return
	}
	ToGlobal(f)
}

// Varargs retains every f.
func Varargs(fs ...func()) { global = append(global, fs...) } // want Varargs:`retains\(fs: global facts/lib\)`

// Options carries a callback in a field.
type Options struct {
	Name    string
	OnEvent func(string)
}

func Configure(o Options) { saved = o } // want Configure:`retains\(o: global facts/lib\)`

// Store keeps any value, a func among others.
func Store(v any) { values = append(values, v) } // want Store:`retains\(v: global facts/lib\)`

// Generic keeps a value of a type parameter.
func Generic[T any](v T) { values = append(values, v) } // want Generic:`retains\(v: global facts/lib\)`

type Registry[T any] struct{ fs []func(T) }

func (r *Registry[T]) Add(f func(T)) { r.fs = append(r.fs, f) } // want Add:`retains\(f: receiver\.fs\)`

// On retains f and returns what removes it.
func On(f func()) (remove func()) { // want On:`retains\(f: global facts/lib\)`
	global = append(global, f)
	return func() {}
}

// Sized takes nothing that can hold a callback: no fact.
func Sized(n int, s string) int { return n + len(s) }

// Server keeps handlers; Serve registers only its stats globally.
type Server struct {
	handlers []func()
	Stats    *Stats
}

type Stats struct{ OnReport func() }

var registered []*Stats

func (s *Server) Handle(f func()) { s.handlers = append(s.handlers, f) } // want Handle:`retains\(f: receiver\.handlers\)`

func (s *Server) Serve() { registered = append(registered, s.Stats) } // want Serve:`retains\(s\.Stats: global facts/lib\)`

// Pool runs funcs on goroutines it owns.
type Pool struct{ n int }

func (p *Pool) Go(f func()) { go f() } // want Go:`retains\(f: goroutine of receiver\)`

// Shared is the process-wide pool.
var Shared = &Pool{}
