package loader

import (
	"context"
	"fmt"
	"math"
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

// closedBit marks a handle whose join has begun. The low bits of
// Handle.state count the handle's running goroutines.
const closedBit = int64(1) << 62

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

	// state counts running goroutines, plus closedBit once the join began.
	state atomic.Int64
	done  chan struct{} // closed when the join began and no goroutine runs

	mu       sync.Mutex
	deps     map[string]any // dependency instances, dropped after unload
	cleanups []cleanup
	cleaned  bool // cleanups have run; later ones run at once
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
// in it is recovered and reported as the module's failure, and unload waits
// for it. f receives the generation's context and should return when it is
// done.
//
// Once the generation has unloaded, Go does not run f and reports it as an
// "go after unload" event.
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
// time.AfterFunc, f carries the module's labels and unload waits for it.
// stop cancels the call and reports whether it did so before f started.
func (h *Handle) AfterFunc(d time.Duration, f func(ctx context.Context)) (stop func() bool) {
	var unregister func() bool
	// The timer starts disarmed so that unregister is set before it can fire.
	t := time.AfterFunc(math.MaxInt64, func() {
		unregister()
		if h.ctx.Err() != nil {
			return
		}
		if h.add() {
			h.run(f)
		}
	})
	// The timer must not fire into a generation that is unloading.
	unregister = context.AfterFunc(h.ctx, func() { t.Stop() })
	t.Reset(d)
	return func() bool {
		unregister()
		return t.Stop()
	}
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
// generation runs (which keeps the join from finishing under it).
func (h *Handle) add() bool {
	for {
		s := h.state.Load()
		if s == closedBit {
			return false
		}
		if h.state.CompareAndSwap(s, s+1) {
			return true
		}
	}
}

func (h *Handle) release() {
	if h.state.Add(-1) == closedBit {
		close(h.done)
	}
}

// close begins the join: from now on done closes when no goroutine runs.
func (h *Handle) close() {
	if h.state.Or(closedBit) == 0 {
		close(h.done)
	}
}

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
