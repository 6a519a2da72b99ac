// Package srv is a library server: Serve marks the server's listener
// group done as it returns, and Shutdown waits on that group.
package srv

import "sync"

type Server struct {
	listeners sync.WaitGroup
	quit      chan struct{}
}

func New() *Server { return &Server{quit: make(chan struct{})} }

func (s *Server) Serve() error { // want Serve:`effects\(add in0\.0, done in0\.0, recv in0\.1!\)`
	s.listeners.Add(1)
	defer s.listeners.Done()
	<-s.quit
	return nil
}

func (s *Server) Shutdown() { // want Shutdown:`effects\(close in0\.1, wait in0\.0!\)`
	close(s.quit)
	s.listeners.Wait()
}
