// Package core is the bottom layer: the module handle and shared types.
package core

import "context"

// Handle is what a module starts goroutines through.
type Handle struct{ ctx context.Context }

// Go starts f as a goroutine of the module.
func (h *Handle) Go(f func(ctx context.Context)) { go f(h.ctx) }
