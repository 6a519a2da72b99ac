package methodvalues

import "sync"

type Service struct {
	wg   sync.WaitGroup
	quit chan struct{}
}

func (s *Service) loop() {
	defer s.wg.Done()
	<-s.quit
}

// ok: go s.loop() with Stop waiting on wg.
func (s *Service) Start() { // want Start:`effects\(add in0\.0\)`
	s.wg.Add(1)
	go s.loop()
}

// ok: a method value started as a goroutine.
func (s *Service) StartValue() { // want StartValue:`effects\(add in0\.0\)`
	s.wg.Add(1)
	f := s.loop
	go f()
}

func (s *Service) Stop() { // want Stop:`effects\(close in0\.1, wait in0\.0!\)`
	close(s.quit)
	s.wg.Wait()
}

type Ticker struct{ quit chan struct{} }

func (t *Ticker) run() { <-t.quit }

func (t *Ticker) Start() {
	go t.run() // want `goroutine is not joined: Halt closes quit but never waits for the goroutine to return`
}

func (t *Ticker) Halt() { close(t.quit) } // want Halt:`effects\(close in0\.0\)`

type Runner interface{ Run() }

// An interface method: its body is unknown here, but nothing waits for
// it either.
func startRunner(r Runner) { go r.Run() } // want `goroutine is not joined: nothing waits for it to return; wait for it before startRunner returns`

// A func value it is given: the helper starts it and does not wait.
func startFunc(f func()) { go f() } // want `goroutine is not joined: startFunc starts the func it is given and nothing waits for it to return`

// Pool starts its loops through a helper of its own: the helper is
// judged by the funcs its callers give it.
type Pool struct {
	wg   sync.WaitGroup
	quit chan struct{}
}

// ok: both calls give a func that marks wg done as its last act, and Stop
// waits on wg.
func (p *Pool) spawn(f func()) { go f() }

func (p *Pool) loop() {
	defer p.wg.Done()
	<-p.quit
}

func (p *Pool) Start() { // want Start:`effects\(add in0\.0, done in0\.0, recv in0\.1\)`
	p.wg.Add(2)
	p.spawn(p.loop)
	p.spawn(func() {
		defer p.wg.Done()
		<-p.quit
	})
}

func (p *Pool) Stop() { // want Stop:`effects\(close in0\.1, wait in0\.0!\)`
	close(p.quit)
	p.wg.Wait()
}

// Pool2's helper is given a func that nothing waits for.
type Pool2 struct{ quit chan struct{} }

func (p *Pool2) spawn(f func()) { go f() } // want `goroutine is not joined: spawn starts the func it is given and nothing waits for it to return`

func (p *Pool2) Start() { // want Start:`effects\(recv in0\.0\)`
	p.spawn(func() { <-p.quit })
}

func (p *Pool2) Halt() { close(p.quit) } // want Halt:`effects\(close in0\.0\)`
