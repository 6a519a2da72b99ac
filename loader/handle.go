package loader

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"runtime"
	"runtime/debug"
	"runtime/pprof"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

// Labels the loader puts on every goroutine of a module generation. Module
// code should not set these keys itself.
const (
	LabelModule     = "module"
	LabelGeneration = "generation"
	LabelLoader     = "loader"
)

// Bits of Handle.state above the count of the handle's running goroutines.
const (
	closedBit = int64(1) << 62 // the join has begun
	endedBit  = int64(1) << 61 // the unload is over: Go refuses, even if goroutines still run
	countMask = endedBit - 1
)

// Handle is what one generation of a module uses to run: its context, its
// goroutines, its timers and its cleanups. The loader joins all of them when
// the generation unloads. A Handle is safe for concurrent use.
type Handle struct {
	l    *Loader
	e    *entry
	name string
	gen  int

	// ctx is cancelled when unload begins and carries the module's pprof
	// labels and the handle itself (to detect a module reloading itself).
	ctx    context.Context
	cancel context.CancelFunc
	labels pprof.LabelSet

	// state counts running goroutines, plus closedBit once the join began
	// and endedBit once the unload is over.
	state atomic.Int64
	done  chan struct{} // closed when the join began and no goroutine runs

	mu       sync.Mutex
	deps     map[string]any // dependency instances, dropped after unload
	cleanups []cleanup
	cleaned  bool                      // cleanups have run; later ones run at once
	timers   map[*handleTimer]struct{} // pending AfterFuncs
	unloaded bool                      // the unload began: no more timers

	failErr error // the generation's first failure; guarded by Loader.mu
}

// handleTimer is a pending [Handle.AfterFunc]. The runtime's timer refers
// to it, not to f, so that a stopped timer the runtime has not yet
// forgotten keeps nothing of the module reachable once f is cleared.
type handleTimer struct {
	t *time.Timer
	f func(ctx context.Context)
}

type cleanup struct {
	f     func(ctx context.Context) error
	where string // file:line of the OnUnload call, for error messages
}

type handleKey struct{}

func newHandle(l *Loader, e *entry, gen int, deps map[string]any) *Handle {
	h := &Handle{l: l, e: e, name: e.name, gen: gen, deps: deps, done: make(chan struct{})}
	h.labels = pprof.Labels(LabelModule, e.name, LabelGeneration, strconv.Itoa(gen), LabelLoader, l.id)
	ctx, cancel := context.WithCancel(context.WithValue(context.Background(), handleKey{}, h))
	h.ctx = pprof.WithLabels(ctx, h.labels)
	h.cancel = cancel
	return h
}

// Name returns the module's name.
func (h *Handle) Name() string { return h.name }

// Generation returns the generation number: 1 for the first load of the
// module, one more for each load after it.
func (h *Handle) Generation() int { return h.gen }

// Context returns the generation's context. It is cancelled when unload
// begins, and carries the generation's pprof labels, so that pprof.Do with
// it keeps them.
func (h *Handle) Context() context.Context { return h.ctx }

// Go runs f in a new goroutine that belongs to the generation: it carries
// the module's pprof labels (which pass on to goroutines it starts), a panic
// in it is recovered and reported as the module's failure (see
// [RestartPolicy]), and unload waits for it. f receives the generation's
// context and should return when it is done.
//
// Once the generation's unload is over, Go does not run f, even if some of
// the generation's goroutines are still running past its deadline, and
// reports a "go after unload" event. During the unload (from the unload
// function or a cleanup), Go still runs f, and the unload waits for it.
func (h *Handle) Go(f func(ctx context.Context)) {
	if !h.add() {
		h.l.emit(Event{Kind: GoAfterUnload, Module: h.name, Generation: h.gen})
		return
	}
	go h.run(f)
}

func (h *Handle) run(f func(context.Context)) {
	pprof.SetGoroutineLabels(h.ctx)
	defer func() {
		if p := recover(); p != nil {
			h.panicked(p, debug.Stack())
		}
		h.release()
	}()
	f(h.ctx)
}

// AfterFunc runs f in a goroutine of the generation (as [Handle.Go] does)
// once d has passed, unless the generation unloads first. Unlike
// time.AfterFunc, f carries the module's labels and unload waits for it;
// unload stops every pending timer before it returns, so a pending timer
// keeps nothing of the module reachable. stop cancels the call and reports
// whether it did so before f started.
func (h *Handle) AfterFunc(d time.Duration, f func(ctx context.Context)) (stop func() bool) {
	ht := &handleTimer{f: f}
	h.mu.Lock()
	if h.unloaded {
		h.mu.Unlock()
		h.l.emit(Event{Kind: GoAfterUnload, Module: h.name, Generation: h.gen})
		return func() bool { return false }
	}
	if h.timers == nil {
		h.timers = map[*handleTimer]struct{}{}
	}
	h.timers[ht] = struct{}{}
	// Under h.mu, so that fire, which takes it, sees ht.t set.
	ht.t = time.AfterFunc(d, func() { h.fire(ht) })
	h.mu.Unlock()
	return func() bool { return h.stopTimer(ht) }
}

// fire runs a timer's f, unless it was stopped.
func (h *Handle) fire(ht *handleTimer) {
	h.mu.Lock()
	_, pending := h.timers[ht]
	f := ht.f
	delete(h.timers, ht)
	ht.f = nil
	h.mu.Unlock()
	if pending && h.add() {
		h.run(f)
	}
}

func (h *Handle) stopTimer(ht *handleTimer) bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	if _, pending := h.timers[ht]; !pending {
		return false
	}
	delete(h.timers, ht)
	ht.f = nil
	ht.t.Stop()
	return true
}

// stopTimers stops every pending timer, at the start of the unload, and
// refuses new ones.
func (h *Handle) stopTimers() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.unloaded = true
	for ht := range h.timers {
		ht.t.Stop()
		ht.f = nil
	}
	h.timers = nil
}

// Fail reports that the generation has failed (it lost something it
// cannot work without, say), as a panic in one of its goroutines would: a
// "failed" event, and the loader's [RestartPolicy] reloads the module (and
// the modules above it). A failure of a generation that is loading is
// acted on once its load returns; one of a generation that is unloading,
// or gone, is reported and counted, and restarts nothing.
func (h *Handle) Fail(err error) {
	if err == nil {
		err = errors.New("failed")
	}
	h.l.failed(h, fmt.Errorf("module %s (generation %d) failed: %w", h.name, h.gen, err))
}

// RequestReload asks the loader to reload the module (and the modules
// above it), as [Loader.RequestReload] does: it returns at once, and the
// reload runs after, outside this generation's goroutines, so a goroutine
// of the module may call it. It is refused while the generation is not the
// module's running one (during its load, and once it is unloaded).
func (h *Handle) RequestReload() error {
	if !h.l.isCurrent(h) {
		return fmt.Errorf("request reload of module %s: generation %d is not the module's running generation (it is loading, or unloaded)", h.name, h.gen)
	}
	return h.l.RequestReload(h.name)
}

// OnUnload registers f to run when the generation unloads, after the
// module's unload function and before the join. Cleanups run last-in
// first-out; this is where a module removes what it registered elsewhere
// (handlers, callbacks, subscriptions). An error or panic in f is reported
// in the unload error. f registered after the unload ran its cleanups runs
// at once, and its failure is reported as a module failure.
func (h *Handle) OnUnload(f func(ctx context.Context) error) {
	c := cleanup{f: f, where: callerLocation(2)}
	h.mu.Lock()
	if !h.cleaned {
		h.cleanups = append(h.cleanups, c)
		h.mu.Unlock()
		return
	}
	h.mu.Unlock()
	if err := runCleanup(h.ctx, c); err != nil {
		h.l.failed(h, err)
	}
}

// Dep returns the running instance of the dependency called name, as a T.
// The module must declare name in its Deps: the loader only guarantees that
// declared dependencies run for the whole life of the generation.
func Dep[T any](h *Handle, name string) (T, error) {
	var zero T
	h.mu.Lock()
	v, ok := h.deps[name]
	h.mu.Unlock()
	if !ok {
		if !slices.Contains(h.e.deps, name) {
			return zero, fmt.Errorf("module %s does not depend on %s (declared: %s)", h.name, name, nameList(h.e.deps))
		}
		return zero, fmt.Errorf("module %s (generation %d) has unloaded: its dependencies are no longer available", h.name, h.gen)
	}
	t, ok := v.(T)
	if !ok {
		return zero, fmt.Errorf("module %s: dependency %s is a %T, not a %v", h.name, name, v, reflect.TypeFor[T]())
	}
	return t, nil
}

// add counts a new goroutine, and reports whether the generation still
// accepts one: before the join, or during it while another goroutine of the
// generation runs (which keeps the join from finishing under it), but not
// once the unload is over.
func (h *Handle) add() bool {
	for {
		s := h.state.Load()
		if s&endedBit != 0 || s == closedBit {
			return false
		}
		if h.state.CompareAndSwap(s, s+1) {
			return true
		}
	}
}

func (h *Handle) release() {
	if h.state.Add(-1)&^endedBit == closedBit {
		close(h.done)
	}
}

// close begins the join: from now on done closes when no goroutine runs.
func (h *Handle) close() {
	if h.state.Or(closedBit) == 0 {
		close(h.done)
	}
}

// end marks the unload over: Go refuses from now on.
func (h *Handle) end() { h.state.Or(endedBit) }

// running returns how many goroutines started through the handle have not
// returned.
func (h *Handle) running() int { return int(h.state.Load() & countMask) }

// isJoined reports whether every goroutine started through the handle has
// returned after the join began.
func (h *Handle) isJoined() bool {
	select {
	case <-h.done:
		return true
	default:
		return false
	}
}

func (h *Handle) panicked(p any, stack []byte) {
	h.l.failed(h, &PanicError{Module: h.name, Generation: h.gen, Where: "goroutine", Value: p, Stack: stack})
}

// runCleanups runs the registered cleanups last-in first-out, including
// ones that cleanups register, and returns their errors.
func (h *Handle) runCleanups(ctx context.Context) []error {
	var errs []error
	for {
		h.mu.Lock()
		if len(h.cleanups) == 0 {
			h.cleaned = true
			h.cleanups = nil
			h.mu.Unlock()
			return errs
		}
		last := len(h.cleanups) - 1
		c := h.cleanups[last]
		// Clear the slot: a cleanup often holds what the module used, and
		// the handle outlives the unload.
		h.cleanups[last] = cleanup{}
		h.cleanups = h.cleanups[:last]
		h.mu.Unlock()
		if err := runCleanup(ctx, c); err != nil {
			errs = append(errs, err)
		}
	}
}

// drop releases what the handle holds of other generations, so that a
// handle kept alive by module code does not keep dependencies reachable.
func (h *Handle) drop() {
	h.mu.Lock()
	h.deps = nil
	h.mu.Unlock()
}

func runCleanup(ctx context.Context, c cleanup) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("cleanup registered at %s panicked: %v", c.where, p)
		}
	}()
	if err := c.f(ctx); err != nil {
		return fmt.Errorf("cleanup registered at %s: %w", c.where, err)
	}
	return nil
}

func callerLocation(skip int) string {
	_, file, line, ok := runtime.Caller(skip)
	if !ok {
		return "unknown location"
	}
	return file + ":" + strconv.Itoa(line)
}
