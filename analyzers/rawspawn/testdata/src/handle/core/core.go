// Package core stands in for the loader's per-module handle.
package core

import "context"

// Handle is a module's handle; Go is its configured spawner.
type Handle struct{ ctx context.Context }

// Go runs f on a goroutine the handle joins at unload.
func (h *Handle) Go(f func(context.Context)) {
	go f(h.ctx) // ok: the body of a configured spawner
	go func() { // ok: still the body of the spawner
		f(h.ctx)
	}()
}

// watch is not a spawner, so its goroutine is reported even in core.
func (h *Handle) watch() {
	go h.tick() // want `direct goroutine in module core: start it with core\.\(\*Handle\)\.Go so it is joined at unload`
}

func (h *Handle) tick() {}
