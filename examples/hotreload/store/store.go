// Package store is the example's bottom module: state that lives across
// reloads of the modules above it.
package store

import (
	"context"
	"sync"

	"github.com/reloadvet/reloadvet/loader"
)

// Store counts visits by name.
type Store struct {
	mu     sync.Mutex
	visits map[string]int
}

// Visit records a visit and returns how many there have been.
func (s *Store) Visit(name string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.visits[name]++
	return s.visits[name]
}

// Module is the store's code.
func Module() loader.Factory {
	return loader.Func(func(ctx context.Context, h *loader.Handle) (*Store, error) {
		return &Store{visits: map[string]int{}}, nil
	}, nil)
}
