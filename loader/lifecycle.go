package loader

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"runtime/debug"
	"runtime/pprof"
	"sync/atomic"
	"time"
)

// opKey marks the contexts the loader passes to load and unload functions,
// to refuse an operation started from inside another (it would wait for
// itself).
type opKey struct{}

type opMark struct {
	l      *Loader
	module string
}

// checkOp refuses an operation called from inside a load or unload of this
// loader: the operation in progress holds the loader.
func (l *Loader) checkOp(ctx context.Context, op string) error {
	if m, ok := ctx.Value(opKey{}).(opMark); ok && m.l == l {
		return fmt.Errorf("%s called from the load or unload of module %s: it would wait for itself; call it from outside the loader's operations", op, m.module)
	}
	return nil
}

// checkHandle refuses an operation called from a goroutine of a module the
// operation unloads: the unload would wait for the goroutine that waits
// for the unload.
func (l *Loader) checkHandle(ctx context.Context, op string, set []*entry) error {
	h, ok := ctx.Value(handleKey{}).(*Handle)
	if !ok || h.l != l {
		return nil
	}
	for _, e := range set {
		if e == h.e {
			return fmt.Errorf("%s called from a goroutine of module %s (generation %d): it would wait for that goroutine to return; start it from outside the module", op, h.name, h.gen)
		}
	}
	return nil
}

// load starts a new generation of e. Its dependencies must be running.
func (l *Loader) load(ctx context.Context, e *entry) error {
	l.mu.Lock()
	var missing []string
	deps := make(map[string]any, len(e.deps))
	for _, d := range e.deps {
		if g := l.byName[d].cur; g != nil {
			deps[d] = g.inst.value
		} else {
			missing = append(missing, d)
		}
	}
	f, stuck := e.factory, e.stuck
	l.mu.Unlock()
	if len(missing) > 0 {
		return l.loadFailed(e, 0, f, 0, fmt.Errorf("load module %s: its dependencies are not running: %s", e.name, nameList(missing)))
	}
	if stuck != nil {
		if err := l.checkStuck(e, stuck); err != nil {
			return l.loadFailed(e, 0, f, 0, fmt.Errorf("load module %s: %w", e.name, err))
		}
	}
	l.mu.Lock()
	e.lastGen++
	gen := e.lastGen
	l.mu.Unlock()

	begin := time.Now()
	h := newHandle(l, e, gen, deps)
	inst, abandoned, err := l.startGeneration(ctx, h, f)
	if err != nil {
		err = fmt.Errorf("load module %s (generation %d): %w", e.name, gen, err)
		// Stop what the failed load started: goroutines, cleanups. A load
		// still running gets no more time than the caller gave it.
		stopCtx := context.WithoutCancel(ctx)
		if abandoned {
			stopCtx = ctx
		}
		if _, serr := l.stopHandle(stopCtx, e, h, nil); serr != nil {
			err = errors.Join(err, fmt.Errorf("stop what it started: %w", serr))
		}
		h.drop()
		return l.loadFailed(e, gen, f, time.Since(begin), err)
	}
	l.mu.Lock()
	e.cur = &generation{h: h, version: f.version, inst: inst}
	e.lastErr = nil
	l.mu.Unlock()
	l.emit(Event{Kind: Loaded, Module: e.name, Generation: gen, Version: f.version, Duration: time.Since(begin)})
	return nil
}

func (l *Loader) loadFailed(e *entry, gen int, f Factory, d time.Duration, err error) error {
	l.mu.Lock()
	e.lastErr = err
	l.mu.Unlock()
	l.emit(Event{Kind: LoadFailed, Module: e.name, Generation: gen, Version: f.version, Duration: d, Err: err})
	return err
}

type loadResult struct {
	inst instance
	err  error
}

// Hand-over states of a load between its goroutine and the loader.
const (
	loadPending   = iota
	loadDelivered // the goroutine sent its result
	loadAbandoned // the loader gave up waiting
)

// startGeneration runs the factory in a goroutine of the new generation,
// so that goroutines its load function starts with a plain go statement
// carry the module's labels too. It gives up when ctx is done; a load that
// returns after that unloads what it built itself.
func (l *Loader) startGeneration(ctx context.Context, h *Handle, f Factory) (inst instance, abandoned bool, err error) {
	loadCtx := pprof.WithLabels(context.WithValue(ctx, opKey{}, opMark{l, h.name}), h.labels)
	res := make(chan loadResult, 1)
	var state atomic.Int32
	h.add() // cannot fail: the join has not begun
	go func() {
		pprof.SetGoroutineLabels(loadCtx)
		defer h.release()
		var r loadResult
		defer func() {
			if p := recover(); p != nil {
				r = loadResult{err: &PanicError{Module: h.name, Generation: h.gen, Where: "load", Value: p, Stack: debug.Stack()}}
			}
			if state.CompareAndSwap(loadPending, loadDelivered) {
				res <- r
				return
			}
			if r.inst.stop != nil {
				// Abandoned: nobody will unload this instance but us.
				if err := callUnload(context.WithoutCancel(loadCtx), h, r.inst.stop); err != nil {
					l.failed(h, fmt.Errorf("unload after an abandoned load: %w", err))
				}
			}
		}()
		r.inst, r.err = f.start(loadCtx, h)
	}()
	select {
	case r := <-res:
		return r.inst, false, r.err
	case <-ctx.Done():
		if state.CompareAndSwap(loadPending, loadAbandoned) {
			return instance{}, true, fmt.Errorf("load did not return: %w", context.Cause(ctx))
		}
		r := <-res // delivered just now
		return r.inst, false, r.err
	}
}

// stopped is a generation that an unload phase stopped, kept until the
// phase's sweep.
type stopped struct {
	e        *entry
	h        *Handle
	began    time.Time
	deadline time.Time
	timedOut bool
	alive    func() bool
}

// unload stops e's running generation, if any.
func (l *Loader) unload(ctx context.Context, e *entry) (*stopped, error) {
	l.mu.Lock()
	g := e.cur
	l.mu.Unlock()
	if g == nil {
		return nil, nil
	}
	begin := time.Now()
	deadline, err := l.stopHandle(ctx, e, g.h, g.inst.stop)
	st := &stopped{e: e, h: g.h, began: begin, deadline: deadline, alive: g.inst.alive}
	l.mu.Lock()
	e.cur = nil
	g.inst = instance{}
	l.mu.Unlock()
	g.h.drop()
	ev := Event{Kind: Unloaded, Module: e.name, Generation: g.h.gen, Version: g.version, Duration: time.Since(begin)}
	if err != nil {
		var terr *StopTimeoutError
		st.timedOut = errors.As(err, &terr)
		err = fmt.Errorf("unload module %s (generation %d): %w", e.name, g.h.gen, err)
		ev.Kind, ev.Err = UnloadFailed, err
	}
	l.emit(ev)
	return st, err
}

// stopHandle ends a generation: it cancels the generation's context, runs
// stop and the cleanups in a goroutine of the generation (so that a stop
// function that blocks shows in the report with its stack), and waits for
// the generation's goroutines until the stop deadline.
func (l *Loader) stopHandle(ctx context.Context, e *entry, h *Handle, stop func(context.Context) error) (time.Time, error) {
	begin := time.Now()
	timeout := e.stopTimeout
	if timeout == 0 {
		timeout = l.opts.stopTimeout
	}
	deadline := begin.Add(timeout)
	if d, ok := ctx.Deadline(); ok && d.Before(deadline) {
		deadline = d
	}
	h.cancel()
	stopCtx, cancel := context.WithDeadline(context.WithValue(context.WithoutCancel(ctx), opKey{}, opMark{l, h.name}), deadline)
	defer cancel()
	stopCtx = pprof.WithLabels(stopCtx, h.labels)
	errc := make(chan error, 1)
	h.add() // cannot fail: the join has not begun
	go func() {
		pprof.SetGoroutineLabels(stopCtx)
		defer h.release()
		errc <- h.runStop(stopCtx, stop)
	}()
	h.close()

	timer := time.NewTimer(time.Until(deadline))
	defer timer.Stop()
	select {
	case <-h.done:
		return deadline, <-errc
	case <-timer.C:
	}
	var errs []error
	select {
	case err := <-errc:
		errs = append(errs, err)
	default:
	}
	gs, err := l.generationGoroutines(h)
	if err != nil {
		errs = append(errs, err)
	}
	errs = append(errs, l.timedOut(e, h, deadline.Sub(begin), gs))
	return deadline, errors.Join(errs...)
}

// timedOut marks the generation stuck and reports its goroutines.
func (l *Loader) timedOut(e *entry, h *Handle, allowed time.Duration, gs []Goroutine) *StopTimeoutError {
	err := &StopTimeoutError{Module: e.name, Generation: h.gen, Timeout: roundDuration(allowed), Goroutines: gs}
	l.mu.Lock()
	e.stuck = h
	l.mu.Unlock()
	l.emit(Event{Kind: StopTimeout, Module: e.name, Generation: h.gen, Err: err})
	return err
}

// runStop runs the module's unload function, then its cleanups.
func (h *Handle) runStop(ctx context.Context, stop func(context.Context) error) error {
	var errs []error
	if stop != nil {
		if err := callUnload(ctx, h, stop); err != nil {
			errs = append(errs, err)
		}
	}
	errs = append(errs, h.runCleanups(ctx)...)
	return errors.Join(errs...)
}

func callUnload(ctx context.Context, h *Handle, stop func(context.Context) error) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = &PanicError{Module: h.name, Generation: h.gen, Where: "unload", Value: p, Stack: debug.Stack()}
		}
	}()
	return stop(ctx)
}

type genKey struct {
	module string
	gen    int
}

// generationGoroutines returns the goroutines that carry h's labels.
func (l *Loader) generationGoroutines(h *Handle) ([]Goroutine, error) {
	live, err := l.liveGenerations()
	return live[genKey{h.name, h.gen}], err
}

// liveGenerations groups this loader's labelled goroutines by generation.
func (l *Loader) liveGenerations() (map[genKey][]Goroutine, error) {
	all, err := labelledGoroutines()
	if err != nil {
		return nil, err
	}
	live := map[genKey][]Goroutine{}
	for _, g := range all {
		if g.Labels[LabelLoader] != l.id {
			continue
		}
		k := genKey{g.Module(), g.Generation()}
		live[k] = append(live[k], g)
	}
	return live, nil
}

// sweep finishes an unload phase. Goroutines that module code started with
// a plain go statement inside handle goroutines carry the module's labels
// but are not counted by the handle: sweep waits for them until each
// generation's deadline. Then, with the reference check on, it runs one
// garbage collection and reports instances still reachable.
func (l *Loader) sweep(done []*stopped) ([]error, []*LeftoverError) {
	var errs []error
	var pending []*stopped
	for _, s := range done {
		if !s.timedOut {
			pending = append(pending, s)
		}
	}
	delay := time.Millisecond
	for len(pending) > 0 {
		live, err := l.liveGenerations()
		if err != nil {
			errs = append(errs, err)
			break
		}
		now := time.Now()
		next := pending[:0]
		for _, s := range pending {
			gs := live[genKey{s.e.name, s.h.gen}]
			switch {
			case len(gs) == 0:
			case now.Before(s.deadline):
				next = append(next, s)
			default:
				s.timedOut = true
				terr := l.timedOut(s.e, s.h, s.deadline.Sub(s.began), gs)
				errs = append(errs, fmt.Errorf("unload module %s (generation %d): %w", s.e.name, s.h.gen, terr))
			}
		}
		pending = next
		if len(pending) > 0 {
			time.Sleep(delay)
			delay = min(2*delay, 50*time.Millisecond)
		}
	}
	return errs, l.checkReferences(done)
}

// checkReferences reports the stopped generations whose instance is still
// reachable after a garbage collection.
func (l *Loader) checkReferences(done []*stopped) []*LeftoverError {
	if !l.opts.refCheck {
		return nil
	}
	tracked := false
	for _, s := range done {
		tracked = tracked || s.alive != nil
	}
	if !tracked {
		return nil
	}
	runtime.GC()
	var out []*LeftoverError
	for _, s := range done {
		if s.alive == nil || !s.alive() {
			continue
		}
		err := &LeftoverError{Module: s.e.name, Generation: s.h.gen}
		out = append(out, err)
		l.emit(Event{Kind: Leaked, Module: s.e.name, Generation: s.h.gen, Err: err})
	}
	return out
}

// checkStuck applies the stuck policy to a module whose generation h did
// not stop in time, unless h's goroutines have returned since.
func (l *Loader) checkStuck(e *entry, h *Handle) error {
	gs, err := l.generationGoroutines(h)
	n := 0
	for _, g := range gs {
		n += g.Count
	}
	if err == nil && n == 0 && h.isJoined() {
		l.mu.Lock()
		if e.stuck == h {
			e.stuck = nil
		}
		l.mu.Unlock()
		l.emit(Event{Kind: Unstuck, Module: e.name, Generation: h.gen})
		return nil
	}
	n = max(n, 1)
	if l.opts.stuck == StuckWarn {
		l.emit(Event{Kind: LoadedBesideStuck, Module: e.name, Generation: h.gen, Err: &StuckError{Module: e.name, Generation: h.gen, Goroutines: n}})
		return nil
	}
	return &StuckError{Module: e.name, Generation: h.gen, Goroutines: n}
}

// failed reports a failure of a running generation (a panic in one of its
// goroutines, a late cleanup that failed).
func (l *Loader) failed(h *Handle, err error) {
	l.mu.Lock()
	h.e.failures++
	l.mu.Unlock()
	l.emit(Event{Kind: Failed, Module: h.name, Generation: h.gen, Err: err})
}
