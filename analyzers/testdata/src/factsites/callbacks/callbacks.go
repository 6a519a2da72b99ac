// Package callbacks declares functions of every kind crosscallback might
// export a retains fact on: only those a dependent package can refer to,
// and that every driver carries, hold one.
package callbacks

var hooks []func()

// Register keeps f in package state: exported, so it holds a fact.
func Register(f func()) { hooks = append(hooks, f) } // want Register:`retains\(f: global factsites/callbacks\)`

// register keeps f too, but no other package can call it: no fact.
func register(f func()) { hooks = append(hooks, f) }

// A blank function cannot be named by objectpath or called: no fact.
func _(f func()) { hooks = append(hooks, f) }

func init() { register(func() {}) }

// T keeps funcs; its method holds a fact.
type T struct{ fs []func() }

func (t *T) Add(f func()) { t.fs = append(t.fs, f) } // want Add:`retains\(f: receiver.fs\)`

// u is unexported, but its methods are reachable through values of it (New
// returns one), so they hold facts.
type u struct{ fs []func() }

func (x *u) add(f func()) { x.fs = append(x.fs, f) } // want add:`retains\(f: receiver.fs\)`

// New returns a u.
func New() interface{ add(func()) } { return &u{} }
