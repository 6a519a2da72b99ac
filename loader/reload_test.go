package loader

import (
	"context"
	"errors"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// greeter is the instance of a module whose behaviour changes between
// versions of its code.
type greeter struct {
	greeting string
	_        [2]int64
}

func greeterCode(greeting string, j *journal) Factory {
	return Func(func(ctx context.Context, h *Handle) (*greeter, error) {
		j.add("load greeter %s", greeting)
		return &greeter{greeting: greeting}, nil
	}, func(ctx context.Context, g *greeter) error {
		j.add("unload greeter %s", g.greeting)
		return nil
	}).WithVersion(greeting)
}

// layered registers store <- greeter <- api <- router.
func layered(t *testing.T, l *Loader, j *journal) {
	mustRegister(t, l,
		Module{Name: "store", Factory: logged(j, "store")},
		Module{Name: "greeter", Deps: []string{"store"}, Factory: greeterCode("hello", j)},
		Module{Name: "api", Deps: []string{"greeter"}, Factory: Func(func(ctx context.Context, h *Handle) (*inst, error) {
			g, err := Dep[*greeter](h, "greeter")
			if err != nil {
				return nil, err
			}
			j.add("load api with %s", g.greeting)
			return &inst{name: g.greeting}, nil
		}, func(ctx context.Context, i *inst) error {
			j.add("unload api")
			return nil
		})},
		Module{Name: "router", Deps: []string{"api"}, Factory: logged(j, "router")},
	)
}

func TestReplaceLoadsNewCodeAndKeepsLowerModules(t *testing.T) {
	t.Parallel()
	j := &journal{}
	ev := &events{}
	l := New(WithObserver(ev.observe))
	layered(t, l, j)
	mustStart(t, l)
	stopAtEnd(t, l)
	j.take()

	rep, err := l.Replace(context.Background(), "greeter", greeterCode("howdy", j))
	if err != nil {
		t.Fatal(err)
	}
	equalLines(t, "journal", j.take(), []string{
		"unload router", "unload api", "unload greeter hello",
		"load greeter howdy", "load api with howdy", "load router",
	})
	if ok, _ := regexp.MatchString(`^reloaded 3 modules: greeter, api, router in [0-9.]+[µnm]?s$`, rep.String()); !ok {
		t.Errorf("report = %q", rep)
	}
	if rep.RolledBack || len(rep.Down) != 0 {
		t.Errorf("report = %+v, want no roll back and nothing down", rep)
	}
	st := l.Modules()
	if st[0].Generation != 1 || st[1].Generation != 2 || st[1].Version != "howdy" {
		t.Errorf("status = %+v", st)
	}
	if got := ev.of(Reloaded); len(got) != 1 || strings.Join(got[0].Modules, ",") != "greeter,api,router" {
		t.Errorf("reloaded events = %+v", got)
	}
}

func TestReplaceRollsBackWhenTheNewGenerationFails(t *testing.T) {
	t.Parallel()
	j := &journal{}
	ev := &events{}
	l := New(WithObserver(ev.observe))
	layered(t, l, j)
	mustStart(t, l)
	stopAtEnd(t, l)
	j.take()

	broken := Func(func(ctx context.Context, h *Handle) (*greeter, error) {
		h.Go(func(ctx context.Context) { <-ctx.Done() }) // ok: joined by the failed load
		return nil, errors.New("template parse: unexpected }")
	}, nil)
	rep, err := l.Replace(context.Background(), "greeter", broken)
	want := "replace greeter: rolled back: load module greeter (generation 2): template parse: unexpected }"
	if err == nil || err.Error() != want {
		t.Fatalf("got error %v, want %s", err, want)
	}
	equalLines(t, "journal", j.take(), []string{
		"unload router", "unload api", "unload greeter hello",
		"load greeter hello", "load api with hello", "load router",
	})
	if !rep.RolledBack || strings.Join(rep.Modules, ",") != "greeter,api,router" {
		t.Errorf("report = %+v", rep)
	}
	for _, s := range l.Modules() {
		if s.State != StateRunning {
			t.Errorf("module %s is %s after the roll back", s.Name, s.State)
		}
	}
	if got := ev.of(RolledBack); len(got) != 1 {
		t.Errorf("%d rolled back events, want 1", len(got))
	}
	// The previous code is the current code again.
	if _, err := l.Reload(context.Background(), "greeter"); err != nil {
		t.Fatal(err)
	}
	if got := j.take(); !strings.Contains(strings.Join(got, "\n"), "load greeter hello") {
		t.Errorf("reload after roll back did not load the previous code: %v", got)
	}
}

func TestReplaceRollsBackWhenADependentFails(t *testing.T) {
	t.Parallel()
	j := &journal{}
	l := New()
	layered(t, l, j)
	mustStart(t, l)
	stopAtEnd(t, l)
	j.take()

	// The new greeter loads, but its instance has a type api does not
	// accept: api fails, and the whole set goes back to the old code.
	wrongType := Func(func(ctx context.Context, h *Handle) (*inst, error) {
		j.add("load greeter v2")
		return &inst{}, nil
	}, func(ctx context.Context, i *inst) error {
		j.add("unload greeter v2")
		return nil
	})
	_, err := l.Replace(context.Background(), "greeter", wrongType)
	if err == nil || !strings.Contains(err.Error(), "module api: dependency greeter is a *loader.inst, not a *loader.greeter") {
		t.Fatalf("got %v", err)
	}
	equalLines(t, "journal", j.take(), []string{
		"unload router", "unload api", "unload greeter hello",
		"load greeter v2", "unload greeter v2",
		"load greeter hello", "load api with hello", "load router",
	})
}

func TestReloadThatFailsKeepsWhatLoads(t *testing.T) {
	t.Parallel()
	j := &journal{}
	var fail atomic.Bool
	l := New(WithRestartPolicy(RestartPolicy{})) // no restarts: the test reloads by hand
	mustRegister(t, l,
		Module{Name: "store", Factory: logged(j, "store")},
		Module{Name: "flaky", Deps: []string{"store"}, Factory: unreachable(&fail)},
		Module{Name: "api", Deps: []string{"flaky"}, Factory: logged(j, "api")},
		Module{Name: "metrics", Deps: []string{"store"}, Factory: logged(j, "metrics")},
	)
	mustStart(t, l)
	stopAtEnd(t, l)
	fail.Store(true)
	rep, err := l.Reload(context.Background(), "flaky")
	// The failure is told once; api is down because flaky is, which the
	// list of modules down says.
	want := "reload flaky: 2 modules down (flaky, api): load module flaky (generation 2): config server unreachable"
	if err == nil || err.Error() != want {
		t.Fatalf("got %v\nwant %s", err, want)
	}
	if rep.RolledBack || strings.Join(rep.Down, ",") != "flaky,api" || len(rep.Modules) != 0 {
		t.Errorf("report = %+v", rep)
	}
	states := map[string]Status{}
	for _, s := range l.Modules() {
		states[s.Name] = s
	}
	if states["store"].State != StateRunning || states["metrics"].State != StateRunning || states["flaky"].State != StateFailed || states["api"].State != StateFailed {
		t.Errorf("states = %v", states)
	}
	if got := states["api"].LastError; got == nil || got.Error() != "module api is not loaded: its dependencies are not running: flaky" {
		t.Errorf("api's last error = %v", got)
	}
	// Once the cause is gone, a reload brings the set back.
	fail.Store(false)
	if _, err := l.Reload(context.Background(), "flaky"); err != nil {
		t.Fatal(err)
	}
	for _, s := range l.Modules() {
		if s.State != StateRunning {
			t.Errorf("module %s is %s", s.Name, s.State)
		}
	}
}

func TestConcurrentReloadsAreSerialised(t *testing.T) {
	t.Parallel()
	var active, overlap atomic.Int32
	busy := func(_ string) Factory { // the name only labels the call
		return Func(func(ctx context.Context, h *Handle) (*inst, error) {
			if active.Add(1) > 1 {
				overlap.Add(1)
			}
			time.Sleep(100 * time.Microsecond)
			active.Add(-1)
			h.Go(func(ctx context.Context) { <-ctx.Done() })
			return &inst{}, nil
		}, nil)
	}
	l := New()
	mustRegister(t, l,
		Module{Name: "store", Factory: busy("store")},
		Module{Name: "greeter", Deps: []string{"store"}, Factory: busy("greeter")},
		Module{Name: "api", Deps: []string{"greeter"}, Factory: busy("api")},
		Module{Name: "admin", Deps: []string{"store"}, Factory: busy("admin")},
	)
	mustStart(t, l)
	stopAtEnd(t, l)
	var wg sync.WaitGroup
	names := []string{"store", "greeter", "api", "admin"}
	for i := range 40 {
		wg.Go(func() {
			if _, err := l.Reload(context.Background(), names[i%len(names)]); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if n := overlap.Load(); n != 0 {
		t.Errorf("%d loads overlapped", n)
	}
	total := 0
	for _, s := range l.Modules() {
		if s.State != StateRunning {
			t.Errorf("module %s is %s", s.Name, s.State)
		}
		total += s.Generation
	}
	// store reloads everything (10 times 4), greeter 2 modules, api 1,
	// admin 1, plus the first load of each.
	if want := 4 + 10*4 + 10*2 + 10*1 + 10*1; total != want {
		t.Errorf("generations add up to %d, want %d", total, want)
	}
}

func TestReloadDuringStop(t *testing.T) {
	t.Parallel()
	unloading := make(chan struct{})
	release := make(chan struct{})
	l := New()
	mustRegister(t, l,
		Module{Name: "store", Factory: plain()},
		Module{Name: "api", Deps: []string{"store"}, Factory: Func(func(ctx context.Context, h *Handle) (*inst, error) {
			return &inst{}, nil
		}, func(ctx context.Context, i *inst) error {
			close(unloading)
			<-release
			return nil
		})},
	)
	mustStart(t, l)
	stopped := make(chan error, 1)
	go func() { stopped <- l.Stop(context.Background()) }()
	<-unloading
	// Stop has begun: a reload is refused at once, without waiting for it.
	_, err := l.Reload(context.Background(), "store")
	if !errors.Is(err, ErrStopped) || err.Error() != "reload store: the loader is stopped" {
		t.Fatalf("Reload during Stop = %v", err)
	}
	if err := l.RequestReload("store"); !errors.Is(err, ErrStopped) {
		t.Errorf("RequestReload during Stop = %v", err)
	}
	close(release)
	if err := <-stopped; err != nil {
		t.Fatal(err)
	}
	if _, err := l.Reload(context.Background(), "store"); !errors.Is(err, ErrStopped) {
		t.Fatalf("Reload after Stop = %v", err)
	}
	// An unknown module is named as such, whatever the state.
	if _, err := New().Reload(context.Background(), "x"); err == nil || err.Error() != "reload: unknown module x" {
		t.Errorf("reload of unknown module = %v", err)
	}
}

func TestReloadFromInsideTheModuleIsRefused(t *testing.T) {
	t.Parallel()
	results := make(chan error, 3)
	l := New()
	mustRegister(t, l,
		Module{Name: "store", Factory: plain()},
		Module{Name: "api", Deps: []string{"store"}, Factory: Func(func(ctx context.Context, h *Handle) (*inst, error) {
			if h.Generation() == 1 {
				_, err := l.Reload(ctx, "store") // the load would wait for itself
				results <- err
				h.Go(func(ctx context.Context) {
					_, err := l.Reload(ctx, "store") // store's reload unloads api: it would join this goroutine
					results <- err
					results <- l.Stop(ctx)
				})
			}
			return &inst{}, nil
		}, nil)},
	)
	mustStart(t, l)
	stopAtEnd(t, l)
	want := []string{
		"reload called from the load or unload of module api: it would wait for itself; call it from outside the loader's operations",
		"reload called from a goroutine of module api (generation 1): it would wait for that goroutine to return; start it from outside the module",
		"stop called from a goroutine of module api (generation 1): it would wait for that goroutine to return; start it from outside the module",
	}
	for _, w := range want {
		if err := <-results; err == nil || err.Error() != w {
			t.Errorf("got %v\nwant %s", err, w)
		}
	}
}

func TestReportString(t *testing.T) {
	t.Parallel()
	r := Report{Modules: []string{"service", "api", "router"}, Duration: 4123456 * time.Nanosecond}
	if got, want := r.String(), "reloaded 3 modules: service, api, router in 4.1ms"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	r = Report{Modules: []string{"api"}, Duration: 812 * time.Microsecond, RolledBack: true}
	if got, want := r.String(), "reloaded 1 module: api in 812µs (rolled back to the previous code)"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	r = Report{Modules: []string{"store"}, Down: []string{"flaky", "api"}, Duration: 2 * time.Millisecond}
	if got, want := r.String(), "reloaded 1 module: store in 2ms; 2 modules down: flaky, api"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	r = Report{Down: []string{"flaky"}, Duration: 2 * time.Millisecond}
	if got, want := r.String(), "reloaded no modules in 2ms; 1 module down: flaky"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}
