package loader

import (
	"context"
	"errors"
	"fmt"
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
	inst, err := l.startGeneration(ctx, e, h, f)
	if err != nil {
		l.stopFailedLoad(e, h)
		return l.loadFailed(e, gen, f, time.Since(begin), fmt.Errorf("load module %s (generation %d): %w", e.name, gen, err))
	}
	l.mu.Lock()
	e.cur = &generation{h: h, version: f.version, inst: inst}
	// A goroutine may have failed before the load returned.
	early := h.failErr
	e.lastErr, e.failErr, e.gaveUp, e.depDown = nil, early, false, false
	l.mu.Unlock()
	l.emit(Event{Kind: Loaded, Module: e.name, Generation: gen, Version: f.version, Duration: time.Since(begin)})
	if early != nil {
		l.scheduleRestart(e, gen, early)
	}
	return nil
}

// stopFailedLoad stops, in the background, what a failed load started: its
// goroutines, its cleanups, and the load itself if it was abandoned. It has
// the module's own stop deadline, from now: the caller's context may be
// what ended the load. The operation goes on at once, so that what the new
// generation leaves behind can never hold up a roll back; and since that
// generation never ran, goroutines that outlive the deadline are reported
// (a stop timeout event) but do not make the module stuck. Stop waits for
// these cleanups.
func (l *Loader) stopFailedLoad(e *entry, h *Handle) {
	l.failedLoads.Add(1)
	go func() {
		defer l.failedLoads.Done()
		pprof.SetGoroutineLabels(context.Background())
		st, err := l.stopHandle(context.Background(), e, h, nil, false)
		h.drop()
		if err != nil {
			err = fmt.Errorf("stop what the failed load of module %s (generation %d) started: %w", e.name, h.gen, err)
			if !st.timedOut {
				// A cleanup failed; a timeout was reported as it happened.
				l.emit(Event{Kind: UnloadFailed, Module: e.name, Generation: h.gen, Err: err})
			}
			l.mu.Lock()
			sd := l.shut
			l.mu.Unlock()
			if sd != nil {
				sd.add(err) // Stop says what did not stop
			}
		}
		l.chk.enqueue(l, []*stopped{st})
	}()
}

func (l *Loader) loadFailed(e *entry, gen int, f Factory, d time.Duration, err error) error {
	l.mu.Lock()
	e.lastErr, e.depDown = err, false
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
// carry the module's labels too. It gives up when ctx is done or the load
// timeout passes; a load that returns after that unloads what it built
// itself. The load's context ends when the load returns.
func (l *Loader) startGeneration(ctx context.Context, e *entry, h *Handle, f Factory) (instance, error) {
	timeout := e.loadTimeout
	if timeout == 0 {
		timeout = l.opts.loadTimeout
	}
	ctx, cancel := context.WithTimeoutCause(ctx, timeout, &LoadTimeoutError{Module: h.name, Generation: h.gen, Timeout: timeout})
	defer cancel()
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
	var r loadResult
	select {
	case r = <-res:
	case <-ctx.Done():
		if state.CompareAndSwap(loadPending, loadAbandoned) {
			cause := context.Cause(ctx)
			var lt *LoadTimeoutError
			if errors.As(cause, &lt) {
				return instance{}, lt
			}
			return instance{}, fmt.Errorf("load did not return: %w", cause)
		}
		r = <-res // delivered just now
	}
	var lt *LoadTimeoutError
	if r.err != nil && errors.As(context.Cause(ctx), &lt) {
		// It returned because the timeout ended its context: say so.
		return r.inst, &LoadTimeoutError{Module: lt.Module, Generation: lt.Generation, Timeout: lt.Timeout, Err: r.err}
	}
	return r.inst, r.err
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
	l.mu.Lock()
	e.stopBegan = begin
	l.mu.Unlock()
	st, err := l.stopHandle(ctx, e, g.h, g.inst.stop, true)
	st.alive = g.inst.alive
	l.mu.Lock()
	e.stopBegan = time.Time{}
	e.cur = nil
	e.failErr = nil
	g.inst = instance{}
	l.mu.Unlock()
	g.h.drop()
	ev := Event{Kind: Unloaded, Module: e.name, Generation: g.h.gen, Version: g.version, Duration: time.Since(begin)}
	if err != nil {
		err = fmt.Errorf("unload module %s (generation %d): %w", e.name, g.h.gen, err)
		ev.Kind, ev.Err = UnloadFailed, err
	}
	l.emit(ev)
	return st, err
}

// stopHandle ends a generation: it cancels the generation's context, stops
// its timers, runs stop and the cleanups in a goroutine of the generation
// (so that a stop function that blocks shows in the report with its
// stack), and waits for the generation's goroutines until the stop
// deadline: the module's stop timeout, shortened by ctx's deadline and,
// once Stop has begun, by Stop's. ran says whether the generation was the
// module's running one: if so, a stop timeout makes the module stuck.
// The goroutine profile is read only when the deadline passes.
func (l *Loader) stopHandle(ctx context.Context, e *entry, h *Handle, stop func(context.Context) error, ran bool) (*stopped, error) {
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
	h.stopTimers()
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

	joined, deadline := l.waitJoin(h, deadline)
	h.end()
	st := &stopped{e: e, h: h, began: begin, deadline: deadline, ran: ran}
	if joined {
		return st, <-errc
	}
	st.timedOut = true
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
	if len(gs) == 0 {
		// Counted, but not yet in the profile (a goroutine about to run).
		gs = []Goroutine{{Count: max(h.running(), 1), Labels: map[string]string{LabelModule: h.name, LabelGeneration: fmt.Sprint(h.gen)}}}
	}
	errs = append(errs, l.timedOut(e, h, deadline.Sub(begin), gs, ran))
	return st, errors.Join(errs...)
}

// waitJoin waits for h's goroutines to return until deadline or, once Stop
// has begun, Stop's deadline if it is earlier. It reports whether they
// returned, and the deadline it kept.
func (l *Loader) waitJoin(h *Handle, deadline time.Time) (bool, time.Time) {
	select {
	case <-h.done:
		return true, deadline
	default:
	}
	timer := time.NewTimer(time.Until(deadline))
	defer timer.Stop()
	stopping := l.life.Done()
	for {
		select {
		case <-h.done:
			return true, deadline
		case <-timer.C:
			return false, deadline
		case <-stopping:
			stopping = nil
			l.mu.Lock()
			d := l.stopDeadline
			l.mu.Unlock()
			if !d.IsZero() && d.Before(deadline) {
				deadline = d
				timer.Reset(time.Until(d))
			}
		}
	}
}

// timedOut reports the goroutines of h that outlived their deadline, and
// marks the module stuck if h ran. Only now, since something is late, does
// it ask the runtime which of them are blocked for ever.
func (l *Loader) timedOut(e *entry, h *Handle, allowed time.Duration, gs []Goroutine, ran bool) *StopTimeoutError {
	classified := l.classify(gs)
	err := &StopTimeoutError{Module: e.name, Generation: h.gen, Timeout: roundDuration(max(allowed, 0)), Goroutines: gs, Classified: classified}
	if ran {
		l.mu.Lock()
		e.stuck = h
		l.mu.Unlock()
	}
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
	all, err := l.readGoroutines("goroutine")
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
