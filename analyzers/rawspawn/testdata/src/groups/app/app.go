package app

import (
	"context"
	"sync"

	"golang.org/x/sync/errgroup"

	"groups/core"
)

func work(int) {}

type Server struct {
	wg sync.WaitGroup
	h  *core.Handle
}

// Start hands a loop to a group of its own, which the module's handle
// cannot join at unload.
func (s *Server) Start() {
	s.wg.Go(func() { work(1) }) // want `\(\*sync.WaitGroup\).Go in module app starts a goroutine the module's handle cannot join: start it with core.\(\*Handle\).Go so it is joined at unload`
}

// Fetch waits for its group, but allow-scoped is off: every group Go is
// reported, as every go statement is.
func Fetch(ctx context.Context) error {
	g, ctx := errgroup.WithContext(ctx)
	g.Go(func() error { work(2); return ctx.Err() })   // want `\(\*errgroup.Group\).Go in module app`
	if g.TryGo(func() error { work(3); return nil }) { // want `\(\*errgroup.Group\).TryGo in module app`
		work(4)
	}
	return g.Wait()
}

// Handled starts its work through the handle.
func (s *Server) Handled() {
	s.h.Go(func(context.Context) { work(5) }) // ok: the configured spawner
}

// Counted uses a WaitGroup only to count; nothing here starts a goroutine.
func Counted() {
	var wg sync.WaitGroup
	wg.Add(1) // ok: Add, Done and Wait start nothing
	wg.Done()
	wg.Wait()
}

// Value calls Go through a method value: still a group Go call.
func Value(wg *sync.WaitGroup) {
	start := wg.Go
	start(func() { work(6) }) // ok: not seen, a known limit: a call through a func value has no static callee
}
