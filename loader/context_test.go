package loader

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"
)

func TestStopDeadlineShortensStopTimeouts(t *testing.T) {
	t.Parallel()
	release := make(chan struct{})
	defer close(release)
	l := New(WithStopTimeout(time.Minute))
	mustRegister(t, l, Module{Name: "stubborn", Factory: Func(func(ctx context.Context, h *Handle) (*inst, error) {
		h.Go(func(ctx context.Context) { spinUntil(release) })
		return &inst{}, nil
	}, nil)})
	mustStart(t, l)
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	begin := time.Now()
	err := l.Stop(ctx)
	if took := time.Since(begin); took > 10*time.Second {
		t.Errorf("Stop took %v with a 200ms deadline", took)
	}
	// The module gets the deadline less the quarter Stop keeps to report.
	var terr *StopTimeoutError
	if !errors.As(err, &terr) || terr.Timeout > 150*time.Millisecond || terr.Timeout < 100*time.Millisecond {
		t.Fatalf("got %v, want a stop timeout of about 150ms", err)
	}
}

func TestStopIgnoresCancellation(t *testing.T) {
	t.Parallel()
	j := &journal{}
	l := New()
	mustRegister(t, l, Module{Name: "slow", Factory: Func(func(ctx context.Context, h *Handle) (*inst, error) {
		h.Go(func(ctx context.Context) {
			<-ctx.Done()
			time.Sleep(20 * time.Millisecond) // flushing: needs a little time
			j.add("flushed")
		})
		return &inst{}, nil
	}, nil)})
	mustStart(t, l)
	ctx, cancel := context.WithCancel(context.Background())
	cancel() // as signal.NotifyContext's is, once the signal came
	if err := l.Stop(ctx); err != nil {
		t.Fatal(err)
	}
	equalLines(t, "journal", j.take(), []string{"flushed"})
}

func TestLoadThatOutlivesItsContext(t *testing.T) {
	t.Parallel()
	release := make(chan struct{})
	j := &journal{}
	l := New(WithStopTimeout(time.Minute))
	mustRegister(t, l, Module{Name: "dialer", Factory: Func(func(ctx context.Context, h *Handle) (*inst, error) {
		<-release // ignores ctx
		j.add("connected")
		return &inst{}, nil
	}, func(ctx context.Context, i *inst) error {
		j.add("closed")
		return nil
	})})
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Millisecond)
	defer cancel()
	begin := time.Now()
	err := l.Start(ctx)
	if took := time.Since(begin); took > 10*time.Second {
		t.Errorf("Start took %v with a 30ms deadline", took)
	}
	if want := "start: load module dialer (generation 1): load did not return: context deadline exceeded"; err == nil || err.Error() != want {
		t.Errorf("got %v\nwant %s", err, want)
	}
	// The load finishes later: what it built is unloaded, by its own
	// goroutine, and the module is no longer stuck.
	close(release)
	waitFor(t, "the late load to be unloaded", func() bool { return j.len() == 2 })
	equalLines(t, "journal", j.take(), []string{"connected", "closed"})
	waitFor(t, "the load goroutine to return", func() bool {
		gs, err := l.Goroutines("dialer")
		return err == nil && len(gs) == 0
	})
	if err := l.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	if err := l.Stop(context.Background()); err != nil {
		t.Fatal(err)
	}
}

func TestLoadTimeout(t *testing.T) {
	t.Parallel()
	release := make(chan struct{})
	j := &journal{}
	l := New(WithLoadTimeout(50 * time.Millisecond))
	layered(t, l, j)
	mustStart(t, l)
	stopAtEnd(t, l)
	t.Cleanup(func() { close(release) }) // before the Stop
	hung := Func(func(ctx context.Context, h *Handle) (*greeter, error) {
		<-release // ignores ctx, and the caller gave no deadline
		return nil, errors.New("too late")
	}, nil)
	rep, err := l.Replace(context.Background(), "greeter", hung)
	want := "replace greeter: rolled back: load module greeter (generation 2): load did not return within its load timeout (50ms)"
	if err == nil || err.Error() != want {
		t.Fatalf("got %v\nwant %s", err, want)
	}
	var lt *LoadTimeoutError
	if !errors.As(err, &lt) || lt.Module != "greeter" || lt.Generation != 2 || lt.Timeout != 50*time.Millisecond || !rep.RolledBack {
		t.Errorf("error %#v, report %+v", lt, rep)
	}

	// A module's own load timeout wins over the loader's.
	l2 := New(WithLoadTimeout(time.Minute))
	mustRegister(t, l2, Module{Name: "dialer", LoadTimeout: 20 * time.Millisecond, Factory: Func(func(ctx context.Context, h *Handle) (*inst, error) {
		<-ctx.Done() // honours it
		return nil, ctx.Err()
	}, nil)})
	// Abandoned at the timeout, or returned at once after it: either says so.
	err = l2.Start(context.Background())
	if !errors.As(err, &lt) || lt.Timeout != 20*time.Millisecond || (err.Error() != "start: load module dialer (generation 1): its load timeout (20ms) passed: context deadline exceeded" &&
		err.Error() != "start: load module dialer (generation 1): load did not return within its load timeout (20ms)") {
		t.Errorf("start = %v", err)
	}
}

func TestTheLoadContextEndsWhenTheLoadReturns(t *testing.T) {
	t.Parallel()
	var loadCtx, handleCtx context.Context
	l := New()
	mustRegister(t, l, Module{Name: "a", Factory: Func(func(ctx context.Context, h *Handle) (*inst, error) {
		loadCtx, handleCtx = ctx, h.Context()
		return &inst{}, nil
	}, nil)})
	mustStart(t, l)
	if loadCtx.Err() == nil {
		t.Error("the load's context is still live after the load returned: work that outlives the load belongs to the handle")
	}
	if handleCtx.Err() != nil {
		t.Error("the handle's context ended with the load")
	}
	if err := l.Stop(context.Background()); err != nil {
		t.Fatal(err)
	}
	if handleCtx.Err() == nil {
		t.Error("the handle's context outlived the unload")
	}
}

func TestStopReturnsByItsDeadlineWhateverTheModulesDo(t *testing.T) {
	t.Parallel()
	release := make(chan struct{})
	t.Cleanup(func() { close(release) })
	l := New()
	mustRegister(t, l, Module{Name: "stubborn", Factory: Func(func(ctx context.Context, h *Handle) (*inst, error) {
		return &inst{}, nil
	}, func(ctx context.Context, i *inst) error {
		<-release // an unload function that ignores its deadline
		return nil
	})})
	mustStart(t, l)
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	begin := time.Now()
	err := l.Stop(ctx)
	if took := time.Since(begin); took > time.Second {
		t.Errorf("Stop took %v with a 200ms deadline", took)
	}
	// With its stack if Stop had the time to read it, from the handle's
	// count if not.
	var terr *StopTimeoutError
	if !errors.As(err, &terr) || terr.Module != "stubborn" || len(terr.Goroutines) != 1 ||
		(len(terr.Goroutines[0].Stack) > 0 && !strings.Contains(terr.Goroutines[0].String(), "context_test.go")) {
		t.Fatalf("got %v, want the unload function's goroutine reported", err)
	}
	// A second Stop waits for the first, by its own deadline: the first
	// still runs its checks after it returned, which on a loaded machine
	// (CI with -race) took more than 10ms.
	ctx2, cancel2 := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel2()
	if err := l.Stop(ctx2); err != nil {
		t.Errorf("second Stop = %v", err)
	}
}
