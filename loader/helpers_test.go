package loader

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// journal records what modules do, in order, across goroutines.
type journal struct {
	mu    sync.Mutex
	lines []string
}

func (j *journal) add(format string, args ...any) {
	j.mu.Lock()
	j.lines = append(j.lines, fmt.Sprintf(format, args...))
	j.mu.Unlock()
}

func (j *journal) len() int {
	j.mu.Lock()
	defer j.mu.Unlock()
	return len(j.lines)
}

func (j *journal) take() []string {
	j.mu.Lock()
	defer j.mu.Unlock()
	out := j.lines
	j.lines = nil
	return out
}

// inst is a module instance big enough for the leftover reference check.
type inst struct {
	name string
	gen  int
	_    [4]int64
}

// logged returns a factory whose load and unload are written to j as
// "load name" and "unload name".
func logged(j *journal, name string) Factory {
	return Func(func(ctx context.Context, h *Handle) (*inst, error) {
		j.add("load %s", name)
		return &inst{name: name, gen: h.Generation()}, nil
	}, func(ctx context.Context, i *inst) error {
		j.add("unload %s", name)
		return nil
	})
}

// plain returns a factory that does nothing.
func plain() Factory {
	return Func(func(ctx context.Context, h *Handle) (*inst, error) {
		return &inst{name: h.Name(), gen: h.Generation()}, nil
	}, nil)
}

// events collects the loader's events.
type events struct {
	mu      sync.Mutex
	all     []Event
	changed chan struct{} // closed and replaced at each event
}

func (e *events) observe(ev Event) {
	e.mu.Lock()
	e.all = append(e.all, ev)
	if e.changed != nil {
		close(e.changed)
		e.changed = nil
	}
	e.mu.Unlock()
}

// wait blocks until n events of kind have come, or fails the test after
// 10 s, and returns them.
func (e *events) wait(t *testing.T, kind EventKind, n int) []Event {
	t.Helper()
	timeout := time.NewTimer(10 * time.Second)
	defer timeout.Stop()
	for {
		e.mu.Lock()
		if got := e.ofLocked(kind); len(got) >= n {
			e.mu.Unlock()
			return got
		}
		if e.changed == nil {
			e.changed = make(chan struct{})
		}
		changed := e.changed
		e.mu.Unlock()
		select {
		case <-changed:
		case <-timeout.C:
			t.Fatalf("timed out waiting for %d %q events; got %d", n, kind, len(e.of(kind)))
		}
	}
}

func (e *events) of(kind EventKind) []Event {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.ofLocked(kind)
}

func (e *events) ofLocked(kind EventKind) []Event {
	var out []Event
	for _, ev := range e.all {
		if ev.Kind == kind {
			out = append(out, ev)
		}
	}
	return out
}

// waitFor polls cond until it holds or the test's patience runs out.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(time.Millisecond)
	}
}

func mustRegister(t testing.TB, l *Loader, mods ...Module) {
	t.Helper()
	if err := l.Register(mods...); err != nil {
		t.Fatal(err)
	}
}

func mustStart(t testing.TB, l *Loader) {
	t.Helper()
	if err := l.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
}

func stopAtEnd(t testing.TB, l *Loader) {
	t.Cleanup(func() {
		if err := l.Stop(context.Background()); err != nil {
			t.Errorf("stop at end of test: %v", err)
		}
	})
}

func equalLines(t *testing.T, what string, got, want []string) {
	t.Helper()
	if !slices.Equal(got, want) {
		t.Errorf("%s:\ngot:\n\t%s\nwant:\n\t%s", what, strings.Join(got, "\n\t"), strings.Join(want, "\n\t"))
	}
}
