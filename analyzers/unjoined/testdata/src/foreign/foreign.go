// Package foreign holds goroutines whose end signal is inside a struct of
// another package that an unexported field holds: only this package's
// code can reach it, so whether it is waited on is decided here.
package foreign

import "foreign/srv"

// App shuts its server down in a goroutine nothing waits for.
type App struct {
	server *srv.Server
}

func (a *App) Start() {
	a.server = &srv.Server{}
	go a.server.Serve() // want `goroutine is not joined: it marks listeners done inside server \(foreign/srv\), and nothing joined waits on it`
}

func (a *App) Stop() {
	go a.server.Shutdown() // want `goroutine is not joined`
}

// App2 waits for the shutdown, which waits for Serve.
type App2 struct {
	server *srv.Server
}

// ok: Stop calls Shutdown, which waits on the group Serve marks done.
func (a *App2) Start() {
	a.server = &srv.Server{}
	go a.server.Serve()
}

func (a *App2) Stop() { a.server.Shutdown() } // want Stop:`effects\(close in0\.0,1, wait in0\.0,0!\)`

// Exposed hands its server out: others may shut it down and wait.
type Exposed struct {
	server *srv.Server
}

// ok: not judged: Server returns the field, so code elsewhere may wait.
func (e *Exposed) Start() {
	e.server = &srv.Server{}
	go e.server.Serve()
}

func (e *Exposed) Server() *srv.Server { return e.server } // want Server:`effects\(escape in0\.0\)`
