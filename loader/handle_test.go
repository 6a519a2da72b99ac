package loader

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"runtime/pprof"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// spinUntil blocks, ignoring its context, until release is closed.
func spinUntil(release <-chan struct{}) {
	<-release
}

func TestGoroutineIgnoringCancellationIsReported(t *testing.T) {
	t.Parallel()
	release := make(chan struct{})
	ev := &events{}
	l := New(WithObserver(ev.observe), WithStopTimeout(50*time.Millisecond))
	mustRegister(t, l,
		Module{Name: "store", Factory: plain()},
		Module{Name: "poller", Deps: []string{"store"}, Factory: Func(func(ctx context.Context, h *Handle) (*inst, error) {
			h.Go(func(ctx context.Context) { <-ctx.Done() }) // ok: returns on cancel
			h.Go(func(ctx context.Context) { spinUntil(release) })
			return &inst{}, nil
		}, nil)},
	)
	mustStart(t, l)
	begin := time.Now()
	_, err := l.Reload(context.Background(), "poller")
	if took := time.Since(begin); took > 5*time.Second {
		t.Errorf("reload took %v with a 50ms stop timeout", took)
	}
	var terr *StopTimeoutError
	if !errors.As(err, &terr) {
		t.Fatalf("got %v, want a *StopTimeoutError", err)
	}
	msg := err.Error()
	for _, want := range []string{
		"unload module poller (generation 1): module poller (generation 1) did not stop within 50ms: 1 goroutine still running",
		"1 goroutine of module poller (generation 1):",
		"loader.spinUntil ",
		"handle_test.go:",
		"load module poller: module poller is stuck: generation 1 still has 1 goroutine running; refusing to load a new generation beside it (WithStuckPolicy(StuckWarn) would allow it)",
	} {
		if !strings.Contains(msg, want) {
			t.Errorf("error lacks %q:\n%s", want, msg)
		}
	}
	if len(ev.of(StopTimeout)) != 1 {
		t.Errorf("want one stop timeout event, got %+v", ev.of(StopTimeout))
	}
	st := l.Modules()[1]
	if st.State != StateStuck || st.Stuck != 1 {
		t.Errorf("status = %+v, want stuck at generation 1", st)
	}
	// Once the goroutine returns, the module can load again.
	close(release)
	waitFor(t, "the stuck goroutine to return", func() bool {
		gs, err := l.Goroutines("poller")
		return err == nil && len(gs) == 0
	})
	if _, err := l.Reload(context.Background(), "poller"); err != nil {
		t.Fatal(err)
	}
	if st := l.Modules()[1]; st.State != StateRunning || st.Stuck != 0 {
		t.Errorf("status = %+v, want running", st)
	}
	if len(ev.of(Unstuck)) != 1 {
		t.Errorf("want one unstuck event")
	}
	if err := l.Stop(context.Background()); err != nil {
		t.Fatal(err)
	}
}

func TestStuckPolicyWarnLoadsBeside(t *testing.T) {
	t.Parallel()
	release := make(chan struct{})
	defer close(release)
	ev := &events{}
	l := New(WithObserver(ev.observe), WithStuckPolicy(StuckWarn))
	mustRegister(t, l, Module{Name: "poller", StopTimeout: 20 * time.Millisecond, Factory: Func(func(ctx context.Context, h *Handle) (*inst, error) {
		if h.Generation() == 1 {
			h.Go(func(ctx context.Context) { spinUntil(release) })
		}
		return &inst{}, nil
	}, nil)})
	mustStart(t, l)
	stopAtEnd(t, l)
	_, err := l.Reload(context.Background(), "poller")
	if err == nil || !strings.Contains(err.Error(), "did not stop within 20ms") {
		t.Fatalf("got %v", err)
	}
	st := l.Modules()[0]
	if st.State != StateRunning || st.Generation != 2 || st.Stuck != 1 {
		t.Errorf("status = %+v, want generation 2 running beside stuck generation 1", st)
	}
	if len(ev.of(LoadedBesideStuck)) != 1 {
		t.Errorf("want one loaded beside stuck event")
	}
}

func TestPlainGoInsideAHandleGoroutineIsJoinedByLabel(t *testing.T) {
	t.Parallel()
	release := make(chan struct{})
	var exited atomic.Bool
	l := New(WithStopTimeout(100 * time.Millisecond))
	mustRegister(t, l, Module{Name: "worker", Factory: Func(func(ctx context.Context, h *Handle) (*inst, error) {
		h.Go(func(ctx context.Context) {
			go func() { // a child the handle does not count, found by its labels
				<-ctx.Done()
				spinUntil(release)
				exited.Store(true)
			}()
			<-ctx.Done()
		})
		return &inst{}, nil
	}, nil)})
	mustStart(t, l)
	// The child outlives the deadline: reported, with its stack.
	err := l.Stop(context.Background())
	if err == nil || !strings.Contains(err.Error(), "did not stop within 100ms: 1 goroutine still running") || !strings.Contains(err.Error(), "loader.spinUntil") {
		t.Fatalf("got %v", err)
	}
	close(release)

	// A child that finishes a little after its parent is waited for.
	l = New(WithStopTimeout(5 * time.Second))
	mustRegister(t, l, Module{Name: "worker", Factory: Func(func(ctx context.Context, h *Handle) (*inst, error) {
		h.Go(func(ctx context.Context) {
			go func() {
				<-ctx.Done()
				time.Sleep(30 * time.Millisecond)
				exited.Store(true)
			}()
			<-ctx.Done()
		})
		return &inst{}, nil
	}, nil)})
	mustStart(t, l)
	exited.Store(false)
	if err := l.Stop(context.Background()); err != nil {
		t.Fatal(err)
	}
	if !exited.Load() {
		t.Error("Stop returned before the child goroutine")
	}
}

func TestPanicIsTheModulesFailure(t *testing.T) {
	t.Parallel()
	ev := &events{}
	var buf syncBuffer
	// No restarts: the failed generation stays loaded, and says it failed.
	l := New(WithObserver(ev.observe), WithLogger(slog.New(slog.NewTextHandler(&buf, nil))), WithRestartPolicy(RestartPolicy{}))
	panicked := make(chan struct{})
	mustRegister(t, l, Module{Name: "parser", Factory: Func(func(ctx context.Context, h *Handle) (*inst, error) {
		h.Go(func(ctx context.Context) {
			defer close(panicked)
			var m map[string]int
			m["boom"]++ //nolint:staticcheck // SA5000 on purpose: the module's goroutine must panic
		})
		return &inst{}, nil
	}, nil)})
	mustStart(t, l)
	<-panicked
	waitFor(t, "the failure to be reported", func() bool { return len(ev.of(Failed)) == 1 })
	var pe *PanicError
	if !errors.As(ev.of(Failed)[0].Err, &pe) || pe.Module != "parser" || pe.Generation != 1 || !strings.Contains(pe.Error(), "assignment to entry in nil map") {
		t.Fatalf("failure = %v", ev.of(Failed)[0].Err)
	}
	if !strings.Contains(string(pe.Stack), "handle_test.go") {
		t.Errorf("stack does not show where it panicked:\n%s", pe.Stack)
	}
	st := l.Modules()[0]
	if st.Failures != 1 || st.State != StateFailed || !st.Loaded || st.Generation != 1 || !errors.As(st.LastError, &pe) || !st.RestartAt.IsZero() {
		t.Errorf("status = %+v, want failed, still loaded, no restart", st)
	}
	if len(ev.of(RestartScheduled)) != 0 {
		t.Errorf("a restart was scheduled with restarts off")
	}
	if err := l.Stop(context.Background()); err != nil {
		t.Fatalf("the panicked goroutine was not accounted for: %v", err)
	}
	if log := buf.String(); !strings.Contains(log, `level=ERROR msg=failed module=parser generation=1 error="module parser (generation 1): goroutine panicked: assignment to entry in nil map" stack=`) {
		t.Errorf("log lacks the failure:\n%s", log)
	}
}

func TestPanicInLoadAndUnload(t *testing.T) {
	t.Parallel()
	l := New()
	mustRegister(t, l, Module{Name: "bad", Factory: Func(func(ctx context.Context, h *Handle) (*inst, error) {
		panic("no config")
	}, nil)})
	err := l.Start(context.Background())
	if err == nil || err.Error() != "start: load module bad (generation 1): load panicked: no config" {
		t.Errorf("got %v", err)
	}
	l = New()
	mustRegister(t, l, Module{Name: "bad", Factory: Func(func(ctx context.Context, h *Handle) (*inst, error) {
		return &inst{}, nil
	}, func(ctx context.Context, i *inst) error { panic("double close") })})
	mustStart(t, l)
	err = l.Stop(context.Background())
	if err == nil || err.Error() != "stop: unload module bad (generation 1): unload panicked: double close" {
		t.Errorf("got %v", err)
	}
}

func TestHandleGoroutinesCarryLabels(t *testing.T) {
	t.Parallel()
	type seen struct{ module, gen, loader string }
	got := make(chan seen, 2)
	hold := make(chan struct{})
	l := New()
	mustRegister(t, l, Module{Name: "labelled", Factory: Func(func(ctx context.Context, h *Handle) (*inst, error) {
		if v, _ := pprof.Label(h.Context(), LabelModule); v != "labelled" {
			t.Errorf("Context() label module = %q", v)
		}
		h.Go(func(ctx context.Context) {
			m, _ := pprof.Label(ctx, LabelModule)
			g, _ := pprof.Label(ctx, LabelGeneration)
			id, _ := pprof.Label(ctx, LabelLoader)
			got <- seen{m, g, id}
			<-hold
		})
		return &inst{}, nil
	}, nil)})
	mustStart(t, l)
	s := <-got
	if s.module != "labelled" || s.gen != "1" || s.loader != l.id {
		t.Errorf("labels = %+v", s)
	}
	gs, err := l.Goroutines("labelled")
	if err != nil {
		t.Fatal(err)
	}
	if len(gs) != 1 || gs[0].Count != 1 || gs[0].Generation() != 1 || !strings.Contains(strings.Join(gs[0].Stack, "\n"), "TestHandleGoroutinesCarryLabels") {
		t.Errorf("Goroutines = %+v", gs)
	}
	close(hold)
	if err := l.Stop(context.Background()); err != nil {
		t.Fatal(err)
	}
}

func TestAfterFunc(t *testing.T) {
	t.Parallel()
	j := &journal{}
	fired := make(chan string, 3)
	l := New()
	mustRegister(t, l, Module{Name: "timers", Factory: Func(func(ctx context.Context, h *Handle) (*inst, error) {
		h.AfterFunc(time.Millisecond, func(ctx context.Context) {
			m, _ := pprof.Label(ctx, LabelModule)
			fired <- "soon " + m
		})
		stop := h.AfterFunc(time.Millisecond, func(ctx context.Context) { fired <- "stopped" })
		if !stop() {
			t.Error("stop of a pending AfterFunc reported false")
		}
		h.AfterFunc(time.Hour, func(ctx context.Context) { j.add("late timer fired") })
		return &inst{}, nil
	}, nil)})
	mustStart(t, l)
	if got := <-fired; got != "soon timers" {
		t.Errorf("AfterFunc ran %q", got)
	}
	if err := l.Stop(context.Background()); err != nil {
		t.Fatal(err)
	}
	select {
	case got := <-fired:
		t.Errorf("a stopped AfterFunc ran: %s", got)
	default:
	}
	if got := j.take(); len(got) != 0 {
		t.Errorf("%v", got)
	}
}

func TestOnUnloadRunsLastInFirstOut(t *testing.T) {
	t.Parallel()
	j := &journal{}
	var saved *Handle
	l := New()
	mustRegister(t, l, Module{Name: "hooks", Factory: Func(func(ctx context.Context, h *Handle) (*inst, error) {
		saved = h
		h.OnUnload(func(ctx context.Context) error { j.add("remove route"); return nil })
		h.OnUnload(func(ctx context.Context) error {
			j.add("unsubscribe")
			h.OnUnload(func(ctx context.Context) error { j.add("registered during unload"); return nil })
			return nil
		})
		return &inst{}, nil
	}, func(ctx context.Context, i *inst) error {
		if ctx.Err() != nil {
			t.Error("unload got a done context")
		}
		j.add("unload")
		return nil
	})})
	mustStart(t, l)
	if err := l.Stop(context.Background()); err != nil {
		t.Fatal(err)
	}
	equalLines(t, "journal", j.take(), []string{"unload", "unsubscribe", "registered during unload", "remove route"})
	if saved.Context().Err() == nil {
		t.Error("the handle's context is not cancelled after unload")
	}
	// After unload: cleanups run at once, Go does nothing.
	saved.OnUnload(func(ctx context.Context) error { j.add("late cleanup"); return nil })
	saved.Go(func(ctx context.Context) { j.add("late goroutine") })
	equalLines(t, "journal", j.take(), []string{"late cleanup"})
	if _, err := Dep[*inst](saved, "x"); err == nil || err.Error() != "module hooks does not depend on x (declared: none)" {
		t.Errorf("Dep = %v", err)
	}
}

func TestLeftoverReference(t *testing.T) {
	t.Parallel()
	ev := &events{}
	var holder struct {
		mu   sync.Mutex
		kept *inst
	}
	l := New(WithObserver(ev.observe))
	mustRegister(t, l,
		Module{Name: "cache", Factory: Func(func(ctx context.Context, h *Handle) (*inst, error) {
			i := &inst{name: "cache"}
			if h.Generation() == 1 {
				holder.mu.Lock()
				holder.kept = i // something outside the module keeps the old instance
				holder.mu.Unlock()
			}
			return i, nil
		}, nil)},
		Module{Name: "clean", Deps: []string{"cache"}, Factory: plain()},
	)
	mustStart(t, l)
	stopAtEnd(t, l)
	ctx := context.Background()
	if _, err := l.Reload(ctx, "cache"); err != nil {
		t.Fatal(err)
	}
	// The check runs after the reload, off its path: wait for it.
	if err := l.WaitChecks(ctx); err != nil {
		t.Fatal(err)
	}
	got := ev.of(Leaked)
	if len(got) != 1 || got[0].Module != "cache" || got[0].Generation != 1 || got[0].Err.Error() != "module cache (generation 1) is still reachable after unload: something still holds the old generation's instance" {
		t.Fatalf("leaked events = %+v", got)
	}
	holder.mu.Lock()
	holder.kept = nil
	holder.mu.Unlock()
	if _, err := l.Reload(ctx, "cache"); err != nil {
		t.Fatal(err)
	}
	if err := l.WaitChecks(ctx); err != nil {
		t.Fatal(err)
	}
	// Generation 1 is gone now, and 2 was not kept.
	if got := ev.of(Leaked); len(got) != 1 {
		t.Errorf("second reload: leaked events %+v", got)
	}
}

func TestCleanupsDoNotKeepDependenciesReachable(t *testing.T) {
	t.Parallel()
	var slot atomic.Pointer[inst]
	ev := &events{}
	l := New(WithObserver(ev.observe))
	mustRegister(t, l,
		Module{Name: "greeter", Factory: plain()},
		Module{Name: "web", Deps: []string{"greeter"}, Factory: Func(func(ctx context.Context, h *Handle) (*inst, error) {
			g, err := Dep[*inst](h, "greeter")
			if err != nil {
				return nil, err
			}
			slot.Store(g)
			h.OnUnload(func(ctx context.Context) error {
				slot.CompareAndSwap(g, nil) // the cleanup holds the dependency
				return nil
			})
			return &inst{}, nil
		}, nil)},
	)
	mustStart(t, l)
	stopAtEnd(t, l)
	if _, err := l.Reload(context.Background(), "greeter"); err != nil {
		t.Fatal(err)
	}
	if err := l.WaitChecks(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got := ev.of(Leaked); len(got) != 0 {
		t.Errorf("leaked: %v", got[0].Err)
	}
}

func TestEventsAreLogged(t *testing.T) {
	t.Parallel()
	var buf syncBuffer
	l := New(WithLogger(slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{
		ReplaceAttr: func(groups []string, a slog.Attr) slog.Attr {
			if a.Key == slog.TimeKey || a.Key == "duration" {
				return slog.Attr{}
			}
			return a
		},
	}))))
	j := &journal{}
	layered(t, l, j)
	mustStart(t, l)
	if _, err := l.Replace(context.Background(), "greeter", greeterCode("howdy", j)); err != nil {
		t.Fatal(err)
	}
	if err := l.Stop(context.Background()); err != nil {
		t.Fatal(err)
	}
	want := `level=INFO msg=loaded module=store generation=1
level=INFO msg=loaded module=greeter generation=1 version=hello
level=INFO msg=loaded module=api generation=1
level=INFO msg=loaded module=router generation=1
level=INFO msg=started modules="[store greeter api router]"
level=INFO msg=unloaded module=router generation=1
level=INFO msg=unloaded module=api generation=1
level=INFO msg=unloaded module=greeter generation=1 version=hello
level=INFO msg=loaded module=greeter generation=2 version=howdy
level=INFO msg=loaded module=api generation=2
level=INFO msg=loaded module=router generation=2
level=INFO msg=reloaded module=greeter modules="[greeter api router]"
level=INFO msg=unloaded module=router generation=2
level=INFO msg=unloaded module=api generation=2
level=INFO msg=unloaded module=greeter generation=2 version=howdy
level=INFO msg=unloaded module=store generation=1
level=INFO msg=stopped modules="[router api greeter store]"
`
	if got := buf.String(); got != want {
		t.Errorf("log:\n%s\nwant:\n%s", got, want)
	}
}

func TestWriteDOT(t *testing.T) {
	t.Parallel()
	j := &journal{}
	l := New(WithLayers([][]string{{"store"}, {"greeter"}, {"api"}, {"router"}}))
	layered(t, l, j)
	mustStart(t, l)
	stopAtEnd(t, l)
	var b bytes.Buffer
	if err := l.WriteDOT(&b); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"digraph modules {",
		`"greeter" [label="greeter\ngeneration 1\nrunning\nhello", fillcolor="palegreen"];`,
		"subgraph cluster_layer2 {",
		`"api" -> "greeter";`,
	} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("DOT lacks %s:\n%s", want, b.String())
		}
	}
}

// syncBuffer is a bytes.Buffer safe for the concurrent writes of a logger.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
