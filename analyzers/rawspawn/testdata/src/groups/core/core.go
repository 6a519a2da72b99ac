// Package core holds the module handle whose Go is the configured spawner.
package core

import (
	"context"
	"sync"
)

type Handle struct {
	wg  sync.WaitGroup
	ctx context.Context
}

// Go is the spawner: the group Go inside it is where it belongs.
func (h *Handle) Go(f func(context.Context)) {
	h.wg.Go(func() { f(h.ctx) }) // ok: the body of the configured spawner
}

// Stop joins everything Go started.
func (h *Handle) Stop() { h.wg.Wait() }
