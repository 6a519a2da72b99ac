package web

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/reloadvet/reloadvet/loader"
	"github.com/reloadvet/reloadvet/loader/loadertest"
)

type fakeGreeter struct {
	prefix string
	_      [2]int64
}

func (g *fakeGreeter) Greet(name string) string { return g.prefix + ", " + name }

func TestWebModuleLeavesNothingBehind(t *testing.T) {
	slot := &Slot{}
	greeter := loader.Module{Name: "greeter", Factory: loader.Func(func(ctx context.Context, h *loader.Handle) (*fakeGreeter, error) {
		return &fakeGreeter{prefix: "Hi"}, nil
	}, nil)}
	loadertest.VerifyNoLeaks(t,
		loader.Module{Name: "web", Deps: []string{"greeter"}, Factory: Module(slot)},
		loadertest.WithDeps(greeter),
		loadertest.WithReloads(2),
		loadertest.WithExercise(func(t testing.TB, l *loader.Loader) {
			rec := httptest.NewRecorder()
			slot.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/hello?name=gopher", nil))
			if got := strings.TrimSpace(rec.Body.String()); rec.Code != http.StatusOK || got != "Hi, gopher" {
				t.Errorf("GET /hello: %d %q", rec.Code, got)
			}
		}))
	// Unloaded: the routes are gone from the program's server.
	rec := httptest.NewRecorder()
	slot.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/hello", nil))
	if rec.Code != http.StatusServiceUnavailable || rec.Header().Get("Retry-After") == "" {
		t.Errorf("after unload: %d, Retry-After %q", rec.Code, rec.Header().Get("Retry-After"))
	}
}

func TestUnloadWaitsForRequestsInFlight(t *testing.T) {
	rt := &routes{mux: http.NewServeMux(), idle: make(chan struct{})}
	if !rt.enter() {
		t.Fatal("enter refused on open routes")
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := rt.drain(ctx); err == nil || !strings.Contains(err.Error(), "requests still in flight") {
		t.Errorf("drain with a request in flight and a done context: %v", err)
	}
	if rt.enter() {
		t.Error("enter accepted a request after drain began")
	}
	rt.leave()
	select {
	case <-rt.idle:
	default:
		t.Error("idle not closed after the last request left")
	}
}
