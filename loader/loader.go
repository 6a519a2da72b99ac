package loader

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"runtime/pprof"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

// Module declares a module to the loader.
type Module struct {
	// Name identifies the module in dependencies, layers, events and
	// goroutine labels.
	Name string
	// Deps names the modules this module uses. They load before it and
	// unload after it, and [Dep] gives access to these only.
	Deps []string
	// Factory is the code of the module's first generation. [Loader.Replace]
	// gives the module new code.
	Factory Factory
	// StopTimeout bounds the module's unload; zero means the loader's
	// default (see [WithStopTimeout]).
	StopTimeout time.Duration
	// LoadTimeout bounds the module's load function; zero means the
	// loader's default (see [WithLoadTimeout]).
	LoadTimeout time.Duration
}

// Loader loads, unloads and reloads a set of modules. Its methods are safe
// for concurrent use; Start, Stop, Reload and Replace run one at a time.
type Loader struct {
	id   string // pprof label value that tells this loader's goroutines apart
	opts options
	sem  chan struct{} // held by the running operation
	// life is cancelled, with cause ErrStopped, when Stop begins: the
	// operation in progress gives up its loads and its waits end by Stop's
	// deadline.
	life    context.Context
	endLife context.CancelCauseFunc

	mu           sync.Mutex // guards the fields below and the entries' mutable fields
	state        lifecycle
	byName       map[string]*entry
	entries      []*entry // registration order
	order        []*entry // load order, once checked
	shut         *shutdown
	stopDeadline time.Time // Stop's deadline, if it has one

	sup supervisor
	chk checker
	// failedLoads counts the cleanups of failed loads. Add is called in
	// operations, which hold sem, and Wait by Stop's shutdown, which holds
	// it too, so that no Add comes during a Wait.
	failedLoads sync.WaitGroup

	profileReads atomic.Int64 // goroutine profiles read, for tests and benchmarks
}

type lifecycle int

const (
	stateIdle lifecycle = iota
	stateStarting
	stateRunning
	stateStopping
	stateStopped
)

// entry is a registered module and what the loader knows of it.
type entry struct {
	name        string
	deps        []string
	index       int
	stopTimeout time.Duration
	loadTimeout time.Duration
	dependents  []*entry
	layer       int
	pos         int // in the load order, once checked

	// Guarded by Loader.mu.
	factory  Factory
	lastGen  int
	cur      *generation // the running generation, or nil
	stuck    *Handle     // a generation that ran and whose goroutines outlived its deadline
	lastErr  error       // why the last load failed, or why the module is not loaded
	failErr  error       // why the running generation failed, or nil
	failures int         // panics, Handle.Fail and late cleanup failures, over all generations
	score    float64     // restart policy: decayed failure count
	lastFail time.Time   // restart policy: when score last grew
	gaveUp   bool        // restart policy: past its limit
	depDown  bool        // not loaded because a dependency is down: lastErr says which
	// stopBegan is when the unload of the running generation began, while
	// it runs.
	stopBegan time.Time
}

// generation is a running generation of a module.
type generation struct {
	h       *Handle
	version string
	inst    instance
}

// New returns a loader with no modules.
func New(opts ...Option) *Loader {
	l := &Loader{sem: make(chan struct{}, 1), byName: map[string]*entry{}, opts: defaultOptions()}
	for _, o := range opts {
		o(&l.opts)
	}
	l.life, l.endLife = context.WithCancelCause(context.Background())
	// Random, not the address: goroutines of a loader may outlive it, and a
	// later loader at the same address must not count them as its own.
	l.id = strconv.FormatUint(rand.Uint64(), 36)
	return l
}

// Register adds modules to the loader, before Start. Problems with the
// modules themselves (no name, a name registered twice, no factory) are
// reported at once, all of them, and then no module is added; problems of
// the graph (unknown dependencies, cycles, layers) are reported by Check and
// Start, once every module is registered.
func (l *Loader) Register(mods ...Module) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.state != stateIdle || l.order != nil {
		return fmt.Errorf("register: the loader has already started: modules are registered before Start")
	}
	if problems := registrationProblems(mods, l.byName); len(problems) > 0 {
		return fmt.Errorf("register: %w", errors.Join(problems...))
	}
	for _, m := range mods {
		e := &entry{
			name:        m.Name,
			deps:        slices.Clone(m.Deps),
			index:       len(l.entries),
			stopTimeout: m.StopTimeout,
			loadTimeout: m.LoadTimeout,
			factory:     m.Factory,
		}
		l.entries = append(l.entries, e)
		l.byName[m.Name] = e
	}
	return nil
}

// Check checks the registered module graph without loading anything: every
// dependency is registered, there is no cycle and, with [WithLayers], every
// dependency points to a strictly lower layer. It returns a *[GraphError]
// listing every problem.
func (l *Loader) Check() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	_, err := l.checkLocked()
	return err
}

func (l *Loader) checkLocked() ([]*entry, error) {
	for _, e := range l.entries {
		e.dependents = nil
	}
	for _, e := range l.entries {
		for _, d := range e.deps {
			if de := l.byName[d]; de != nil {
				de.dependents = append(de.dependents, e)
			}
		}
	}
	order, err := checkGraph(l.entries, l.byName, l.opts.layers)
	for i, e := range order {
		e.pos = i
	}
	return order, err
}

// Start checks the module graph and loads every module in dependency
// order. If a module fails to load, Start unloads, in reverse, the modules
// it loaded and returns every error; Start may then be called again. Each
// load is bounded by its load timeout and by ctx.
func (l *Loader) Start(ctx context.Context) error {
	if err := l.checkOp(ctx, "start"); err != nil {
		return err
	}
	ctx, done := l.bound(ctx)
	defer done()
	if err := l.acquire(ctx); err != nil {
		return fmt.Errorf("start: %w", err)
	}
	defer l.release()
	begin := time.Now()
	l.mu.Lock()
	switch l.state {
	case stateRunning:
		l.mu.Unlock()
		return errors.New("start: the loader is already running")
	case stateStopping, stateStopped:
		l.mu.Unlock()
		return fmt.Errorf("start: %w", ErrStopped)
	}
	order, err := l.checkLocked()
	if err == nil {
		l.order = order
		l.state = stateStarting
	}
	l.mu.Unlock()
	if err != nil {
		return err
	}
	loaded, err := l.loadAll(ctx, order)
	if err != nil {
		st, uerrs := l.unloadAll(context.WithoutCancel(ctx), loaded)
		l.chk.enqueue(l, st)
		l.mu.Lock()
		if l.state == stateStarting {
			l.state = stateIdle
		}
		l.mu.Unlock()
		l.sup.forget(l.entries)
		return fmt.Errorf("start: %w", errors.Join(append([]error{err}, uerrs...)...))
	}
	l.mu.Lock()
	if l.state == stateStarting {
		l.state = stateRunning
	}
	l.mu.Unlock()
	l.emit(Event{Kind: Started, Modules: names(loaded), Duration: time.Since(begin)})
	l.sup.kick(l) // reloads requested during Start
	return nil
}

// onDemand is a goroutine of the loader's own that runs while there is
// work and returns when there is none. Its owner guards it with its mutex.
type onDemand struct {
	busy   bool          // the goroutine runs
	exited chan struct{} // closed when it returns
}

// startLocked starts run unless it runs, and reports whether it started it.
func (g *onDemand) startLocked(run func()) bool {
	if g.busy {
		return false
	}
	g.busy = true
	g.exited = make(chan struct{})
	// The goroutine is joined: run calls exitLocked as it returns, which
	// closes exited, and Stop waits on doneLocked for both users (the
	// supervisor and the check loop).
	go run()
	return true
}

// exitLocked is called by the goroutine as it returns.
func (g *onDemand) exitLocked() {
	g.busy = false
	close(g.exited)
}

// doneLocked returns a channel closed once the goroutine is gone.
func (g *onDemand) doneLocked() <-chan struct{} {
	if !g.busy {
		c := make(chan struct{})
		close(c)
		return c
	}
	return g.exited
}

// shutdown is the work of Stop, which runs in a goroutine of its own so
// that Stop returns by its deadline whatever the modules do.
type shutdown struct {
	done chan struct{}
	mu   sync.Mutex
	errs []error // found so far
	err  error   // the result, set before done is closed
}

func (sd *shutdown) add(errs ...error) {
	sd.mu.Lock()
	sd.errs = append(sd.errs, errs...)
	sd.mu.Unlock()
}

func (sd *shutdown) found() []error {
	sd.mu.Lock()
	defer sd.mu.Unlock()
	return slices.Clone(sd.errs)
}

// Stop unloads every running module in reverse load order. An unload error
// does not stop it: it unloads the rest and returns every error. Each
// module has its stop timeout, and ctx's deadline can shorten it: past it
// the remaining modules get no time to stop (and are reported if they do
// not). Stop keeps a quarter of the time ctx leaves it, at most 250 ms,
// to report. It ignores ctx's cancellation, since shutdown code often holds a
// context that the shutdown signal has already cancelled.
//
// An operation in progress (a Reload, a Replace, a reload the loader runs
// itself) is cut short: its loads are abandoned, it does not roll back,
// and its waits end by Stop's deadline. Operations that come later return
// [ErrStopped]. Stop then waits for the checks that follow the unloads
// (see [Loader.WaitChecks]) and for the cleanups of failed loads, so that
// their events are out when it returns.
//
// Stop returns by ctx's deadline, whatever the modules do: if the work is
// not done by then, it returns what it found so far and what is left, and
// the loader finishes in the background. Without a deadline, Stop waits as
// long as the modules' stop and load timeouts allow. After Stop the loader
// cannot start again; Stop on a stopped loader returns at once with no
// error.
func (l *Loader) Stop(ctx context.Context) error {
	if err := l.checkOp(ctx, "stop"); err != nil {
		return err
	}
	l.mu.Lock()
	all := slices.Clone(l.entries)
	l.mu.Unlock()
	if err := l.checkHandle(ctx, "stop", all); err != nil {
		return err
	}
	deadline, hasDeadline := ctx.Deadline()
	var work time.Time // the modules' deadline: Stop's, less the time to report
	if hasDeadline {
		work = deadline.Add(-min(time.Until(deadline)/4, 250*time.Millisecond))
	}
	l.mu.Lock()
	sd, first := l.shut, l.shut == nil
	if first {
		sd = &shutdown{done: make(chan struct{})}
		l.shut = sd
		if l.state == stateIdle {
			l.state = stateStopped
			close(sd.done)
			first = false
		} else {
			l.state = stateStopping
			l.stopDeadline = work
		}
	}
	l.mu.Unlock()
	var expired <-chan time.Time
	if hasDeadline {
		t := time.NewTimer(time.Until(deadline))
		defer t.Stop()
		expired = t.C
	}
	if !first {
		select {
		case <-sd.done:
			return nil
		case <-expired:
			return fmt.Errorf("stop: %w: an earlier Stop is still stopping the loader", context.DeadlineExceeded)
		}
	}
	l.endLife(ErrStopped)
	go l.shutdown(work, sd)
	select {
	case <-sd.done:
		return sd.err
	case <-expired:
		errs := append(sd.found(), l.stopProgress(work)...)
		return fmt.Errorf("stop: %w", errors.Join(errs...))
	}
}

// shutdown does Stop's work: it waits for the operation in progress (which
// Stop has cut short), unloads every running module before deadline (if
// not zero), waits for the checks and the cleanups of failed loads, and
// reports.
func (l *Loader) shutdown(deadline time.Time, sd *shutdown) {
	pprof.SetGoroutineLabels(context.Background())
	ctx := context.Background()
	if !deadline.IsZero() {
		var cancel context.CancelFunc
		ctx, cancel = context.WithDeadline(ctx, deadline)
		defer cancel()
	}
	begin := time.Now()
	l.sem <- struct{}{} // the operation in progress ends soon: Stop cut it short
	defer l.release()
	<-l.sup.close()
	l.mu.Lock()
	var live []*entry
	for _, e := range l.order {
		if e.cur != nil {
			live = append(live, e)
		}
	}
	l.mu.Unlock()
	var st []*stopped
	var unloaded []string
	for _, e := range slices.Backward(live) {
		s, err := l.unload(ctx, e)
		if err != nil {
			sd.add(err)
		}
		if s != nil {
			st = append(st, s)
			unloaded = append(unloaded, e.name)
		}
	}
	// Failed loads are cleaned up under their own deadlines, which Stop's
	// shortens: this wait ends by then.
	l.failedLoads.Wait()
	b := l.chk.enqueue(l, st)
	if err := l.WaitChecks(context.WithoutCancel(ctx)); err != nil {
		sd.add(fmt.Errorf("checks after the unload: %w", err))
	} else if b != nil {
		sd.add(b.errs...)
	}
	// The check loop ends just after its last batch is done: wait for its
	// last act (closing its exited channel) too, as for the supervisor.
	l.chk.mu.Lock()
	checkExited := l.chk.run.doneLocked()
	l.chk.mu.Unlock()
	select {
	case <-checkExited:
	case <-ctx.Done():
	}
	err := errors.Join(sd.found()...)
	l.mu.Lock()
	l.state = stateStopped
	l.mu.Unlock()
	l.emit(Event{Kind: Stopped, Modules: unloaded, Duration: time.Since(begin), Err: err})
	if err != nil {
		sd.err = fmt.Errorf("stop: %w", err)
	}
	close(sd.done)
}

// stopProgress says what a Stop that ran out of time leaves: a
// *StopTimeoutError for each module still loaded, from its handle's count
// (the goroutine profile would take time Stop no longer has), and what is
// left to do.
func (l *Loader) stopProgress(work time.Time) []error {
	l.mu.Lock()
	defer l.mu.Unlock()
	var errs []error
	for _, e := range slices.Backward(l.order) {
		g := e.cur
		if g == nil {
			continue
		}
		var allowed time.Duration
		if !e.stopBegan.IsZero() {
			allowed = work.Sub(e.stopBegan)
		}
		gs := []Goroutine{{Count: max(g.h.running(), 1), Labels: map[string]string{LabelModule: e.name, LabelGeneration: strconv.Itoa(g.h.gen)}}}
		errs = append(errs, fmt.Errorf("unload module %s (generation %d): %w", e.name, g.h.gen,
			&StopTimeoutError{Module: e.name, Generation: g.h.gen, Timeout: roundDuration(max(allowed, 0)), Goroutines: gs}))
	}
	left := "the modules are unloaded; the checks after the unload have not finished"
	if len(errs) > 0 {
		left = plural(len(errs), "module") + " still loaded"
	}
	return append(errs, fmt.Errorf("%w: %s; the loader goes on stopping in the background", context.DeadlineExceeded, left))
}

func (l *Loader) acquire(ctx context.Context) error {
	// A free loader is taken even with a done ctx: select would pick at
	// random.
	select {
	case l.sem <- struct{}{}:
		return nil
	default:
	}
	select {
	case l.sem <- struct{}{}:
		return nil
	case <-ctx.Done():
		if errors.Is(context.Cause(ctx), ErrStopped) {
			return ErrStopped
		}
		return fmt.Errorf("waiting for another operation: %w", context.Cause(ctx))
	}
}

// bound returns ctx, also cancelled with cause ErrStopped when Stop begins.
func (l *Loader) bound(ctx context.Context) (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithCancelCause(ctx)
	stop := context.AfterFunc(l.life, func() { cancel(ErrStopped) })
	return ctx, func() {
		stop()
		cancel(nil)
	}
}

func (l *Loader) release() { <-l.sem }

func names(es []*entry) []string {
	out := make([]string, len(es))
	for i, e := range es {
		out[i] = e.name
	}
	return out
}

func roundDuration(d time.Duration) time.Duration {
	switch {
	case d >= time.Second:
		return d.Round(10 * time.Millisecond)
	case d >= time.Millisecond:
		return d.Round(100 * time.Microsecond)
	case d >= time.Microsecond:
		return d.Round(100 * time.Nanosecond)
	default:
		return d
	}
}
