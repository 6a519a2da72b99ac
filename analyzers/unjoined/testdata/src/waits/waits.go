// Package waits holds waits that are not waits: a semaphore, a
// non-blocking poll, a Done given before the work.
package waits

import (
	"sync"
	"time"
)

func work() {}

// Limiter sends on a semaphore field as the goroutine starts: that send
// is not the goroutine's end, and the release is not a wait for it.
type Limiter struct{ sem chan struct{} }

func NewLimiter() *Limiter { return &Limiter{sem: make(chan struct{}, 4)} }

func (l *Limiter) Do() {
	go func() { // want `goroutine is not joined: it signals no end \(Done, close or send\) that anything waits for`
		l.sem <- struct{}{}
		defer func() { <-l.sem }()
		work()
	}()
}

// Poller's Stop polls done without blocking: not a wait.
type Poller struct {
	quit chan struct{}
	done chan struct{}
}

func NewPoller() *Poller { return &Poller{quit: make(chan struct{}), done: make(chan struct{})} }

func (p *Poller) Start() {
	go func() { // want `goroutine is not joined: Stop closes quit but nothing receives from done`
		defer close(p.done)
		<-p.quit
	}()
}

func (p *Poller) Stop() { // want Stop:`effects\(close in0\.0, poll in0\.1\)`
	close(p.quit)
	select {
	case <-p.done:
	default:
	}
}

// Blocker's Stop blocks until done is closed.
type Blocker struct {
	quit chan struct{}
	done chan struct{}
}

func NewBlocker() *Blocker { return &Blocker{quit: make(chan struct{}), done: make(chan struct{})} }

// ok: Stop receives from done, which the goroutine closes as it ends.
func (b *Blocker) Start() {
	go func() {
		defer close(b.done)
		<-b.quit
	}()
}

func (b *Blocker) Stop() { // want Stop:`effects\(close in0\.0, recv in0\.1!\)`
	close(b.quit)
	<-b.done
}

// A non-blocking poll in the spawning function is not a wait either.
func pollOnly() {
	done := make(chan struct{})
	go func() { // want `goroutine is not joined: nothing receives from done`
		defer close(done)
		work()
	}()
	select {
	case <-done:
	default:
	}
}

// Done as the first statement says the goroutine started, not that it
// ended.
func doneFirst() {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { // want `goroutine is not joined: it marks wg done before more of its work, so waiting on wg does not wait for it to return: make that its last act`
		wg.Done()
		work()
	}()
	wg.Wait()
}

// ok: Done is the goroutine's last act.
func doneLast() {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		work()
		wg.Done()
	}()
	wg.Wait()
}

// A ready channel closed before the work is not an end signal.
func readyFirst() {
	ready := make(chan struct{})
	go func() { // want `goroutine is not joined: it closes ready before more of its work, so receiving from ready does not wait for it to return`
		close(ready)
		work()
	}()
	<-ready
}

// ok: the deferred Done runs last whatever the body does.
func deferDone() {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		work()
	}()
	wg.Wait()
}

// A Wait under a condition that may not hold leaves the goroutine behind
// on the other path.
func maybeWait(exiting bool) {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { // want `goroutine is not joined: the function can return at line 139 without waiting on wg`
		defer wg.Done()
		work()
	}()
	if exiting {
		wg.Wait()
	}
}

// Exiter waits only when its caller says it is exiting.
type Exiter struct {
	quit chan struct{}
	wg   sync.WaitGroup
}

func (e *Exiter) Start() { // want Start:`effects\(add in0\.1\)`
	e.wg.Add(1)
	go func() { // want `goroutine is not joined: \(\*Exiter\)\.Stop can return at line 160 without waiting on wg; wait for it before \(\*Exiter\)\.Stop returns`
		defer e.wg.Done()
		<-e.quit
	}()
}

func (e *Exiter) Stop(exiting bool) { // want Stop:`effects\(close in0\.0, wait in0\.1\)`
	close(e.quit)
	if exiting {
		e.wg.Wait()
	}
}

// Listener waits for its reader only when closing the connection worked:
// a failing Close returns first and the reader may run on.
type Listener struct {
	conn conn
	wg   sync.WaitGroup
}

type conn interface {
	Read() error
	Close() error
}

func (l *Listener) Listen() { // want Listen:`effects\(add in0\.1\)`
	l.wg.Add(1)
	go func() { // want `goroutine is not joined: \(\*Listener\)\.Close can return at line 185 without waiting on wg; wait for it before \(\*Listener\)\.Close returns`
		defer l.wg.Done()
		for l.conn.Read() == nil {
		}
	}()
}

func (l *Listener) Close() error { // want Close:`effects\(wait in0\.1\)`
	if err := l.conn.Close(); err != nil {
		return err
	}
	l.wg.Wait()
	return nil
}

// Listener2 waits for its reader whether or not closing worked.
type Listener2 struct {
	conn conn
	wg   sync.WaitGroup
}

// ok: Close waits on wg on every path, and reports the Close error after.
func (l *Listener2) Listen() { // want Listen:`effects\(add in0\.1\)`
	l.wg.Add(1)
	go func() {
		defer l.wg.Done()
		for l.conn.Read() == nil {
		}
	}()
}

func (l *Listener2) Close() error { // want Close:`effects\(wait in0\.1!\)`
	err := l.conn.Close()
	l.wg.Wait()
	return err
}

// Serve2 starts its reader only when the listen worked.
type Serve2 struct {
	conn conn
	wg   sync.WaitGroup
}

// ok: the failed call's branch guards the spawn, not a wait of a stop
// method: Stop waits on wg on every path.
func (s *Serve2) Start() error { // want Start:`effects\(add in0\.1\)`
	if err := s.conn.Read(); err != nil {
		return err
	}
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		for s.conn.Read() == nil {
		}
	}()
	return nil
}

func (s *Serve2) Stop() { // want Stop:`effects\(wait in0\.1!\)`
	s.conn.Close()
	s.wg.Wait()
}

// Guarded waits whenever it was started: the guard is its own state.
type Guarded struct {
	quit chan struct{}
	wg   sync.WaitGroup
}

// ok: Stop waits on wg whenever quit was made, which Start does first.
func (g *Guarded) Start() { // want Start:`effects\(add in0\.1\)`
	g.quit = make(chan struct{})
	g.wg.Add(1)
	go func() {
		defer g.wg.Done()
		<-g.quit
	}()
}

func (g *Guarded) Stop() { // want Stop:`effects\(close in0\.0, wait in0\.1\)`
	if g.quit != nil {
		close(g.quit)
		g.wg.Wait()
	}
}

// dialCall closes done when its dial ends.
type dialCall struct{ done chan struct{} }

func (d *dialCall) dial() { defer close(d.done) }

// ok: get receives from done whenever it started the dial; the branch on
// its argument guards the spawn as well (get is no stop method).
func startDial() *dialCall {
	c := &dialCall{done: make(chan struct{})}
	go c.dial()
	return c
}

func get(dialOnMiss bool) {
	if dialOnMiss {
		c := startDial()
		<-c.done
	}
}

// Pool marks a handler done first in its deferred cleanup and then
// closes, releases and forgets: Stop's Wait can return while that runs.
type Pool struct {
	wg     sync.WaitGroup
	accept chan bool
	done   chan struct{}
}

func (p *Pool) Serve(c conn) { // want Serve:`effects\(recv in0\.2!, recv in0\.1!, add in0\.0\)`
	for {
		select {
		case <-p.done:
			return
		case <-p.accept:
			p.wg.Add(1)
			go p.handle(c) // want `goroutine is not joined: it marks wg done before more of its work, so waiting on wg does not wait for it to return: make that its last act`
		}
	}
}

func (p *Pool) handle(c conn) {
	defer func() {
		p.wg.Done()
		c.Close()
		p.accept <- true
		p.forget(c)
	}()
	for c.Read() == nil {
	}
}

func (p *Pool) Stop() { // want Stop:`effects\(close in0\.2, wait in0\.0!\)`
	close(p.done)
	p.wg.Wait()
}

func (p *Pool) forget(c conn) {}

// ok: the deferred cleanup marks wg done and then releases its slot of
// the semaphore, a receive that cannot block: the spawner filled that slot
// before the spawn. reloadAll waits on wg.
func reloadAll(pools []conn) {
	var wg sync.WaitGroup
	sem := make(chan int, 4)
	for _, p := range pools {
		sem <- 1
		wg.Add(1)
		go func() {
			defer func() {
				wg.Done()
				<-sem
			}()
			p.Read()
		}()
	}
	wg.Wait()
}

// A receive whose value is used is more work, not a release.
func reloadAllUsed(pools []conn, got chan int) {
	var wg sync.WaitGroup
	for _, p := range pools {
		wg.Add(1)
		go func() { // want `goroutine is not joined: it marks wg done before more of its work`
			defer func() {
				wg.Done()
				got <- <-got
			}()
			p.Read()
		}()
	}
	wg.Wait()
}

// ok: the send is deferred inside the deferred cleanup, so it runs after
// the report, as the goroutine's last act; run receives it.
func runReported(c conn) {
	signal := make(chan bool)
	go func() {
		defer func() {
			defer func() { signal <- true }()
			c.Close()
		}()
		c.Read()
	}()
	<-signal
}

// tokens is a package-level counting semaphore.
var tokens = make(chan struct{}, 4)

// ok: the receive after Done releases the token the spawner took.
func buildAll(pools []conn) {
	var wg sync.WaitGroup
	for _, p := range pools {
		wg.Add(1)
		tokens <- struct{}{}
		go func() {
			p.Read()
			wg.Done()
			<-tokens
		}()
	}
	wg.Wait()
}

// The send is the goroutine's last act in its case of the select; only
// the other case closes the connection.
func race(dial func() conn) conn {
	results := make(chan conn)
	returned := make(chan struct{})
	defer close(returned)
	go func() { // want `goroutine is not joined: the select can return at line 406 without receiving from results`
		c := dial()
		select {
		case results <- c:
		case <-returned:
			c.Close()
		}
	}()
	select {
	case c := <-results:
		return c
	case <-time.After(time.Second):
		return nil
	}
}
