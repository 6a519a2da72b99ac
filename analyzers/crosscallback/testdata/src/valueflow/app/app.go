package app

import (
	"time"

	"valueflow/lib"
)

type subscription struct {
	icb func(string)
}

type sublist struct{ subs []*subscription }

func (l *sublist) Remove(s *subscription) {}

type Server struct {
	sl *sublist
}

func (s *Server) handle(string) {}
func (s *Server) flush()        {}

// Closures that capture what holds a callback keep it alive but do not
// run it: only a closure that calls the callback carries it.
func (s *Server) Start() {
	s.subscribe(s.handle) // ok: the timer's closure captures the subscription that holds s.handle, and never calls it
	s.later(s.handle)     // want `method value s\.handle of module app is kept by app\.\(\*Server\)\.later in a runtime timer, which outlives app`
	s.via(s.handle)       // want `method value s\.handle of module app is kept by app\.\(\*Server\)\.via in a runtime timer`
	s.reads(s.handle)     // want `method value s\.handle of module app is kept by app\.\(\*Server\)\.reads in a runtime timer`
}

func (s *Server) subscribe(cb func(string)) *subscription { // want subscribe:`retains\(cb: result\)`
	sub := &subscription{icb: cb}
	time.AfterFunc(time.Second, func() { s.sl.Remove(sub) }) // want `func literal of module app is kept by time\.AfterFunc in a runtime timer`
	return sub
}

func (s *Server) later(cb func(string)) { // want later:`retains\(cb: runtime time.AfterFunc\)`
	time.AfterFunc(time.Second, func() { cb("tick") }) // want `func literal of module app is kept by time\.AfterFunc`
}

func (s *Server) via(cb func(string)) { // want via:`retains\(cb: runtime time.AfterFunc\)`
	time.AfterFunc(time.Second, func() { run(cb) }) // want `func literal of module app is kept by time\.AfterFunc`
}

func (s *Server) reads(cb func(string)) { // want reads:`retains\(cb: runtime time.AfterFunc\)`
	sub := &subscription{icb: cb}
	time.AfterFunc(time.Second, func() { sub.icb("tick") }) // want `func literal of module app is kept by time\.AfterFunc`
}

func run(cb func(string)) { cb("x") }

// A method value carries the callbacks of its receiver only when the
// method calls them.
type ticker struct{ onTick func() }

func (t *ticker) fire() { t.onTick() }
func (t *ticker) idle() {}

func (s *Server) Timers() {
	s.arm(&ticker{onTick: s.flush})  // want `method value s\.flush of module app is kept by app\.\(\*Server\)\.arm in a runtime timer`
	s.park(&ticker{onTick: s.flush}) // ok: park's timer runs t.idle, which never calls onTick
}

func (s *Server) arm(t *ticker) { // want arm:`retains\(t: runtime time.AfterFunc\)`
	time.AfterFunc(time.Second, t.fire) // want `method value t\.fire of module app is kept by time\.AfterFunc`
}

func (s *Server) park(t *ticker) {
	time.AfterFunc(time.Second, t.idle) // want `method value t\.idle of module app is kept by time\.AfterFunc`
}

type config struct {
	cancel  func()
	storage any
}

// A container keeps the fields that hold the callback through a phi: what
// another field holds goes elsewhere.
func provision(cfg *config) {
	if cfg == nil {
		cfg = new(config)
	}
	cfg.cancel = func() {}
	lib.Default.Storage = cfg.storage // ok: the literal is in field cancel, not storage
}

func provisionAll() {
	cfg := new(config)
	cfg.storage = func() {}
	var c2 *config = cfg
	if c2 != nil {
		lib.Default.Storage = c2.storage // want `func literal of module app is stored in lib\.Default, package-level state of lib \(no module\)`
	}
}

// Interface calls on a value whose dynamic type is known use that
// method's summary.
type keeper interface{ Keep(f func()) }

type globalKeeper struct{}

func (globalKeeper) Keep(f func()) { lib.Hooks = append(lib.Hooks, f) } // want Keep:`retains\(f: global valueflow/lib\)`

type nopKeeper struct{}

func (nopKeeper) Keep(f func()) { f() }

func (s *Server) Keepers(k keeper) {
	var g keeper = globalKeeper{}
	g.Keep(s.flush) // want `method value s\.flush of module app is kept by app\.globalKeeper\.Keep in package-level state of lib \(no module\)`
	var n keeper = nopKeeper{}
	n.Keep(s.flush) // ok: nopKeeper.Keep calls it at once
	k.Keep(s.flush) // ok: the dynamic type is unknown, taken not to keep it
}
