package loader

import (
	"context"
	"errors"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestRestartPolicyBackoffAndDecay(t *testing.T) {
	t.Parallel()
	p := DefaultRestartPolicy()
	t0 := time.Unix(1000, 0)
	s1 := p.score(0, time.Time{}, t0)
	s2 := p.score(s1, t0, t0)                    // a second failure at once
	s3 := p.score(s2, t0, t0.Add(p.HalfLife))    // a third, one half-life later
	s4 := p.score(s3, t0, t0.Add(10*p.HalfLife)) // long after: almost a first failure
	for _, c := range []struct {
		score float64
		want  float64
	}{{s1, 1}, {s2, 2}, {s3, 2}} {
		if c.score != c.want {
			t.Errorf("score = %v, want %v", c.score, c.want)
		}
	}
	if s4 < 1 || s4 > 1.01 {
		t.Errorf("score long after = %v, want about 1", s4)
	}
	for score, want := range map[float64]time.Duration{1: 100 * time.Millisecond, 2: 200 * time.Millisecond, 4: 800 * time.Millisecond, 20: 30 * time.Second} {
		if got := p.delay(score); got != want {
			t.Errorf("delay(%v) = %v, want %v", score, got, want)
		}
	}
	for range 100 {
		if d := jitter(time.Second); d < 500*time.Millisecond || d > time.Second {
			t.Fatalf("jitter(1s) = %v, want between 500ms and 1s", d)
		}
	}
	if n := (RestartPolicy{Backoff: time.Second}).normalised(); n.MaxBackoff != time.Second {
		t.Errorf("MaxBackoff below Backoff: %+v", n)
	}
	if got := (RestartPolicy{HalfLife: 0}).score(3, t0, t0.Add(time.Hour)); got != 4 {
		t.Errorf("without a half-life failures never fade: score %v, want 4", got)
	}
}

// quick returns a restart policy that does not keep tests waiting.
func quick() RestartPolicy {
	return RestartPolicy{Backoff: time.Millisecond, MaxBackoff: 4 * time.Millisecond, HalfLife: time.Minute}
}

func TestRestartAfterALoadFailureUntilItLoads(t *testing.T) {
	t.Parallel()
	var fail atomic.Bool
	ev := &events{}
	l := New(WithRestartPolicy(quick()), WithObserver(ev.observe))
	flakyChain(t, l, &fail)
	mustStart(t, l)
	stopAtEnd(t, l)
	fail.Store(true)
	if _, err := l.Reload(context.Background(), "flaky"); err == nil {
		t.Fatal("reload succeeded")
	}
	// The loader retries by itself, with a growing delay.
	got := ev.wait(t, RestartScheduled, 3)
	if got[0].Module != "flaky" || got[2].Duration < got[0].Duration/2 {
		t.Errorf("restarts = %+v", got)
	}
	if st := l.Modules()[1]; st.State != StateFailed || st.Loaded {
		t.Errorf("status = %+v, want failed, not loaded", st)
	}
	fail.Store(false)
	// The restart reloads flaky and api above it.
	waitFor(t, "the set to run again", func() bool {
		for _, s := range l.Modules() {
			if s.State != StateRunning {
				return false
			}
		}
		return true
	})
	for _, r := range ev.of(Reloaded) {
		if r.Module == "flaky" && strings.Join(r.Modules, ",") != "flaky,api" {
			t.Errorf("the restart reloaded %v", r.Modules)
		}
	}
}

func TestRestartGivesUpPastTheLimit(t *testing.T) {
	t.Parallel()
	ev := &events{}
	p := quick()
	p.Limit = 2
	l := New(WithRestartPolicy(p), WithObserver(ev.observe))
	var loads atomic.Int32
	mustRegister(t, l, Module{Name: "broken", Factory: Func(func(ctx context.Context, h *Handle) (*inst, error) {
		if loads.Add(1) > 1 {
			return nil, errors.New("disk full")
		}
		return &inst{}, nil
	}, nil)})
	mustStart(t, l)
	stopAtEnd(t, l)
	if _, err := l.Reload(context.Background(), "broken"); err == nil {
		t.Fatal("reload succeeded")
	}
	gaveUp := ev.wait(t, GaveUp, 1)
	if want := "module broken failed too often (score 3.0, limit 2): no more restarts until a reload of it succeeds: load module broken (generation 4): disk full"; gaveUp[0].Err.Error() != want {
		t.Errorf("gave up: %v\nwant %s", gaveUp[0].Err, want)
	}
	if n := len(ev.of(RestartScheduled)); n != 2 {
		t.Errorf("%d restarts scheduled, want 2 (score 1 and 2)", n)
	}
	if st := l.Modules()[0]; st.State != StateFailed || !st.RestartAt.IsZero() || loads.Load() != 4 {
		t.Errorf("status = %+v after %d loads", st, loads.Load())
	}
}

func TestHandleFailRestartsTheModuleAndItsDependents(t *testing.T) {
	t.Parallel()
	ev := &events{}
	l := New(WithRestartPolicy(quick()), WithObserver(ev.observe))
	mustRegister(t, l,
		Module{Name: "db", Factory: Func(func(ctx context.Context, h *Handle) (*inst, error) {
			if h.Generation() == 1 {
				h.Go(func(ctx context.Context) { h.Fail(errors.New("connection lost")) })
			}
			return &inst{}, nil
		}, nil)},
		Module{Name: "api", Deps: []string{"db"}, Factory: plain()},
	)
	mustStart(t, l)
	stopAtEnd(t, l)
	failed := ev.wait(t, Failed, 1)
	if got := failed[0].Err.Error(); got != "module db (generation 1) failed: connection lost" {
		t.Errorf("failure = %q", got)
	}
	waitFor(t, "the restart", func() bool {
		st := l.Modules()
		return st[0].State == StateRunning && st[0].Generation == 2 && st[1].State == StateRunning && st[1].Generation == 2
	})
	// A failure of a generation that is gone changes nothing.
	before := len(ev.of(RestartScheduled))
	var old *Handle
	l2 := New(WithRestartPolicy(quick()))
	mustRegister(t, l2, Module{Name: "x", Factory: Func(func(ctx context.Context, h *Handle) (*inst, error) {
		old = h
		return &inst{}, nil
	}, nil)})
	mustStart(t, l2)
	if err := l2.Stop(context.Background()); err != nil {
		t.Fatal(err)
	}
	old.Fail(errors.New("too late"))
	if st := l2.Modules()[0]; st.State != StateStopped || st.Failures != 1 || !st.RestartAt.IsZero() {
		t.Errorf("status after a late Fail = %+v", st)
	}
	if len(ev.of(RestartScheduled)) != before {
		t.Error("a restart was scheduled for a generation that is gone")
	}
}

func TestAFailureDuringTheUnloadRestartsNothing(t *testing.T) {
	t.Parallel()
	ev := &events{}
	l := New(WithRestartPolicy(quick()), WithObserver(ev.observe))
	mustRegister(t, l, Module{Name: "conn", Factory: Func(func(ctx context.Context, h *Handle) (*inst, error) {
		h.Go(func(ctx context.Context) {
			<-ctx.Done()
			panic("use of closed connection") // as goroutines do when their resources go
		})
		return &inst{}, nil
	}, nil)})
	mustStart(t, l)
	stopAtEnd(t, l)
	if _, err := l.Reload(context.Background(), "conn"); err != nil {
		t.Fatal(err)
	}
	if got := ev.of(Failed); len(got) != 1 || got[0].Generation != 1 {
		t.Errorf("failed events = %+v", got)
	}
	if got := ev.of(RestartScheduled); len(got) != 0 {
		t.Errorf("a failure during the unload scheduled a restart: %+v", got)
	}
	if st := l.Modules()[0]; st.State != StateRunning || st.Generation != 2 || !st.RestartAt.IsZero() {
		t.Errorf("status = %+v", st)
	}
}

func TestRequestReloadFromAnObserverDoesNotWait(t *testing.T) {
	t.Parallel()
	ev := &events{}
	var l *Loader
	var once sync.Once
	requested := make(chan error, 1)
	l = New(WithObserver(func(e Event) {
		ev.observe(e)
		// Inside Reload's operation: a blocking call would deadlock.
		if e.Kind == Unloaded && e.Module == "store" {
			once.Do(func() { requested <- l.RequestReload("api") })
		}
	}))
	mustRegister(t, l,
		Module{Name: "store", Factory: plain()},
		Module{Name: "api", Deps: []string{"store"}, Factory: plain()},
		Module{Name: "other", Factory: plain()},
	)
	mustStart(t, l)
	stopAtEnd(t, l)
	if _, err := l.Reload(context.Background(), "store"); err != nil {
		t.Fatal(err)
	}
	if err := <-requested; err != nil {
		t.Fatal(err)
	}
	// The requested reload runs after the one in progress.
	var got Event
	waitFor(t, "the requested reload", func() bool {
		for _, r := range ev.of(Reloaded) {
			if r.Module == "api" {
				got = r
				return true
			}
		}
		return false
	})
	if strings.Join(got.Modules, ",") != "api" {
		t.Errorf("requested reload = %+v", got)
	}
	if st := l.Modules(); st[1].Generation != 3 || st[0].Generation != 2 || st[2].Generation != 1 {
		t.Errorf("generations = %+v", st)
	}
}

func TestAModuleReloadsItself(t *testing.T) {
	t.Parallel()
	ev := &events{}
	var first atomic.Pointer[Handle]
	l := New(WithObserver(ev.observe), WithStopTimeout(time.Second))
	mustRegister(t, l, Module{Name: "config", Factory: Func(func(ctx context.Context, h *Handle) (*inst, error) {
		if h.Generation() == 1 {
			first.Store(h)
			h.Go(func(ctx context.Context) {
				// The file changed: this goroutine asks, and returns; the
				// reload joins it.
				if err := h.RequestReload(); err != nil {
					h.Fail(err)
				}
			})
		}
		return &inst{}, nil
	}, nil)})
	mustStart(t, l)
	stopAtEnd(t, l)
	ev.wait(t, Reloaded, 1)
	if st := l.Modules()[0]; st.State != StateRunning || st.Generation != 2 {
		t.Errorf("status = %+v", st)
	}
	if got := ev.of(StopTimeout); len(got) != 0 {
		t.Errorf("the reload waited for the goroutine that asked for it: %v", got[0].Err)
	}
	if err := first.Load().RequestReload(); err == nil || err.Error() != "request reload of module config: generation 1 is not the module's running generation (it is loading, or unloaded)" {
		t.Errorf("request from an old generation = %v", err)
	}
}

func TestRequestsAreMergedIntoOneTransaction(t *testing.T) {
	t.Parallel()
	j := &journal{}
	ev := &events{}
	hold := make(chan struct{})
	holding := make(chan struct{})
	var held atomic.Bool
	l := New(WithObserver(ev.observe))
	mustRegister(t, l,
		Module{Name: "store", Factory: logged(j, "store")},
		Module{Name: "a", Deps: []string{"store"}, Factory: logged(j, "a")},
		Module{Name: "b", Deps: []string{"store"}, Factory: logged(j, "b")},
		Module{Name: "web", Deps: []string{"a", "b"}, Factory: logged(j, "web")},
		Module{Name: "slow", Factory: Func(func(ctx context.Context, h *Handle) (*inst, error) {
			if h.Generation() == 2 && held.CompareAndSwap(false, true) {
				close(holding)
				<-hold // keeps the loader busy while requests come
			}
			return &inst{}, nil
		}, nil)},
	)
	mustStart(t, l)
	stopAtEnd(t, l)
	reloaded := make(chan error, 1)
	go func() {
		_, err := l.Reload(context.Background(), "slow")
		reloaded <- err
	}()
	<-holding
	j.take()
	for range 10 {
		for _, name := range []string{"b", "a", "web"} {
			if err := l.RequestReload(name); err != nil {
				t.Fatal(err)
			}
		}
	}
	close(hold)
	if err := <-reloaded; err != nil {
		t.Fatal(err)
	}
	got := ev.wait(t, Reloaded, 2)[1]
	if strings.Join(got.Modules, ",") != "a,b,web" {
		t.Errorf("merged reload = %+v", got)
	}
	equalLines(t, "journal", j.take(), []string{"unload web", "unload b", "unload a", "load a", "load b", "load web"})
	if err := l.RequestReload("stor", "nope"); err == nil || err.Error() != "request reload: unknown module stor (did you mean store?)\nunknown module nope" {
		t.Errorf("unknown modules = %v", err)
	}
	if err := New().RequestReload("x"); err == nil {
		t.Error("request before Start succeeded")
	}
	if err := l.RequestReload(); err == nil || err.Error() != "request reload: no module named" {
		t.Errorf("no names = %v", err)
	}
}

// diamond registers store <- a, b <- web.
func diamond(t *testing.T, l *Loader, j *journal, a, b Factory) {
	mustRegister(t, l,
		Module{Name: "store", Factory: logged(j, "store")},
		Module{Name: "a", Deps: []string{"store"}, Factory: a},
		Module{Name: "b", Deps: []string{"store"}, Factory: b},
		Module{Name: "web", Deps: []string{"a", "b"}, Factory: logged(j, "web")},
	)
}

func TestReloadOfASetUnloadsAndLoadsEachModuleOnce(t *testing.T) {
	t.Parallel()
	j := &journal{}
	l := New()
	diamond(t, l, j, logged(j, "a"), logged(j, "b"))
	mustStart(t, l)
	stopAtEnd(t, l)
	j.take()
	rep, err := l.Reload(context.Background(), "b", "a")
	if err != nil {
		t.Fatal(err)
	}
	equalLines(t, "journal", j.take(), []string{"unload web", "unload b", "unload a", "load a", "load b", "load web"})
	if strings.Join(rep.Requested, ",") != "b,a" || strings.Join(rep.Modules, ",") != "a,b,web" {
		t.Errorf("report = %+v", rep)
	}
	if g := generations(l); g["store"] != 1 || g["a"] != 2 || g["b"] != 2 || g["web"] != 2 {
		t.Errorf("generations = %v", g)
	}
}

func TestReplaceAllRollsBackAsAWhole(t *testing.T) {
	t.Parallel()
	j := &journal{}
	ev := &events{}
	l := New(WithObserver(ev.observe))
	diamond(t, l, j, logged(j, "a v1"), logged(j, "b v1"))
	mustStart(t, l)
	stopAtEnd(t, l)
	j.take()
	broken := Func(func(ctx context.Context, h *Handle) (*inst, error) {
		j.add("load b v2")
		return nil, errors.New("bad plugin")
	}, nil)
	rep, err := l.ReplaceAll(context.Background(), map[string]Factory{"a": logged(j, "a v2"), "b": broken})
	want := "replace a, b: rolled back: load module b (generation 2): bad plugin"
	if err == nil || err.Error() != want {
		t.Fatalf("got %v\nwant %s", err, want)
	}
	// a's new code loaded, then went back with the rest: one transaction.
	equalLines(t, "journal", j.take(), []string{
		"unload web", "unload b v1", "unload a v1",
		"load a v2", "load b v2", "unload a v2",
		"load a v1", "load b v1", "load web",
	})
	if !rep.RolledBack || rep.String() != "reloaded 3 modules: a, b, web in "+roundDuration(rep.Duration).String()+" (rolled back to the previous code)" {
		t.Errorf("report = %s", rep)
	}
	if got := ev.of(RolledBack); len(got) != 1 || strings.Join(got[0].Modules, ",") != "a,b,web" {
		t.Errorf("rolled back events = %+v", got)
	}
	if _, err := l.ReplaceAll(context.Background(), nil); err == nil {
		t.Error("ReplaceAll of nothing succeeded")
	}
	if _, err := l.Replace(context.Background(), "a", Factory{}); err == nil || err.Error() != "replace a: the factory is not usable (build one with loader.Func)" {
		t.Errorf("Replace with the zero Factory = %v", err)
	}
}
