package loader

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"sync"
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
}

// Loader loads, unloads and reloads a set of modules. Its methods are safe
// for concurrent use; Start, Stop, Reload and Replace run one at a time.
type Loader struct {
	id   string // pprof label value that tells this loader's goroutines apart
	opts options
	sem  chan struct{} // held by the running operation

	mu      sync.Mutex // guards the fields below and the entries' mutable fields
	state   lifecycle
	byName  map[string]*entry
	entries []*entry // registration order
	order   []*entry // load order, once checked
}

type lifecycle int

const (
	stateIdle lifecycle = iota
	stateRunning
	stateStopped
)

// entry is a registered module and what the loader knows of it.
type entry struct {
	name        string
	deps        []string
	index       int
	stopTimeout time.Duration
	dependents  []*entry
	layer       int

	// Guarded by Loader.mu.
	factory  Factory
	lastGen  int
	cur      *generation // the running generation, or nil
	stuck    *Handle     // a generation whose goroutines outlived its deadline
	lastErr  error       // why the last load failed
	failures int         // panics and late cleanup failures, over all generations
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
	return checkGraph(l.entries, l.byName, l.opts.layers)
}

// Start checks the module graph and loads every module in dependency
// order. If a module fails to load, Start unloads, in reverse, the modules
// it loaded and returns every error; Start may then be called again.
func (l *Loader) Start(ctx context.Context) error {
	if err := l.checkOp(ctx, "start"); err != nil {
		return err
	}
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
	case stateStopped:
		l.mu.Unlock()
		return fmt.Errorf("start: %w", ErrStopped)
	}
	order, err := l.checkLocked()
	if err == nil {
		l.order = order
	}
	l.mu.Unlock()
	if err != nil {
		return err
	}
	loaded, err := l.loadAll(ctx, order)
	if err != nil {
		u := l.unloadAll(context.WithoutCancel(ctx), loaded)
		return fmt.Errorf("start: %w", errors.Join(append([]error{err}, u.errs...)...))
	}
	l.mu.Lock()
	l.state = stateRunning
	l.mu.Unlock()
	l.emit(Event{Kind: Started, Modules: names(loaded), Duration: time.Since(begin)})
	return nil
}

// Stop unloads every running module in reverse load order. An unload error
// does not stop it: it unloads the rest and returns every error. Each
// module has its stop timeout, and ctx's deadline can shorten it: past it
// the remaining modules get no time to stop (and are reported if they do
// not). Stop ignores ctx's cancellation, since shutdown code often holds
// a context that the shutdown signal has already cancelled. Stop waits for
// a Reload in progress to finish. After Stop the loader cannot start
// again; Stop on a stopped loader does nothing.
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
	// Shutdown code often holds a context that is already cancelled (by
	// the signal that asked for the shutdown): only its deadline counts.
	ctx, cancel := deadlineOnly(ctx)
	defer cancel()
	if err := l.acquire(ctx); err != nil {
		return fmt.Errorf("stop: %w", err)
	}
	defer l.release()
	begin := time.Now()
	l.mu.Lock()
	if l.state == stateStopped {
		l.mu.Unlock()
		return nil
	}
	l.state = stateStopped
	var live []*entry
	for _, e := range l.order {
		if e.cur != nil {
			live = append(live, e)
		}
	}
	l.mu.Unlock()
	u := l.unloadAll(ctx, live)
	err := errors.Join(u.errs...)
	l.emit(Event{Kind: Stopped, Modules: u.unloaded, Duration: time.Since(begin), Err: err})
	if err != nil {
		return fmt.Errorf("stop: %w", err)
	}
	return nil
}

// Report describes what a Reload or Replace did.
type Report struct {
	// Module is the module that was asked for.
	Module string
	// Modules lists the modules loaded again, bottom-up: the module and
	// every module that depends on it.
	Modules  []string
	Duration time.Duration
	// RolledBack says the new generation failed to load and the previous
	// code was loaded again.
	RolledBack bool
	// Leftovers lists unloaded generations still reachable after a garbage
	// collection (see [WithReferenceCheck]).
	Leftovers []*LeftoverError
}

// String returns e.g. "reloaded 3 modules: service, api, router in 4.1ms".
func (r Report) String() string {
	s := fmt.Sprintf("reloaded %s: %s in %v", plural(len(r.Modules), "module"), nameList(r.Modules), roundDuration(r.Duration))
	if r.RolledBack {
		s += " (rolled back to the previous code)"
	}
	return s
}

// Reload unloads the module called name and every module that depends on
// it, transitively, top-down, then loads them again bottom-up with their
// current code. Modules below keep running with their state. If a module
// fails to load, everything loaded by this reload is unloaded and loaded
// again, as well as it can be, and the error is returned.
func (l *Loader) Reload(ctx context.Context, name string) (Report, error) {
	return l.reload(ctx, name, nil)
}

// Replace is Reload with new code for the module called name: its next
// generation comes from f. If the new generation, or one of its
// dependents, fails to load, the previous code is loaded again (rolled
// back), so the process returns to a working set, and the error is
// returned.
func (l *Loader) Replace(ctx context.Context, name string, f Factory) (Report, error) {
	if !f.isValid() {
		return Report{Module: name}, fmt.Errorf("replace %s: the factory is not usable (build one with loader.Func)", name)
	}
	return l.reload(ctx, name, &f)
}

func (l *Loader) reload(ctx context.Context, name string, f *Factory) (Report, error) {
	op := "reload"
	if f != nil {
		op = "replace"
	}
	rep := Report{Module: name}
	if err := l.checkOp(ctx, op); err != nil {
		return rep, err
	}
	l.mu.Lock()
	e := l.byName[name]
	if e == nil {
		hint := suggest(name, l.entries)
		l.mu.Unlock()
		return rep, fmt.Errorf("%s: unknown module %s%s", op, name, hint)
	}
	set := l.dependentsOf(e)
	l.mu.Unlock()
	if err := l.checkHandle(ctx, op, set); err != nil {
		return rep, err
	}
	if err := l.acquire(ctx); err != nil {
		return rep, fmt.Errorf("%s %s: %w", op, name, err)
	}
	defer l.release()
	begin := time.Now()

	l.mu.Lock()
	state := l.state
	set = l.dependentsOf(e) // again: the load order is final once the loader runs
	var live []*entry
	for _, m := range set {
		if m.cur != nil {
			live = append(live, m)
		}
	}
	prev := e.factory
	if f != nil && state == stateRunning {
		e.factory = *f
	}
	l.mu.Unlock()
	switch state {
	case stateIdle:
		return rep, fmt.Errorf("%s %s: the loader has not started", op, name)
	case stateStopped:
		return rep, fmt.Errorf("%s %s: %w", op, name, ErrStopped)
	}

	var errs []error
	u := l.unloadAll(ctx, live)
	errs = append(errs, u.errs...)
	rep.Leftovers = u.leftovers

	loaded, loadErr := l.loadAll(ctx, set)
	if loadErr == nil {
		rep.Modules = names(loaded)
		rep.Duration = time.Since(begin)
		l.emit(Event{Kind: Reloaded, Module: name, Modules: rep.Modules, Duration: rep.Duration, Err: errors.Join(errs...)})
		if len(errs) > 0 {
			return rep, fmt.Errorf("%s %s: %w", op, name, errors.Join(errs...))
		}
		return rep, nil
	}

	// Roll back: unload what this reload loaded, restore the previous code
	// and load the set again, keeping whatever loads. The caller's ctx may
	// be what failed the load, so the roll back does not depend on it.
	errs = append(errs, loadErr)
	bg := context.WithoutCancel(ctx)
	u = l.unloadAll(bg, loaded)
	errs = append(errs, u.errs...)
	rep.Leftovers = append(rep.Leftovers, u.leftovers...)
	l.mu.Lock()
	e.factory = prev
	l.mu.Unlock()
	reloaded, rbErrs := l.loadBestEffort(bg, set)
	errs = append(errs, rbErrs...)
	rep.Modules = names(reloaded)
	rep.RolledBack = true
	rep.Duration = time.Since(begin)
	l.emit(Event{Kind: RolledBack, Module: name, Modules: rep.Modules, Duration: rep.Duration, Err: loadErr})
	return rep, fmt.Errorf("%s %s: rolled back: %w", op, name, errors.Join(errs...))
}

// dependentsOf returns e and every module that depends on it, directly or
// not, in load order.
func (l *Loader) dependentsOf(e *entry) []*entry {
	in := map[*entry]bool{e: true}
	queue := []*entry{e}
	for len(queue) > 0 {
		m := queue[0]
		queue = queue[1:]
		for _, d := range m.dependents {
			if !in[d] {
				in[d] = true
				queue = append(queue, d)
			}
		}
	}
	var set []*entry
	for _, m := range l.order {
		if in[m] {
			set = append(set, m)
		}
	}
	return set
}

// loadAll loads modules in order and stops at the first failure, returning
// the modules it loaded.
func (l *Loader) loadAll(ctx context.Context, order []*entry) ([]*entry, error) {
	loaded := make([]*entry, 0, len(order))
	for _, e := range order {
		if err := l.load(ctx, e); err != nil {
			return loaded, err
		}
		loaded = append(loaded, e)
	}
	return loaded, nil
}

// loadBestEffort loads every module of order whose dependencies run, and
// returns the ones it loaded and the errors of the others.
func (l *Loader) loadBestEffort(ctx context.Context, order []*entry) ([]*entry, []error) {
	var loaded []*entry
	var errs []error
	for _, e := range order {
		if err := l.load(ctx, e); err != nil {
			errs = append(errs, err)
			continue
		}
		loaded = append(loaded, e)
	}
	return loaded, errs
}

// unloadResult is what an unload phase did.
type unloadResult struct {
	unloaded  []string // in unload order
	errs      []error
	leftovers []*LeftoverError
}

// unloadAll unloads mods in reverse order and keeps going after errors.
// Then it waits for goroutines the modules started outside their handles
// and checks for leftover references, once for the whole phase: both cost
// a pass over the process (a goroutine profile, a garbage collection).
func (l *Loader) unloadAll(ctx context.Context, mods []*entry) unloadResult {
	var r unloadResult
	var done []*stopped
	for _, e := range slices.Backward(mods) {
		st, err := l.unload(ctx, e)
		if err != nil {
			r.errs = append(r.errs, err)
		}
		if st != nil {
			done = append(done, st)
			r.unloaded = append(r.unloaded, e.name)
		}
	}
	errs, leftovers := l.sweep(done)
	r.errs = append(r.errs, errs...)
	r.leftovers = leftovers
	return r
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
		return fmt.Errorf("waiting for another operation: %w", context.Cause(ctx))
	}
}

func (l *Loader) release() { <-l.sem }

// deadlineOnly returns ctx without its cancellation but with its deadline.
func deadlineOnly(ctx context.Context) (context.Context, context.CancelFunc) {
	d, ok := ctx.Deadline()
	ctx = context.WithoutCancel(ctx)
	if !ok {
		return ctx, func() {}
	}
	return context.WithDeadline(ctx, d)
}

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
