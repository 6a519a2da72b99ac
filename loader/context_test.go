package loader

import (
	"context"
	"errors"
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
