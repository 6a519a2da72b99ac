package loader

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"time"
)

// Report describes what a Reload or Replace did.
type Report struct {
	// Requested lists the modules asked for.
	Requested []string
	// Modules lists the modules loaded again, bottom-up: of the requested
	// modules and every module that depends on one of them, those that
	// run again.
	Modules []string
	// Down lists the modules of that set that are not running after the
	// operation, in load order: their load failed or was refused, or a
	// module they depend on is down. The restart policy retries them (see
	// [RestartPolicy]).
	Down     []string
	Duration time.Duration
	// RolledBack says that new code failed to load and the previous code
	// of every module of the set runs again.
	RolledBack bool
}

// String returns e.g. "reloaded 3 modules: service, api, router in 4.1ms",
// and says what is down and whether the previous code was loaded again.
func (r Report) String() string {
	var s string
	if len(r.Modules) == 0 {
		s = fmt.Sprintf("reloaded no modules in %v", roundDuration(r.Duration))
	} else {
		s = fmt.Sprintf("reloaded %s: %s in %v", plural(len(r.Modules), "module"), nameList(r.Modules), roundDuration(r.Duration))
	}
	if r.RolledBack {
		s += " (rolled back to the previous code)"
	}
	if len(r.Down) > 0 {
		s += fmt.Sprintf("; %s down: %s", plural(len(r.Down), "module"), nameList(r.Down))
	}
	return s
}

// Reload reloads the named modules with their current code, as one
// transaction: the modules, and every module that depends on one of them,
// transitively, unload once, top-down, then load once, bottom-up. Modules
// below keep running with their state. A module whose load fails is left
// down, with the modules above it, and the others of the set load; the
// restart policy retries the ones left down (see [RestartPolicy]). There is
// no previous code to go back to: for that, see [Loader.Replace].
func (l *Loader) Reload(ctx context.Context, names ...string) (Report, error) {
	return l.transaction(ctx, "reload", names, nil)
}

// Replace is Reload with new code for the module called name: its next
// generation comes from f. If the new generation, or one of its
// dependents, fails to load, the loader rolls back: it unloads what the
// replace loaded, restores the previous code and loads the set again, and
// returns the error. [Report.RolledBack] says whether the whole set runs
// again.
func (l *Loader) Replace(ctx context.Context, name string, f Factory) (Report, error) {
	return l.ReplaceAll(ctx, map[string]Factory{name: f})
}

// ReplaceAll is Replace for several modules at once (several plugins were
// rebuilt, say), as one transaction: the modules, and every module above
// any of them, unload once, top-down, and load once, bottom-up, with the
// new code; if any load fails, the whole set rolls back to its previous
// code.
func (l *Loader) ReplaceAll(ctx context.Context, code map[string]Factory) (Report, error) {
	names := make([]string, 0, len(code))
	for name, f := range code {
		if !f.isValid() {
			return Report{Requested: []string{name}}, fmt.Errorf("replace %s: the factory is not usable (build one with loader.Func)", name)
		}
		names = append(names, name)
	}
	slices.Sort(names)
	if len(names) == 0 {
		return Report{}, errors.New("replace: no module named")
	}
	return l.transaction(ctx, "replace", names, code)
}

// transaction reloads the named modules and every module above them: it
// unloads the set top-down, then loads it bottom-up, with new code for the
// modules in code (nil for a reload). With new code, a failed load rolls
// the whole set back to its previous code.
func (l *Loader) transaction(ctx context.Context, op string, requested []string, code map[string]Factory) (Report, error) {
	rep := Report{Requested: requested}
	if len(requested) == 0 {
		return rep, fmt.Errorf("%s: no module named", op)
	}
	what := op + " " + nameList(requested)
	if err := l.checkOp(ctx, op); err != nil {
		return rep, err
	}
	l.mu.Lock()
	roots, err := l.lookupLocked(requested)
	var set []*entry
	if err == nil {
		set = l.closureLocked(roots)
	}
	state := l.state
	l.mu.Unlock()
	if err != nil {
		return rep, fmt.Errorf("%s: %w", op, err)
	}
	if err := l.checkHandle(ctx, op, set); err != nil {
		return rep, err
	}
	if state == stateStopping || state == stateStopped {
		return rep, fmt.Errorf("%s: %w", what, ErrStopped)
	}
	ctx, done := l.bound(ctx)
	defer done()
	if err := l.acquire(ctx); err != nil {
		return rep, fmt.Errorf("%s: %w", what, err)
	}
	defer l.release()
	begin := time.Now()

	l.mu.Lock()
	state = l.state
	var live []*entry
	prev := map[*entry]Factory{}
	if state == stateRunning {
		set = l.closureLocked(roots) // again: the load order is final once the loader runs
		for _, m := range set {
			if m.cur != nil {
				live = append(live, m)
			}
		}
		for _, e := range roots {
			if f, ok := code[e.name]; ok {
				prev[e] = e.factory
				e.factory = f
			}
		}
	}
	l.mu.Unlock()
	switch state {
	case stateIdle, stateStarting:
		return rep, fmt.Errorf("%s: the loader has not started", what)
	case stateStopping, stateStopped:
		return rep, fmt.Errorf("%s: %w", what, ErrStopped)
	}
	l.sup.forget(set) // this reload does what pending reloads of the set asked

	st, errs := l.unloadAll(ctx, live)
	var res loadOutcome
	if code == nil {
		res.loaded, res.errs = l.loadBestEffort(ctx, set)
	} else {
		res = l.replaceOrRollBack(ctx, set, prev)
		st = append(st, res.unloaded...)
	}
	errs = uniqueErrors(append(errs, res.errs...))
	// The new generations are up: the checks of the old ones run after,
	// off the reload path.
	l.chk.enqueue(l, st)

	rep.Modules = names(res.loaded)
	rep.Down = down(set, res.loaded)
	rep.RolledBack = res.rolledBack && len(rep.Down) == 0
	rep.Duration = time.Since(begin)
	cut := errors.Is(context.Cause(ctx), ErrStopped)
	if !cut {
		l.restartDown(set, res.loaded)
	}
	ev := Event{Kind: Reloaded, Modules: rep.Modules, Duration: rep.Duration, Err: errors.Join(errs...)}
	if len(requested) == 1 {
		ev.Module = requested[0]
	}
	switch {
	case len(rep.Down) == 0 && !rep.RolledBack:
		if len(errs) > 0 {
			err = fmt.Errorf("%s: %w", what, ev.Err)
		} else {
			err = nil
		}
	case rep.RolledBack:
		ev.Kind = RolledBack
		err = fmt.Errorf("%s: rolled back: %w", what, ev.Err)
	default:
		ev.Kind = ReloadFailed
		prefix := ""
		switch {
		case cut:
			prefix = "cut short by Stop, "
		case res.rolledBack:
			prefix = "roll back failed, "
		}
		err = fmt.Errorf("%s: %s%s down (%s): %w", what, prefix, plural(len(rep.Down), "module"), nameList(rep.Down), ev.Err)
	}
	l.emit(ev)
	return rep, err
}

// loadOutcome is what the load half of a transaction did.
type loadOutcome struct {
	loaded     []*entry
	errs       []error
	rolledBack bool       // a roll back was tried
	unloaded   []*stopped // generations the roll back unloaded
}

// replaceOrRollBack loads set, in which the modules of prev have new code.
// If a load fails, it rolls back: it unloads what it loaded, restores the
// previous code and loads the set again, as well as it can.
func (l *Loader) replaceOrRollBack(ctx context.Context, set []*entry, prev map[*entry]Factory) loadOutcome {
	loaded, err := l.loadAll(ctx, set)
	if err == nil {
		return loadOutcome{loaded: loaded}
	}
	restore := func() {
		l.mu.Lock()
		for e, f := range prev {
			e.factory = f
		}
		l.mu.Unlock()
	}
	if errors.Is(context.Cause(ctx), ErrStopped) {
		// Stop cut the replace short: it unloads what runs.
		restore()
		return loadOutcome{loaded: loaded, errs: []error{err}}
	}
	// The caller's ctx may be what failed the load, so the roll back does
	// not depend on it; Stop still cuts it short.
	bg, done := l.bound(context.WithoutCancel(ctx))
	defer done()
	st, uerrs := l.unloadAll(bg, loaded)
	restore()
	reloaded, rbErrs := l.loadBestEffort(bg, set)
	errs := append([]error{err}, uerrs...)
	return loadOutcome{loaded: reloaded, errs: append(errs, rbErrs...), rolledBack: true, unloaded: st}
}

// uniqueErrors drops errors whose message an earlier one has: a refusal
// met again by the roll back is one fact.
func uniqueErrors(errs []error) []error {
	seen := make(map[string]bool, len(errs))
	out := errs[:0]
	for _, err := range errs {
		if msg := err.Error(); !seen[msg] {
			seen[msg] = true
			out = append(out, err)
		}
	}
	return out
}

// loadAll loads modules in order and stops at the first failure, returning
// the modules it loaded.
func (l *Loader) loadAll(ctx context.Context, order []*entry) ([]*entry, error) {
	loaded := make([]*entry, 0, len(order))
	for _, e := range order {
		if err := l.load(ctx, e); err != nil {
			l.markDown(order[len(loaded)+1:], "loading stopped at module "+e.name+", which failed")
			return loaded, err
		}
		loaded = append(loaded, e)
	}
	return loaded, nil
}

// loadBestEffort loads every module of order whose dependencies run. It
// returns the modules it loaded and the errors of those whose load failed
// or was refused; a module skipped because a dependency is down is named
// in the report's Down list, not as an error of its own, so that one
// failure is told once.
func (l *Loader) loadBestEffort(ctx context.Context, order []*entry) ([]*entry, []error) {
	var loaded []*entry
	var errs []error
	for i, e := range order {
		if ctx.Err() != nil {
			l.markDown(order[i:], "Stop cut the operation short")
			break
		}
		if len(l.missingDeps(e)) > 0 {
			l.markDown(order[i:i+1], "")
			continue
		}
		if err := l.load(ctx, e); err != nil {
			errs = append(errs, err)
			continue
		}
		loaded = append(loaded, e)
	}
	return loaded, errs
}

// markDown records, for each module of es not running, that it was not
// loaded because a dependency is down, or else for why (a failure before
// it, Stop), so that its status says why and the restart policy leaves it
// to the restart of what failed.
func (l *Loader) markDown(es []*entry, why string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, e := range es {
		if e.cur != nil {
			continue
		}
		var missing []string
		for _, d := range e.deps {
			if l.byName[d].cur == nil {
				missing = append(missing, d)
			}
		}
		e.depDown = true
		switch {
		case len(missing) > 0:
			e.lastErr = fmt.Errorf("module %s is not loaded: its dependencies are not running: %s", e.name, nameList(missing))
		case why != "":
			e.lastErr = fmt.Errorf("module %s is not loaded: %s", e.name, why)
		default:
			e.lastErr = fmt.Errorf("module %s is not loaded", e.name)
		}
	}
}

// missingDeps returns the dependencies of e that are not running.
func (l *Loader) missingDeps(e *entry) []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	var missing []string
	for _, d := range e.deps {
		if l.byName[d].cur == nil {
			missing = append(missing, d)
		}
	}
	return missing
}

// restartDown schedules a restart of each module of set whose own load
// failed and that is still down; the modules above it come back with it.
func (l *Loader) restartDown(set, loaded []*entry) {
	for _, e := range set {
		if slices.Contains(loaded, e) {
			continue
		}
		l.mu.Lock()
		ownFailure := e.cur == nil && e.lastErr != nil && !e.depDown
		cause, gen := e.lastErr, e.lastGen
		l.mu.Unlock()
		if ownFailure {
			l.scheduleRestart(e, gen, cause)
		}
	}
}

// down returns the modules of set not in loaded.
func down(set, loaded []*entry) []string {
	var out []string
	for _, e := range set {
		if !slices.Contains(loaded, e) {
			out = append(out, e.name)
		}
	}
	return out
}

// unloadAll unloads mods in reverse order and keeps going after errors. It
// returns the generations it stopped, for the checks that follow.
func (l *Loader) unloadAll(ctx context.Context, mods []*entry) ([]*stopped, []error) {
	var st []*stopped
	var errs []error
	for _, e := range slices.Backward(mods) {
		s, err := l.unload(ctx, e)
		if err != nil {
			errs = append(errs, err)
		}
		if s != nil {
			st = append(st, s)
		}
	}
	return st, errs
}

// lookupLocked returns the entries of names, or an error naming every
// unknown one.
func (l *Loader) lookupLocked(names []string) ([]*entry, error) {
	var es []*entry
	var unknown []error
	for _, n := range names {
		e := l.byName[n]
		if e == nil {
			unknown = append(unknown, fmt.Errorf("unknown module %s%s", n, suggest(n, l.entries)))
			continue
		}
		if !slices.Contains(es, e) {
			es = append(es, e)
		}
	}
	return es, errors.Join(unknown...)
}

// closureLocked returns roots and every module that depends on one of
// them, directly or not, in load order. It costs the size of the set, not
// of the graph.
func (l *Loader) closureLocked(roots []*entry) []*entry {
	in := make(map[*entry]bool, len(roots))
	queue := make([]*entry, 0, len(roots))
	for _, e := range roots {
		if !in[e] {
			in[e] = true
			queue = append(queue, e)
		}
	}
	set := make([]*entry, 0, len(queue))
	for len(queue) > 0 {
		m := queue[0]
		queue = queue[1:]
		set = append(set, m)
		for _, d := range m.dependents {
			if !in[d] {
				in[d] = true
				queue = append(queue, d)
			}
		}
	}
	if l.order == nil {
		// Not checked yet: registration order.
		slices.SortFunc(set, func(a, b *entry) int { return cmp.Compare(a.index, b.index) })
		return set
	}
	slices.SortFunc(set, func(a, b *entry) int { return cmp.Compare(a.pos, b.pos) })
	return set
}
