package loader

// The faults of issue 13, written as a user meets them. These tests use
// only the API the loader had before the fixes, so that they can be run
// against that code too (where each of them fails).

import (
	"context"
	"errors"
	"runtime/metrics"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// unreachable returns a factory whose load fails while fail is set, as a
// module's does when the server it needs is down.
func unreachable(fail *atomic.Bool) Factory {
	return Func(func(ctx context.Context, h *Handle) (*inst, error) {
		if fail.Load() {
			return nil, errors.New("config server unreachable")
		}
		return &inst{}, nil
	}, nil)
}

// flakyChain registers store <- flaky <- api, where flaky's load fails
// while fail is set.
func flakyChain(t *testing.T, l *Loader, fail *atomic.Bool) {
	mustRegister(t, l,
		Module{Name: "store", Factory: plain()},
		Module{Name: "flaky", Deps: []string{"store"}, Factory: unreachable(fail)},
		Module{Name: "api", Deps: []string{"flaky"}, Factory: plain()},
	)
}

// Fault 1: a load that ignores its context is abandoned; the roll back
// loads the previous code at once, and the report is true.
func TestFaultRollbackAfterALoadThatIgnoresItsContext(t *testing.T) {
	t.Parallel()
	release := make(chan struct{})
	j := &journal{}
	l := New(WithStopTimeout(100 * time.Millisecond))
	layered(t, l, j)
	mustStart(t, l)
	stopAtEnd(t, l)
	t.Cleanup(func() { close(release) }) // before the Stop: cleanups run last first
	j.take()
	blocked := Func(func(ctx context.Context, h *Handle) (*greeter, error) {
		<-release // ignores ctx
		return &greeter{greeting: "late"}, nil
	}, nil)
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	rep, err := l.Replace(ctx, "greeter", blocked)
	want := "replace greeter: rolled back: load module greeter (generation 2): load did not return: context deadline exceeded"
	if err == nil || err.Error() != want {
		t.Errorf("got %v\nwant %s", err, want)
	}
	if !rep.RolledBack || strings.Join(rep.Modules, ",") != "greeter,api,router" {
		t.Errorf("report %+v (%s)", rep, rep)
	}
	equalLines(t, "journal", j.take(), []string{
		"unload router", "unload api", "unload greeter hello",
		"load greeter hello", "load api with hello", "load router",
	})
	for _, s := range l.Modules() {
		if s.State != StateRunning || s.Stuck != 0 {
			t.Errorf("module %s is %s (stuck %d) after the roll back", s.Name, s.State, s.Stuck)
		}
	}
}

// Fault 1: a load that honours its context but needs 20ms to unwind is not
// a stuck generation.
func TestFaultRollbackAfterALoadThatUnwindsSlowly(t *testing.T) {
	t.Parallel()
	j := &journal{}
	ev := &events{}
	l := New(WithObserver(ev.observe))
	layered(t, l, j)
	mustStart(t, l)
	stopAtEnd(t, l)
	slow := Func(func(ctx context.Context, h *Handle) (*greeter, error) {
		<-ctx.Done()
		time.Sleep(20 * time.Millisecond)
		return nil, ctx.Err()
	}, nil)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Millisecond)
	defer cancel()
	rep, err := l.Replace(ctx, "greeter", slow)
	if err == nil || !rep.RolledBack {
		t.Fatalf("got %v, report %+v", err, rep)
	}
	for _, s := range l.Modules() {
		if s.State != StateRunning {
			t.Errorf("module %s is %s after the roll back: %v", s.Name, s.State, err)
		}
	}
	if err := l.Stop(context.Background()); err != nil {
		t.Errorf("stop: %v", err)
	}
	if got := ev.of(StopTimeout); len(got) != 0 {
		t.Errorf("a load that unwinds in 20ms was reported as a stop timeout: %v", got[0].Err)
	}
}

// Fault 2: a load that blocks under context.Background() does not wedge the
// loader: Stop, bounded by its context, cuts the replace short and stops
// the modules, and the replace returns.
func TestFaultStopDuringAHungReplace(t *testing.T) {
	t.Parallel()
	release := make(chan struct{})
	t.Cleanup(func() { close(release) })
	j := &journal{}
	l := New(WithStopTimeout(100 * time.Millisecond))
	layered(t, l, j)
	mustStart(t, l)
	started := make(chan struct{})
	hung := Func(func(ctx context.Context, h *Handle) (*greeter, error) {
		close(started)
		<-release // ignores ctx
		return nil, errors.New("too late")
	}, nil)
	replaced := make(chan error, 1)
	go func() {
		_, err := l.Replace(context.Background(), "greeter", hung)
		replaced <- err
	}()
	<-started
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	begin := time.Now()
	err := l.Stop(ctx)
	if took := time.Since(begin); took > 2*time.Second+500*time.Millisecond {
		t.Errorf("Stop took %v with a 2s deadline", took)
	}
	if err == nil || strings.Contains(err.Error(), "waiting for another operation") ||
		!strings.Contains(err.Error(), "stop what the failed load of module greeter (generation 2) started: module greeter (generation 2) did not stop within 100ms: 1 goroutine still running") {
		t.Errorf("Stop = %v, want the hung load's goroutine reported", err)
	}
	if got := strings.Join(j.take(), "\n"); !strings.Contains(got, "unload store") {
		t.Errorf("Stop did not unload store:\n%s", got)
	}
	select {
	case err := <-replaced:
		if want := "replace greeter: cut short by Stop, 3 modules down (greeter, api, router): load module greeter (generation 2): load did not return: the loader is stopped"; err == nil || err.Error() != want {
			t.Errorf("replace = %v\nwant %s", err, want)
		}
	case <-time.After(5 * time.Second):
		t.Error("the replace did not return after Stop")
	}
}

// Fault 4: a plain Reload that fails has no previous code to roll back to,
// and its failure is told once.
func TestFaultAFailedReloadIsNotARollBack(t *testing.T) {
	t.Parallel()
	var fail atomic.Bool
	l := New()
	flakyChain(t, l, &fail)
	mustStart(t, l)
	stopAtEnd(t, l)
	fail.Store(true)
	rep, err := l.Reload(context.Background(), "flaky")
	if err == nil {
		t.Fatal("reload succeeded")
	}
	if rep.RolledBack || strings.Contains(rep.String(), "rolled back") || strings.Contains(err.Error(), "rolled back") {
		t.Errorf("a Reload has no previous code to roll back to: report %q, error %v", rep, err)
	}
	if n := strings.Count(err.Error(), "config server unreachable"); n != 1 {
		t.Errorf("the load failure is listed %d times:\n%v", n, err)
	}
}

// Fault 4: a roll back that loads nothing is not "rolled back to the
// previous code".
func TestFaultARollBackThatLoadsNothing(t *testing.T) {
	t.Parallel()
	var fail atomic.Bool
	l := New()
	flakyChain(t, l, &fail)
	mustStart(t, l)
	stopAtEnd(t, l)
	fail.Store(true) // the previous code fails too, now
	broken := Func(func(ctx context.Context, h *Handle) (*inst, error) { return nil, errors.New("bad template") }, nil)
	rep, err := l.Replace(context.Background(), "flaky", broken)
	if rep.RolledBack || strings.Contains(rep.String(), "rolled back to the previous code") {
		t.Errorf("nothing was loaded again, yet: report %q", rep)
	}
	want := "replace flaky: roll back failed, 2 modules down (flaky, api): load module flaky (generation 2): bad template\nload module flaky (generation 3): config server unreachable"
	if err == nil || err.Error() != want {
		t.Errorf("got %v\nwant %s", err, want)
	}
}

// Fault 4: a refusal is listed once.
func TestFaultARefusalIsListedOnce(t *testing.T) {
	t.Parallel()
	release := make(chan struct{})
	t.Cleanup(func() { close(release) })
	l := New(WithStopTimeout(20 * time.Millisecond))
	mustRegister(t, l, Module{Name: "poller", Factory: Func(func(ctx context.Context, h *Handle) (*inst, error) {
		h.Go(func(ctx context.Context) { <-release })
		return &inst{}, nil
	}, nil)})
	mustStart(t, l)
	_, err := l.Reload(context.Background(), "poller")
	if err == nil {
		t.Fatal("no error")
	}
	if n := strings.Count(err.Error(), "module poller is stuck"); n != 1 {
		t.Errorf("the refusal is listed %d times:\n%v", n, err)
	}
}

// Fault 4: a deadline already past gives no time to stop, not a negative
// one. Stop returns at once, and says what it left.
func TestFaultNoNegativeDurationWhenTheDeadlineHasPassed(t *testing.T) {
	t.Parallel()
	release := make(chan struct{})
	t.Cleanup(func() { close(release) })
	ev := &events{}
	l := New(WithObserver(ev.observe))
	mustRegister(t, l, Module{Name: "poller", Factory: Func(func(ctx context.Context, h *Handle) (*inst, error) {
		h.Go(func(ctx context.Context) { <-release })
		return &inst{}, nil
	}, nil)})
	mustStart(t, l)
	ctx, cancel := context.WithDeadline(context.Background(), time.Now().Add(-time.Millisecond))
	defer cancel()
	err := l.Stop(ctx)
	if err == nil || strings.Contains(err.Error(), "within -") {
		t.Errorf("got %v", err)
	}
	waitFor(t, "the stop to finish", func() bool { return len(ev.of(Stopped)) == 1 })
	got := ev.of(StopTimeout)
	if len(got) != 1 || !strings.HasPrefix(got[0].Err.Error(), "module poller (generation 1) had no time to stop (the deadline had passed): 1 goroutine still running") {
		t.Errorf("stop timeout events = %+v", got)
	}
}

// Fault 5: Handle.Go does not run its func for an unloaded generation, even
// one whose goroutines outlived the deadline.
func TestFaultGoAfterAStuckUnload(t *testing.T) {
	t.Parallel()
	release := make(chan struct{})
	t.Cleanup(func() { close(release) })
	var saved atomic.Pointer[Handle]
	ev := &events{}
	l := New(WithStopTimeout(20*time.Millisecond), WithStuckPolicy(StuckWarn), WithObserver(ev.observe))
	mustRegister(t, l, Module{Name: "poller", Factory: Func(func(ctx context.Context, h *Handle) (*inst, error) {
		if h.Generation() == 1 {
			saved.Store(h)
			h.Go(func(ctx context.Context) { <-release })
		}
		return &inst{}, nil
	}, nil)})
	mustStart(t, l)
	stopAtEnd(t, l)
	if _, err := l.Reload(context.Background(), "poller"); err == nil {
		t.Fatal("no stop timeout")
	}
	var ran atomic.Bool
	saved.Load().Go(func(ctx context.Context) { ran.Store(true) })
	// A refused Go reports at once, in the calling goroutine.
	if got := ev.of(GoAfterUnload); len(got) != 1 || got[0].Generation != 1 {
		t.Errorf("go after unload events = %+v", got)
	}
	if ran.Load() {
		t.Error("Go ran its func for an unloaded generation")
	}
}

// Fault 5: WithLayers(nil), as from a config with no layers, is no layers.
func TestFaultNoLayersIsNoLayerRule(t *testing.T) {
	t.Parallel()
	for _, layers := range [][][]string{nil, {}} {
		l := New(WithLayers(layers))
		mustRegister(t, l, Module{Name: "a", Factory: plain()})
		if err := l.Start(context.Background()); err != nil {
			t.Fatalf("WithLayers(%#v): %v", layers, err)
		}
		if err := l.Stop(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
}

// Fault 5: a worker that panics does not leave its module "running": by
// default the loader restarts it.
func TestFaultAPanickedWorkerIsRestarted(t *testing.T) {
	t.Parallel()
	l := New()
	mustRegister(t, l, Module{Name: "parser", Factory: Func(func(ctx context.Context, h *Handle) (*inst, error) {
		if h.Generation() == 1 {
			h.Go(func(ctx context.Context) { panic("nil config") })
		}
		h.Go(func(ctx context.Context) { <-ctx.Done() })
		return &inst{}, nil
	}, nil)})
	mustStart(t, l)
	stopAtEnd(t, l)
	waitFor(t, "generation 2 to run", func() bool {
		s := l.Modules()[0]
		if s.Generation == 1 && s.Failures == 1 && s.State == StateRunning {
			t.Fatalf("status %+v: running, with its worker dead", s)
		}
		return s.State == StateRunning && s.Generation == 2
	})
}

// Fault 6: a reload forces no garbage collection (the reference check runs
// after it, off its path). Not parallel: it counts the process's forced
// collections.
func TestFaultAReloadForcesNoGC(t *testing.T) {
	l := New()
	mustRegister(t, l, Module{Name: "a", Factory: plain()}, Module{Name: "b", Deps: []string{"a"}, Factory: plain()})
	mustStart(t, l)
	stopAtEnd(t, l)
	s := []metrics.Sample{{Name: "/gc/cycles/forced:gc-cycles"}}
	metrics.Read(s)
	before := s[0].Value.Uint64()
	for range 10 {
		if _, err := l.Reload(context.Background(), "a"); err != nil {
			t.Fatal(err)
		}
	}
	metrics.Read(s)
	if n := s[0].Value.Uint64() - before; n != 0 {
		t.Errorf("10 reloads forced %d garbage collections", n)
	}
}
