package loader

import (
	"context"
	"fmt"
	"runtime"
	"runtime/pprof"
	"sync"
	"time"
)

// stopped is a generation an unload stopped, kept for the checks that
// follow: goroutines left behind, and references to its instance.
type stopped struct {
	e        *entry
	h        *Handle
	began    time.Time
	deadline time.Time
	timedOut bool        // already reported as late
	ran      bool        // it was the module's running generation (a stop timeout makes the module stuck)
	alive    func() bool // reads a weak pointer to the instance; nil when not tracked
}

// checker runs the checks that follow unloads, in a goroutine of the
// loader's own, off the reload path: a reload returns once the new
// generation is up, and the checks report through events. Unloads that
// come while a check waits are checked together, so that a burst of
// reloads costs one pass over the process.
type checker struct {
	mu     sync.Mutex
	next   *batch        // collecting unloads for the next check
	cur    *batch        // being checked
	run    onDemand      // the goroutine that checks
	urgent chan struct{} // WaitChecks: check now, do not wait for a GC
}

// batch is the unit of one check.
type batch struct {
	gens []*stopped
	done chan struct{} // closed once checked and reported
	// Set before done is closed: goroutines that outlived their deadline,
	// for Stop's error.
	errs []error
}

// enqueue adds unloaded generations to the next check and returns its
// batch (nil when there is nothing to check).
func (c *checker) enqueue(l *Loader, gens []*stopped) *batch {
	if len(gens) == 0 {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.next == nil {
		c.next = &batch{done: make(chan struct{})}
	}
	b := c.next
	b.gens = append(b.gens, gens...)
	if c.urgent == nil {
		c.urgent = make(chan struct{}, 1)
	}
	c.run.startLocked(l.checkLoop)
	return b
}

// WaitChecks runs the pending checks that follow unloads (the leftover
// reference check and the search for goroutines that module code started
// with a plain go statement) at once, without waiting for the delay of
// [WithCheckDelay], and waits until they have reported: their leaked and
// stop timeout events have been emitted. It returns early with ctx's error.
// Tests use it to wait for the check of a reload without sleeping; Stop
// calls it before it returns.
func (l *Loader) WaitChecks(ctx context.Context) error {
	c := &l.chk
	c.mu.Lock()
	pending := []*batch{c.cur, c.next}
	c.mu.Unlock()
	for _, b := range pending {
		if b == nil {
			continue
		}
		c.hurry()
		select {
		case <-b.done:
		case <-ctx.Done():
			return context.Cause(ctx)
		}
	}
	return nil
}

func (c *checker) hurry() {
	c.mu.Lock()
	urgent := c.urgent
	c.mu.Unlock()
	if urgent == nil {
		return
	}
	select {
	case urgent <- struct{}{}:
	default:
	}
}

// checkLoop checks batches until there is none left.
func (l *Loader) checkLoop() {
	// Not a goroutine of the module whose unload started it.
	pprof.SetGoroutineLabels(context.Background())
	c := &l.chk
	for {
		c.mu.Lock()
		b := c.next
		c.next, c.cur = nil, b
		if b == nil {
			c.run.exitLocked()
			c.mu.Unlock()
			return
		}
		c.mu.Unlock()
		l.check(b)
		c.mu.Lock()
		c.cur = nil
		c.mu.Unlock()
		close(b.done)
	}
}

// check waits for a garbage collection that began after the batch's
// unloads (the runtime's next one, or one it forces after the check
// delay, or at once for WaitChecks), then looks for goroutines of the
// unloaded generations that module code started with a plain go
// statement, waiting for them until each generation's deadline, and then
// for unloaded instances that are still reachable.
func (l *Loader) check(b *batch) {
	collected := l.settle()
	var found bool
	b.errs, found = l.sweepChildren(b.gens)
	if l.opts.refCheck {
		// Goroutines that were still running may have held an instance
		// through the collection: then force one after they are gone.
		l.checkReferences(b.gens, collected && !found)
	}
}

// settle waits until a garbage collection has run since the call, the
// check delay has passed, or WaitChecks hurries the check, and reports
// whether a collection ran.
func (l *Loader) settle() bool {
	gc := make(chan struct{})
	if l.opts.refCheck {
		// The sentinel is unreachable at once: its cleanup runs after the
		// first collection whose marking began after this point, which
		// found every instance unloaded before it unreachable too.
		sentinel := &struct {
			_ *int
			_ [16]byte
		}{}
		runtime.AddCleanup(sentinel, func(c chan struct{}) { close(c) }, gc)
	}
	t := time.NewTimer(l.opts.checkDelay)
	defer t.Stop()
	select {
	case <-gc:
		return true
	case <-t.C:
	case <-l.chk.urgent:
	}
	return false
}

// sweepChildren finds the goroutines carrying the labels of generations
// whose handle goroutines all returned (module code started them with a
// plain go statement inside a handle goroutine, so the handle did not
// count them), and waits for them until each generation's deadline. Those
// still running then are reported as a stop timeout. It reads the
// goroutine profile, whose cost grows with the process: once per batch,
// and again only while such goroutines remain. It reports whether it found
// any.
func (l *Loader) sweepChildren(gens []*stopped) (errs []error, found bool) {
	var pending []*stopped
	for _, s := range gens {
		if !s.timedOut {
			pending = append(pending, s)
		}
	}
	delay := time.Millisecond
	for len(pending) > 0 {
		live, err := l.liveGenerations()
		if err != nil {
			return append(errs, err), found
		}
		now := time.Now()
		next := pending[:0]
		for _, s := range pending {
			gs := live[genKey{s.e.name, s.h.gen}]
			switch {
			case len(gs) == 0:
			case now.Before(s.deadline):
				found = true
				next = append(next, s)
			default:
				found = true
				s.timedOut = true
				terr := l.timedOut(s.e, s.h, s.deadline.Sub(s.began), gs, s.ran)
				errs = append(errs, fmt.Errorf("unload module %s (generation %d): %w", s.e.name, s.h.gen, terr))
			}
		}
		pending = next
		if len(pending) > 0 {
			time.Sleep(delay)
			delay = min(2*delay, 50*time.Millisecond)
		}
	}
	return errs, found
}

// checkReferences reports the unloaded generations whose instance is still
// reachable after a garbage collection, and again after each re-check: a
// goroutine that is returning, or a timer being stopped, may hold an
// instance for a moment.
func (l *Loader) checkReferences(gens []*stopped, collected bool) {
	recheckDelays := [...]time.Duration{5 * time.Millisecond, 50 * time.Millisecond}
	var suspects []*stopped
	for _, s := range gens {
		if s.alive != nil {
			suspects = append(suspects, s)
		}
	}
	for round := 0; len(suspects) > 0; round++ {
		if round > 0 || !collected {
			runtime.GC()
		}
		still := suspects[:0]
		for _, s := range suspects {
			if s.alive() {
				still = append(still, s)
			}
		}
		suspects = still
		if round == len(recheckDelays) {
			break
		}
		if len(suspects) > 0 {
			time.Sleep(recheckDelays[round])
		}
	}
	for _, s := range suspects {
		err := &LeftoverError{Module: s.e.name, Generation: s.h.gen}
		l.emit(Event{Kind: Leaked, Module: s.e.name, Generation: s.h.gen, Err: err})
	}
}
