package pool

import "example.com/app/core"

// Pool is a connection pool.
type Pool struct{ h *core.Handle }
