// Package core is the bottom of the fixture: the handle modules start
// their goroutines through.
package core

import (
	"context"
	"sync"
)

// Handle starts a module's goroutines and joins them when it stops.
type Handle struct {
	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup
}

// New returns a running handle.
func New() *Handle {
	ctx, cancel := context.WithCancel(context.Background())
	return &Handle{ctx: ctx, cancel: cancel}
}

// Go starts f in a goroutine that Stop waits for.
func (h *Handle) Go(f func(ctx context.Context)) {
	h.wg.Add(1)
	go func() {
		defer h.wg.Done()
		f(h.ctx)
	}()
}

// Stop cancels the handle's context and waits for its goroutines.
func (h *Handle) Stop() {
	h.cancel()
	h.wg.Wait()
}
