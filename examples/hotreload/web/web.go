// Package web is the example's top module: the HTTP routes, installed into
// the program's server while the module runs.
package web

import (
	"context"
	"fmt"
	"net/http"
	"sync"
	"sync/atomic"

	"github.com/reloadvet/reloadvet/examples/hotreload/contract"
	"github.com/reloadvet/reloadvet/loader"
)

// Slot is where the running web module installs its routes; the program
// serves it. While no routes are installed (during a reload) it answers
// 503 with Retry-After.
type Slot struct {
	cur atomic.Pointer[routes]
}

func (s *Slot) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rt := s.cur.Load()
	if rt == nil || !rt.enter() {
		w.Header().Set("Retry-After", "1")
		http.Error(w, "reloading", http.StatusServiceUnavailable)
		return
	}
	defer rt.leave()
	rt.mux.ServeHTTP(w, r)
}

// routes counts the requests in flight, so that unload can wait for them:
// they run in the server's goroutines, not the module's, and use the
// greeter below, which unloads next.
type routes struct {
	mux *http.ServeMux

	mu       sync.Mutex
	inflight int
	closed   bool
	idle     chan struct{}
}

func (rt *routes) enter() bool {
	rt.mu.Lock()
	defer rt.mu.Unlock()
	if rt.closed {
		return false
	}
	rt.inflight++
	return true
}

func (rt *routes) leave() {
	rt.mu.Lock()
	defer rt.mu.Unlock()
	rt.inflight--
	if rt.inflight == 0 && rt.closed {
		close(rt.idle)
	}
}

// drain refuses new requests and waits for those in flight.
func (rt *routes) drain(ctx context.Context) error {
	rt.mu.Lock()
	rt.closed = true
	if rt.inflight == 0 {
		close(rt.idle)
	}
	rt.mu.Unlock()
	select {
	case <-rt.idle:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("requests still in flight: %w", ctx.Err())
	}
}

// Web is the web module's instance.
type Web struct {
	routes *routes
}

// Module is the web module's code; it serves its routes through slot.
func Module(slot *Slot) loader.Factory {
	return loader.Func(func(ctx context.Context, h *loader.Handle) (*Web, error) {
		g, err := loader.Dep[contract.Greeter](h, "greeter")
		if err != nil {
			return nil, err
		}
		mux := http.NewServeMux()
		mux.HandleFunc("GET /hello", func(w http.ResponseWriter, r *http.Request) {
			name := r.URL.Query().Get("name")
			if name == "" {
				name = "world"
			}
			fmt.Fprintln(w, g.Greet(name))
		})
		rt := &routes{mux: mux, idle: make(chan struct{})}
		slot.cur.Store(rt)
		// Remove what the module registered in the program, then wait for
		// the requests that still use it.
		h.OnUnload(func(ctx context.Context) error {
			slot.cur.CompareAndSwap(rt, nil)
			return rt.drain(ctx)
		})
		return &Web{routes: rt}, nil
	}, nil)
}
