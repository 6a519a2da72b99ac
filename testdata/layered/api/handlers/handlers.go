package handlers

import (
	"example.com/app/admin/users"
	"example.com/app/core"
	"example.com/app/database/pool"
)

// Hooks are called on each request.
type Hooks struct {
	h *core.Handle
	p *pool.Pool
	u users.User
}
