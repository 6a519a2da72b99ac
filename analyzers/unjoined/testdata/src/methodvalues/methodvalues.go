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
