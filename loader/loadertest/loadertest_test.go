package loadertest_test

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/reloadvet/reloadvet/loader"
	"github.com/reloadvet/reloadvet/loader/loadertest"
)

// recorder stands for *testing.T and keeps the failures VerifyNoLeaks
// reports, so that tests can check them.
type recorder struct {
	testing.TB
	mu     sync.Mutex
	errors []string
}

func (r *recorder) Helper() {}

func (r *recorder) Errorf(format string, args ...any) {
	r.mu.Lock()
	r.errors = append(r.errors, fmt.Sprintf(format, args...))
	r.mu.Unlock()
}

func (r *recorder) Fatalf(format string, args ...any) {
	r.Errorf(format, args...)
	runtime.Goexit()
}

func (r *recorder) report() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return strings.Join(r.errors, "\n")
}

// verify runs VerifyNoLeaks against a recorder and returns its report.
func verify(t *testing.T, m loader.Module, opts ...loadertest.Option) string {
	r := &recorder{TB: t}
	done := make(chan struct{})
	go func() {
		defer close(done)
		loadertest.VerifyNoLeaks(r, m, opts...)
	}()
	<-done
	return r.report()
}

type state struct {
	calls int
	_     [4]int64
}

func TestCleanModulePasses(t *testing.T) {
	t.Parallel()
	store := loader.Module{Name: "store", Factory: loader.Func(func(ctx context.Context, h *loader.Handle) (*state, error) {
		return &state{}, nil
	}, nil)}
	worker := loader.Module{Name: "worker", Deps: []string{"store"}, Factory: loader.Func(func(ctx context.Context, h *loader.Handle) (*state, error) {
		h.Go(func(ctx context.Context) {
			t := time.NewTicker(time.Millisecond)
			defer t.Stop()
			for {
				select {
				case <-ctx.Done():
					return
				case <-t.C:
				}
			}
		})
		h.OnUnload(func(ctx context.Context) error { return nil })
		return &state{}, nil
	}, nil)}
	exercised := 0
	got := verify(t, worker,
		loadertest.WithDeps(store),
		loadertest.WithReloads(2),
		loadertest.WithExercise(func(t testing.TB, l *loader.Loader) {
			s, err := loader.Instance[*state](l, "worker")
			if err != nil {
				t.Fatalf("%v", err)
			}
			s.calls++
			exercised++
		}))
	if got != "" {
		t.Errorf("a clean module failed:\n%s", got)
	}
	if exercised != 3 {
		t.Errorf("exercised %d times, want 3", exercised)
	}
}

func TestLeaksFail(t *testing.T) {
	t.Parallel()
	release := make(chan struct{})
	t.Cleanup(func() { close(release) }) // after the parallel subtests
	tests := []struct {
		name  string
		load  func(h *loader.Handle, keep func(*state)) *state
		wants []string
	}{{
		name: "goroutine ignores cancellation",
		load: func(h *loader.Handle, keep func(*state)) *state {
			h.Go(func(ctx context.Context) { <-release })
			return &state{}
		},
		wants: []string{"did not stop within 50ms: 1 goroutine still running", "loadertest_test.go"},
	}, {
		name: "plain go statement inside a handle goroutine",
		load: func(h *loader.Handle, keep func(*state)) *state {
			h.Go(func(ctx context.Context) {
				go func() { <-release }()
			})
			return &state{}
		},
		wants: []string{"did not stop within 50ms: 1 goroutine still running"},
	}, {
		name: "instance still referenced",
		load: func(h *loader.Handle, keep func(*state)) *state {
			s := &state{}
			keep(s)
			return s
		},
		wants: []string{"module leaky (generation 1) is still reachable after unload"},
	}, {
		name: "goroutine panics",
		load: func(h *loader.Handle, keep func(*state)) *state {
			h.Go(func(ctx context.Context) { panic("nil config") })
			return &state{}
		},
		wants: []string{"module leaky (generation 1): goroutine panicked: nil config"},
	}, {
		name: "module reports a failure",
		load: func(h *loader.Handle, keep func(*state)) *state {
			h.Go(func(ctx context.Context) { h.Fail(errors.New("connection lost")) })
			return &state{}
		},
		wants: []string{"module leaky (generation 1) failed: connection lost"},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var kept []*state
			var mu sync.Mutex
			keep := func(s *state) {
				mu.Lock()
				kept = append(kept, s)
				mu.Unlock()
			}
			m := loader.Module{Name: "leaky", Factory: loader.Func(func(ctx context.Context, h *loader.Handle) (*state, error) {
				return tt.load(h, keep), nil
			}, nil)}
			got := verify(t, m, loadertest.WithStopTimeout(50*time.Millisecond), loadertest.WithExercise(func(t testing.TB, l *loader.Loader) {
				time.Sleep(5 * time.Millisecond) // let goroutines start and panic
			}))
			for _, want := range tt.wants {
				if !strings.Contains(got, want) {
					t.Errorf("report lacks %q:\n%s", want, got)
				}
			}
			mu.Lock()
			kept = nil
			mu.Unlock()
		})
	}
}
