// Package pool starts work of its own: the mistakes rawspawn and
// crosscallback report, beside the ways that are right.
package pool

import (
	"context"
	"net/http"

	"example.com/app/core"
)

// Pool is a connection pool.
type Pool struct{ h *core.Handle }

// Start starts the pool's background work.
func (p *Pool) Start() {
	go p.refresh() // a raw goroutine: the fix hands it to p.h.Go
	p.h.Go(func(context.Context) { p.refresh() })

	http.HandleFunc("/pool", p.stats) // the default mux outlives the module
	mux := http.NewServeMux()         // the module's own mux goes with it
	mux.HandleFunc("/pool", p.stats)
}

func (p *Pool) refresh() {}

func (p *Pool) stats(http.ResponseWriter, *http.Request) {}
