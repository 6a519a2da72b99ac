package database

import "handle/core"

// Begin imports no context: the fix adds the import.
func Begin(h *core.Handle, s *Store) {
	go func() { // want `direct goroutine in module database`
		s.loop()
	}()
}
