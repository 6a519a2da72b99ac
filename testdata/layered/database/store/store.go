package store

import (
	"example.com/app/api/handlers"
	"example.com/app/database/pool"
)

// Store reaches up into api: the mistake layering reports.
type Store struct {
	p *pool.Pool
	h handlers.Hooks
}
