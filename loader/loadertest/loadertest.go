// Package loadertest helps test modules written for the loader.
package loadertest

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/reloadvet/reloadvet/loader"
)

// Option configures VerifyNoLeaks.
type Option func(*config)

type config struct {
	deps        []loader.Module
	exercise    func(t testing.TB, l *loader.Loader)
	reloads     int
	stopTimeout time.Duration
}

// WithDeps registers the modules m depends on (and theirs) beside it.
func WithDeps(mods ...loader.Module) Option {
	return func(c *config) { c.deps = append(c.deps, mods...) }
}

// WithExercise runs f once the modules are loaded (and after each reload),
// to make the module start what it starts in real use: subscriptions,
// connections, workers. [loader.Instance] reaches the module's instance;
// do not keep it past f, or the leftover reference check reports it.
func WithExercise(f func(t testing.TB, l *loader.Loader)) Option {
	return func(c *config) { c.exercise = f }
}

// WithReloads reloads the module n times before the final unload, so that
// every generation but the last is checked by a reload.
func WithReloads(n int) Option {
	return func(c *config) { c.reloads = n }
}

// WithStopTimeout sets how long each unload may take (default 2s).
func WithStopTimeout(d time.Duration) Option {
	return func(c *config) { c.stopTimeout = d }
}

// VerifyNoLeaks loads m, with its dependencies, in a loader of its own,
// exercises it, unloads everything and fails t when an unload leaves
// goroutines behind (including goroutines started with a plain go
// statement inside the module's goroutines), when unloading fails, when a
// goroutine of the module panics or the module calls Handle.Fail, or when
// an unloaded instance is still reachable. Its loader does not restart a
// module that fails: the failure is reported once. Before it reports an
// instance or a goroutine it checks again, so that one on its way out (a
// goroutine returning, a timer being stopped) is not taken for a leak.
func VerifyNoLeaks(t testing.TB, m loader.Module, opts ...Option) {
	t.Helper()
	c := config{stopTimeout: 2 * time.Second}
	for _, o := range opts {
		o(&c)
	}
	var mu sync.Mutex
	var problems []string
	observe := func(ev loader.Event) {
		switch ev.Kind {
		case loader.Leaked, loader.Failed, loader.GoAfterUnload:
			msg := string(ev.Kind) + ": module " + ev.Module
			if ev.Err != nil {
				msg = ev.Err.Error()
			}
			mu.Lock()
			problems = append(problems, msg)
			mu.Unlock()
		}
	}
	// No restarts: a failure is reported once, not replayed by the loader.
	l := loader.New(loader.WithStopTimeout(c.stopTimeout), loader.WithObserver(observe), loader.WithRestartPolicy(loader.RestartPolicy{}))
	if err := l.Register(append(c.deps, m)...); err != nil {
		t.Fatalf("register: %v", err)
	}
	ctx := context.Background()
	if err := l.Start(ctx); err != nil {
		t.Fatalf("%v", err)
	}
	stopped := false
	defer func() {
		if !stopped {
			// A Fatal in exercise: still unload, so the test leaks nothing.
			_ = l.Stop(ctx)
		}
	}()
	if c.exercise != nil {
		c.exercise(t, l)
	}
	for range c.reloads {
		if _, err := l.Reload(ctx, m.Name); err != nil {
			t.Errorf("%v", err)
		}
		if c.exercise != nil {
			c.exercise(t, l)
		}
	}
	stopped = true
	// Stop waits for the checks that follow the unloads: goroutines left
	// behind and instances still reachable are reported by then.
	if err := l.Stop(ctx); err != nil {
		t.Errorf("%v", err)
	}
	for _, g := range leftGoroutines(t, l, moduleNames(m, c.deps)) {
		t.Errorf("after unload: %v", g)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(problems) > 0 {
		t.Errorf("module %s:\n%s", m.Name, strings.Join(problems, "\n"))
	}
}

// leftGoroutines returns the goroutines of the modules still in the
// profile after Stop, re-checking before it reports: a goroutine that has
// returned can stay in the profile for a moment.
func leftGoroutines(t testing.TB, l *loader.Loader, names []string) []loader.Goroutine {
	t.Helper()
	var left []loader.Goroutine
	for _, pause := range []time.Duration{0, time.Millisecond, 10 * time.Millisecond, 100 * time.Millisecond} {
		time.Sleep(pause)
		left = left[:0]
		for _, name := range names {
			gs, err := l.Goroutines(name)
			if err != nil {
				t.Errorf("%v", err)
				return nil
			}
			left = append(left, gs...)
		}
		if len(left) == 0 {
			return nil
		}
	}
	return left
}

func moduleNames(m loader.Module, deps []loader.Module) []string {
	names := []string{m.Name}
	for _, d := range deps {
		names = append(names, d.Name)
	}
	return names
}
