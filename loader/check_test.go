package loader

import (
	"context"
	"errors"
	"runtime"
	"strings"
	"testing"
	"time"
)

func TestAReloadReadsNoGoroutineProfile(t *testing.T) {
	t.Parallel()
	worker := Func(func(ctx context.Context, h *Handle) (*inst, error) {
		h.Go(func(ctx context.Context) { <-ctx.Done() })
		return &inst{}, nil
	}, nil)
	l := New(WithCheckDelay(time.Hour)) // keep the checks off for the count
	mustRegister(t, l, Module{Name: "a", Factory: worker}, Module{Name: "b", Deps: []string{"a"}, Factory: worker})
	mustStart(t, l)
	stopAtEnd(t, l)
	before := l.profileReads.Load()
	for range 20 {
		if _, err := l.Reload(context.Background(), "a"); err != nil {
			t.Fatal(err)
		}
	}
	if n := l.profileReads.Load() - before; n != 0 {
		t.Errorf("20 reloads read the goroutine profile %d times: the handle's count is enough when nothing is late", n)
	}
	// The checks that follow read it for the 20 reloads together: once,
	// and again while a joined goroutine is still on its way out.
	if err := l.WaitChecks(context.Background()); err != nil {
		t.Fatal(err)
	}
	if n := l.profileReads.Load() - before; n < 1 || n > 5 {
		t.Errorf("the checks of 20 reloads read the profile %d times, want 1 to 5", n)
	}
}

func TestAPendingAfterFuncKeepsNothingReachable(t *testing.T) {
	t.Parallel()
	ev := &events{}
	fired := make(chan struct{}, 1)
	l := New(WithObserver(ev.observe))
	mustRegister(t, l, Module{Name: "timers", Factory: Func(func(ctx context.Context, h *Handle) (*inst, error) {
		i := &inst{name: "timers"}
		h.AfterFunc(time.Hour, func(ctx context.Context) { // the callback holds the instance
			i.gen++
			fired <- struct{}{}
		})
		return i, nil
	}, nil)})
	mustStart(t, l)
	stopAtEnd(t, l)
	for range 5 {
		if _, err := l.Reload(context.Background(), "timers"); err != nil {
			t.Fatal(err)
		}
	}
	if err := l.WaitChecks(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got := ev.of(Leaked); len(got) != 0 {
		t.Errorf("a pending timer kept an unloaded instance: %v", got[0].Err)
	}
	select {
	case <-fired:
		t.Error("a stopped timer fired")
	default:
	}
}

// holder keeps an instance past its unload, as a leaking module would.
type holder struct {
	kept chan *inst
}

func leaky(hold *holder) Factory {
	return Func(func(ctx context.Context, h *Handle) (*inst, error) {
		i := &inst{name: "cache", gen: h.Generation()}
		if h.Generation() == 1 {
			hold.kept <- i
		}
		return i, nil
	}, nil)
}

func TestTheReferenceCheckReportsAfterTheReload(t *testing.T) {
	t.Parallel()
	t.Run("after the delay", func(t *testing.T) {
		t.Parallel()
		hold := &holder{kept: make(chan *inst, 1)}
		ev := &events{}
		l := New(WithObserver(ev.observe), WithCheckDelay(20*time.Millisecond))
		mustRegister(t, l, Module{Name: "cache", Factory: leaky(hold)})
		mustStart(t, l)
		stopAtEnd(t, l)
		if _, err := l.Reload(context.Background(), "cache"); err != nil {
			t.Fatal(err)
		}
		got := ev.wait(t, Leaked, 1) // no WaitChecks: the delay runs out
		if got[0].Generation != 1 {
			t.Errorf("leaked = %+v", got)
		}
	})
	t.Run("after the next collection", func(t *testing.T) {
		t.Parallel()
		hold := &holder{kept: make(chan *inst, 1)}
		ev := &events{}
		l := New(WithObserver(ev.observe), WithCheckDelay(time.Hour))
		mustRegister(t, l, Module{Name: "cache", Factory: leaky(hold)})
		mustStart(t, l)
		stopAtEnd(t, l)
		if _, err := l.Reload(context.Background(), "cache"); err != nil {
			t.Fatal(err)
		}
		// A collection the program runs (here, forced by the test) is the
		// one the check waits for: it forces none of its own.
		done := make(chan struct{})
		go func() {
			defer close(done)
			for len(ev.of(Leaked)) == 0 {
				runtime.GC()
			}
		}()
		ev.wait(t, Leaked, 1)
		<-done
	})
}

func TestPlainGoChildrenOfAReloadedGenerationAreCheckedAfterTheReload(t *testing.T) {
	t.Parallel()
	release := make(chan struct{})
	ev := &events{}
	l := New(WithObserver(ev.observe), WithStopTimeout(50*time.Millisecond))
	mustRegister(t, l, Module{Name: "worker", Factory: Func(func(ctx context.Context, h *Handle) (*inst, error) {
		if h.Generation() == 1 {
			h.Go(func(ctx context.Context) {
				go spinUntil(release) // a child the handle does not count
			})
		}
		return &inst{}, nil
	}, nil)})
	mustStart(t, l)
	stopAtEnd(t, l)
	t.Cleanup(func() { close(release) })
	// The reload joins what the handle counted, and does not wait for
	// the child.
	if _, err := l.Reload(context.Background(), "worker"); err != nil {
		t.Fatal(err)
	}
	if err := l.WaitChecks(context.Background()); err != nil {
		t.Fatal(err)
	}
	got := ev.of(StopTimeout)
	if len(got) != 1 || got[0].Generation != 1 || !strings.Contains(got[0].Err.Error(), "did not stop within 50ms: 1 goroutine still running") || !strings.Contains(got[0].Err.Error(), "loader.spinUntil") {
		t.Fatalf("stop timeout events = %+v", got)
	}
	if st := l.Modules()[0]; st.State != StateRunning || st.Generation != 2 || st.Stuck != 1 {
		t.Errorf("status = %+v, want generation 2 running and generation 1 stuck", st)
	}
}

// blockForEver blocks on a channel nothing else can reach.
func blockForEver() {
	ch := make(chan struct{})
	<-ch
}

// TestStopTimeoutTellsBlockedForEverFromRunning runs in both builds: with
// GOEXPERIMENT=goroutineleakprofile (and from Go 1.27) the report tells
// the goroutine blocked for ever from the one still waiting for something
// that can come; without, it cannot and says so by not claiming it.
func TestStopTimeoutTellsBlockedForEverFromRunning(t *testing.T) {
	t.Parallel()
	release := make(chan struct{})
	t.Cleanup(func() { close(release) })
	l := New(WithStopTimeout(50 * time.Millisecond))
	mustRegister(t, l, Module{Name: "poller", Factory: Func(func(ctx context.Context, h *Handle) (*inst, error) {
		h.Go(func(ctx context.Context) { blockForEver() })
		h.Go(func(ctx context.Context) { spinUntil(release) })
		return &inst{}, nil
	}, nil)})
	mustStart(t, l)
	err := l.Stop(context.Background())
	var terr *StopTimeoutError
	if !errors.As(err, &terr) {
		t.Fatalf("got %v", err)
	}
	if terr.Classified != hasLeakProfile() {
		t.Errorf("classified = %v, but the runtime has a leak profile: %v", terr.Classified, hasLeakProfile())
	}
	msg := terr.Error()
	if !terr.Classified {
		if !strings.Contains(msg, "did not stop within 50ms: 2 goroutines still running") || strings.Contains(msg, "blocked for ever") {
			t.Errorf("without the leak profile:\n%s", msg)
		}
		return
	}
	for _, want := range []string{
		"did not stop within 50ms: 1 goroutine blocked for ever, 1 still running",
		"1 goroutine of module poller (generation 1), blocked for ever:\n\tgithub.com/reloadvet/reloadvet/loader.blockForEver",
		"1 goroutine of module poller (generation 1):\n\tgithub.com/reloadvet/reloadvet/loader.spinUntil",
	} {
		if !strings.Contains(msg, want) {
			t.Errorf("report lacks %q:\n%s", want, msg)
		}
	}
}
