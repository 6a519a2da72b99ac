// Package unknown holds goroutines whose code has effects the analysis
// cannot see (interface methods, func values): they are judged from the
// waiting side.
package unknown

import "sync"

type Conn interface{}

type Listener interface{ ServeListener(ln Conn) error }

// Server starts an interface method, and nothing waits for it.
type Server struct {
	h3 Listener
	ln Conn
}

func (s *Server) Start() { // want Start:`effects\(goescape in0\.1\)`
	go s.h3.ServeListener(s.ln) // want `goroutine is not joined: nothing waits for it to return; wait for it before \(\*Server\)\.Start returns`
}

type Informer interface{ Run(stop <-chan struct{}) }

// Ctl's Stop only closes the channel the informer is given.
type Ctl struct {
	informer Informer
	stop     chan struct{}
}

func (c *Ctl) Run() { // want Run:`effects\(goescape in0\.1\)`
	go c.informer.Run(c.stop) // want `goroutine is not joined: Stop closes stop but never waits for the goroutine to return; wait for it in \(\*Ctl\)\.Stop`
}

func (c *Ctl) Stop() { close(c.stop) } // want Stop:`effects\(close in0\.1\)`

type Runner interface{ Run(done chan struct{}) }

// Watched's Stop receives from the channel the runner is given.
type Watched struct {
	r    Runner
	done chan struct{}
}

// ok: Stop receives from done, which Run may close: the unknown code can
// give the signal that is waited for.
func (w *Watched) Start() { go w.r.Run(w.done) } // want Start:`effects\(goescape in0\.1\)`

func (w *Watched) Stop() { <-w.done } // want Stop:`effects\(recv in0\.1!\)`

// ok: the spawning function receives from the channel Run is given.
func runAndWait(r Runner) {
	done := make(chan struct{})
	go r.Run(done)
	<-done
}

// ok: the caller's group, which the caller may wait on.
func runWithGroup(wg *sync.WaitGroup, f func(*sync.WaitGroup)) { go f(wg) }

// Hooks calls a func value field from a closure, and nothing waits.
type Hooks struct{ onTick func() }

func (h *Hooks) Start() { // want Start:`effects\(callback in0\.0\)`
	go func() { // want `goroutine is not joined: nothing waits for it to return`
		h.onTick()
	}()
}

// Pool waits on its group in Close, and the func value field might be
// the one to mark it done.
type Pool struct {
	wg   sync.WaitGroup
	work func()
}

// ok: Close waits on wg, a field of the Pool the func value may reach.
func (p *Pool) Start() { go p.work() } // want Start:`effects\(callback in0\.1\)`

func (p *Pool) Close() { p.wg.Wait() } // want Close:`effects\(wait in0\.0!\)`

// ok: the goroutine blocks on a condition variable: out of reach.
func condWait(c *sync.Cond) {
	go func() { c.Broadcast() }()
}

// Buffers waits on its group in Stop; the goroutine's only unknown code is
// the pool's New, which no value of Buffers reaches.
type Buffers struct {
	wg   sync.WaitGroup
	quit chan struct{}
	pool sync.Pool
}

func NewBuffers() *Buffers {
	return &Buffers{quit: make(chan struct{}), pool: sync.Pool{New: func() any { return new([]byte) }}}
}

func (b *Buffers) Start() { // want Start:`effects\(goescape in0\.2, callback in0\.2,5\)`
	go func() { // want `goroutine is not joined: Stop closes quit but never waits for the goroutine to return; wait for it in \(\*Buffers\)\.Stop`
		for {
			select {
			case <-b.quit:
				return
			default:
				b.pool.Put(b.pool.Get())
			}
		}
	}()
}

func (b *Buffers) Stop() { close(b.quit); b.wg.Wait() } // want Stop:`effects\(close in0\.1, wait in0\.0!\)`

// Bound keeps a closure over itself in its pool's New: the pool's code
// may reach the struct and mark wg done.
type Bound struct {
	wg   sync.WaitGroup
	quit chan struct{}
	pool sync.Pool
}

func (b *Bound) Init() { // want Init:`effects\(escape in0\)`
	b.pool.New = func() any { b.wg.Done(); return nil }
}

// ok: not judged: the pool's New, set by Init, captures b.
func (b *Bound) Start() { // want Start:`effects\(goescape in0\.2, callback in0\.2,5\)`
	go func() {
		for {
			select {
			case <-b.quit:
				return
			default:
				b.pool.Get()
			}
		}
	}()
}

func (b *Bound) Stop() { close(b.quit); b.wg.Wait() } // want Stop:`effects\(close in0\.1, wait in0\.0!\)`

// KeySource hands out keys until stop is closed.
type KeySource interface {
	Next(stop chan struct{}) <-chan int
}

// Rotator's loop hands its stop channel to the key source: that stays
// with the goroutine, and nothing else waits for it.
type Rotator struct {
	src  KeySource
	stop chan struct{}
}

func (r *Rotator) Start() { // want Start:`effects\(goescape in0\.1\)`
	r.stop = make(chan struct{})
	go r.rotate() // want `goroutine is not joined: halt closes stop but never waits for the goroutine to return; wait for it in \(\*Rotator\)\.halt`
}

func (r *Rotator) rotate() {
	keys := r.src.Next(r.stop)
	for {
		select {
		case <-keys:
		case <-r.stop:
			return
		}
	}
}

func (r *Rotator) halt() { close(r.stop) }

// Rotator2 is the same loop, and halt waits for it to close done.
type Rotator2 struct {
	src  KeySource
	stop chan struct{}
	done chan struct{}
}

// ok: halt receives from done, which rotate closes as its last act.
func (r *Rotator2) Start() { // want Start:`effects\(goescape in0\.1\)`
	r.stop, r.done = make(chan struct{}), make(chan struct{})
	go r.rotate()
}

func (r *Rotator2) rotate() {
	defer close(r.done)
	keys := r.src.Next(r.stop)
	for {
		select {
		case <-keys:
		case <-r.stop:
			return
		}
	}
}

func (r *Rotator2) halt() { close(r.stop); <-r.done }

// Go is a recover-only wrapper: the recover hides no join, and nothing
// waits for f.
func Go(f func()) { // want Go:`effects\(callback in0\)` Go:`spawns\(in0\)`
	go func() { // want `goroutine is not joined: Go starts the func it is given and nothing waits for it to return`
		defer func() { recover() }()
		f()
	}()
}
