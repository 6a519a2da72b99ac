package loader

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"runtime/pprof"
	"slices"
	"sync"
	"time"
)

// RestartPolicy says how the loader restarts a module that failed on its
// own: a goroutine of its running generation panicked, the module called
// [Handle.Fail], or a reload left it down because its load failed. A
// restart is a reload of the module and of the modules above it, run by
// the loader in a goroutine of its own.
//
// Each module keeps a failure score: every failure adds 1, and the score
// halves every HalfLife, so that failures long ago count for little. The
// delay before a restart is Backoff × 2^(score-1), at most MaxBackoff,
// with jitter (a random delay between 1/2 and 1 times that), so that
// modules that fail together do not restart in lock step. When Limit is
// set and the score passes it, the loader gives up on the module ("gave
// up" event) until a reload of it succeeds.
//
// While a restart is pending, a module whose goroutine failed keeps its
// generation loaded (its state is "failed"; [Status.RestartAt] says when).
// The zero RestartPolicy never restarts.
type RestartPolicy struct {
	// Backoff is the delay before the restart that follows a first
	// failure; 0 turns restarts off.
	Backoff time.Duration
	// MaxBackoff bounds the delay; below Backoff it is Backoff.
	MaxBackoff time.Duration
	// HalfLife is the time after which a failure counts half; 0 means
	// failures never fade.
	HalfLife time.Duration
	// Limit is the failure score past which the loader stops restarting
	// the module; 0 means no limit.
	Limit float64
}

// DefaultRestartPolicy returns the policy a loader has unless
// [WithRestartPolicy] says otherwise: 100 ms after a first failure,
// doubling with each failure close to the last one, at most 30 s; a
// failure counts half after 30 s; no limit, so that a module whose
// dependency comes back (a database, a config server) starts again.
func DefaultRestartPolicy() RestartPolicy {
	return RestartPolicy{Backoff: 100 * time.Millisecond, MaxBackoff: 30 * time.Second, HalfLife: 30 * time.Second}
}

func (p RestartPolicy) normalised() RestartPolicy {
	p.Backoff = max(p.Backoff, 0)
	p.MaxBackoff = max(p.MaxBackoff, p.Backoff)
	p.HalfLife = max(p.HalfLife, 0)
	p.Limit = max(p.Limit, 0)
	return p
}

// score returns the failure score after one more failure at now, given the
// score and time of the previous one.
func (p RestartPolicy) score(prev float64, last, now time.Time) float64 {
	if prev > 0 && p.HalfLife > 0 {
		prev *= math.Exp2(-float64(now.Sub(last)) / float64(p.HalfLife))
	}
	return prev + 1
}

// delay returns the backoff for a failure score, before jitter.
func (p RestartPolicy) delay(score float64) time.Duration {
	d := float64(p.Backoff) * math.Exp2(score-1)
	if d >= float64(p.MaxBackoff) {
		return p.MaxBackoff
	}
	return time.Duration(d)
}

// jitter returns a random delay between d/2 and d.
func jitter(d time.Duration) time.Duration {
	if d <= 1 {
		return d
	}
	return d/2 + rand.N(d/2+1)
}

// supervisor holds the reloads that were asked for (RequestReload) or
// scheduled (restarts), and runs them in a goroutine of the loader's
// own, started when there is work and gone when there is none.
type supervisor struct {
	mu     sync.Mutex
	due    map[*entry]time.Time // modules to reload, and not before when
	run    onDemand             // the goroutine that reloads
	closed bool                 // Stop began: no more reloads
	wake   chan struct{}        // a request came
}

// RequestReload asks for a reload of the named modules (with the modules
// above them) and returns at once: it never waits for an operation, so it
// may be called from an observer and from a goroutine of a module that
// would be reloaded (a module may ask to reload itself; [Handle.RequestReload]
// does it without the loader at hand). The loader reloads the requested
// modules in a goroutine of its own, after the operation in progress;
// requests that arrive before the reload begins are merged into it, and
// a set of modules reloads as one [Loader.Reload]: each module of the set
// and above it unloads once, top-down, and loads once, bottom-up. Its
// outcome is reported by events (reloaded, reload failed).
//
// It returns an error, and requests nothing, for a module that is not
// registered, before Start, and once Stop has begun.
func (l *Loader) RequestReload(names ...string) error {
	if len(names) == 0 {
		return errors.New("request reload: no module named")
	}
	l.mu.Lock()
	state := l.state
	es, err := l.lookupLocked(names)
	l.mu.Unlock()
	switch {
	case err != nil:
		return fmt.Errorf("request reload: %w", err)
	case state == stateIdle:
		return fmt.Errorf("request reload %s: the loader has not started", nameList(names))
	case state == stateStopping || state == stateStopped:
		return fmt.Errorf("request reload %s: %w", nameList(names), ErrStopped)
	}
	l.sup.request(l, es, time.Now(), state == stateRunning)
	return nil
}

// request schedules reloads of es, each no sooner than at, and starts the
// goroutine that runs them if the loader runs and it does not.
func (s *supervisor) request(l *Loader, es []*entry, at time.Time, run bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return
	}
	if s.due == nil {
		s.due = map[*entry]time.Time{}
	}
	for _, e := range es {
		if prev, ok := s.due[e]; !ok || at.Before(prev) {
			s.due[e] = at
		}
	}
	if run {
		s.kickLocked(l)
	}
}

// kick starts the goroutine if there is work, once the loader runs.
func (s *supervisor) kick(l *Loader) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.kickLocked(l)
}

func (s *supervisor) kickLocked(l *Loader) {
	if s.closed || len(s.due) == 0 {
		return
	}
	if s.wake == nil {
		s.wake = make(chan struct{}, 1)
	}
	if s.run.startLocked(l.supervise) {
		return
	}
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

// forget drops the pending reloads of es: a reload of them is beginning.
func (s *supervisor) forget(es []*entry) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, e := range es {
		delete(s.due, e)
	}
}

// dueAt returns when e's pending reload is due, or the zero time.
func (s *supervisor) dueAt(e *entry) time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.due[e]
}

// close drops every pending reload and returns a channel closed once the
// goroutine is gone.
func (s *supervisor) close() <-chan struct{} {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.closed = true
	s.due = nil
	return s.run.doneLocked()
}

// supervise runs the due reloads, one set at a time, until none is left.
func (l *Loader) supervise() {
	// Not a goroutine of whichever module asked: the reloads it runs would
	// count it as one of theirs.
	pprof.SetGoroutineLabels(context.Background())
	s := &l.sup
	timer := time.NewTimer(time.Hour)
	timer.Stop()
	defer timer.Stop()
	for {
		s.mu.Lock()
		if s.closed || len(s.due) == 0 || l.life.Err() != nil {
			s.run.exitLocked()
			s.mu.Unlock()
			return
		}
		now := time.Now()
		var ready []*entry
		var next time.Time
		for e, at := range s.due {
			if !at.After(now) {
				ready = append(ready, e)
				delete(s.due, e)
			} else if next.IsZero() || at.Before(next) {
				next = at
			}
		}
		s.mu.Unlock()
		if len(ready) > 0 {
			slices.SortFunc(ready, func(a, b *entry) int { return cmp.Compare(a.pos, b.pos) })
			// The outcome is reported by events; the reload forgets what it covers.
			_, _ = l.transaction(l.life, "reload", names(ready), nil)
			continue
		}
		timer.Reset(time.Until(next))
		select {
		case <-timer.C:
		case <-s.wake:
			timer.Stop()
		case <-l.life.Done():
			timer.Stop()
		}
	}
}

// failed reports a failure of a generation (a panic in one of its
// goroutines, Handle.Fail, a late cleanup that failed). A failure of the
// module's running generation schedules a restart.
func (l *Loader) failed(h *Handle, err error) {
	l.mu.Lock()
	e := h.e
	e.failures++
	if h.failErr == nil {
		h.failErr = err // for load, if the generation is not current yet
	}
	// A failure during the generation's unload needs no restart: the
	// operation unloading it decides what comes next.
	current := e.cur != nil && e.cur.h == h && e.stopBegan.IsZero()
	if current && e.failErr == nil {
		e.failErr = err
	}
	l.mu.Unlock()
	l.emit(Event{Kind: Failed, Module: h.name, Generation: h.gen, Err: err})
	if current {
		l.scheduleRestart(e, h.gen, err)
	}
}

// scheduleRestart applies the restart policy to a failure of e.
func (l *Loader) scheduleRestart(e *entry, gen int, cause error) {
	p := l.opts.restart
	if p.Backoff <= 0 {
		return
	}
	now := time.Now()
	l.mu.Lock()
	e.score = p.score(e.score, e.lastFail, now)
	e.lastFail = now
	score, state := e.score, l.state
	gaveUp := p.Limit > 0 && score > p.Limit
	e.gaveUp = gaveUp
	l.mu.Unlock()
	if state != stateRunning && state != stateStarting {
		return
	}
	if gaveUp {
		l.emit(Event{Kind: GaveUp, Module: e.name, Generation: gen, Err: fmt.Errorf("module %s failed too often (score %.1f, limit %g): no more restarts until a reload of it succeeds: %w", e.name, score, p.Limit, cause)})
		return
	}
	d := jitter(p.delay(score))
	l.sup.request(l, []*entry{e}, now.Add(d), state == stateRunning)
	l.emit(Event{Kind: RestartScheduled, Module: e.name, Generation: gen, Duration: d, Err: cause})
}

// isCurrent reports whether h is its module's running generation.
func (l *Loader) isCurrent(h *Handle) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return h.e.cur != nil && h.e.cur.h == h
}
