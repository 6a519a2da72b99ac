package loader

import (
	"context"
	"errors"
	"log/slog"
	"time"
)

// EventKind names an event. The names are stable: they are the messages of
// the slog records the loader writes.
type EventKind string

const (
	Started    EventKind = "started" // every module loaded by Start
	Stopped    EventKind = "stopped" // Stop finished
	Loaded     EventKind = "loaded"  // a generation loaded
	LoadFailed EventKind = "load failed"
	Unloaded   EventKind = "unloaded" // a generation unloaded
	// UnloadFailed: the unload function or a cleanup failed; the generation
	// is unloaded all the same.
	UnloadFailed EventKind = "unload failed"
	Reloaded     EventKind = "reloaded"      // Reload or Replace loaded every module of its set
	RolledBack   EventKind = "rolled back"   // new code failed, and the previous code of the whole set runs again
	ReloadFailed EventKind = "reload failed" // a reload left modules of its set down
	// StopTimeout: goroutines outlived the deadline. For a generation that
	// ran, the module is stuck.
	StopTimeout EventKind = "stop timeout"
	// Leaked: an unloaded instance is still reachable after a garbage
	// collection.
	Leaked EventKind = "leaked"
	// LoadedBesideStuck: a module was loaded while its previous generation
	// is stuck, under StuckWarn.
	LoadedBesideStuck EventKind = "loaded beside stuck"
	Unstuck           EventKind = "unstuck" // the goroutines of a stuck generation have returned
	// Failed: a goroutine of the module panicked, the module called
	// Handle.Fail, or a late cleanup failed.
	Failed        EventKind = "failed"
	GoAfterUnload EventKind = "go after unload"
	// RestartScheduled: the loader will reload a module that failed, after
	// Duration (the restart policy's backoff).
	RestartScheduled EventKind = "restart scheduled"
	// GaveUp: a module failed more often than the restart policy's limit;
	// the loader no longer restarts it.
	GaveUp EventKind = "gave up"
)

// Event is something that happened to a module or to the loader.
type Event struct {
	Kind       EventKind
	Module     string // empty for loader-wide events
	Generation int
	Version    string
	// Modules lists the modules concerned by Started, Stopped, Reloaded,
	// RolledBack and ReloadFailed, in the order they were loaded or
	// unloaded.
	Modules []string
	// Duration is how long the operation took, or for RestartScheduled
	// the delay before the restart.
	Duration time.Duration
	Err      error
}

func (k EventKind) level() slog.Level {
	switch k {
	case LoadFailed, UnloadFailed, StopTimeout, Failed, ReloadFailed, GaveUp:
		return slog.LevelError
	case RolledBack, Leaked, LoadedBesideStuck, GoAfterUnload, RestartScheduled:
		return slog.LevelWarn
	default:
		return slog.LevelInfo
	}
}

// emit reports an event. It is never called with a lock of the loader
// held, so that an observer may call the loader's methods that do not wait
// (RequestReload, Modules, Goroutines).
func (l *Loader) emit(ev Event) {
	if l.opts.observer != nil {
		l.opts.observer(ev)
	}
	level := ev.Kind.level()
	ctx := context.Background()
	if !l.opts.logger.Enabled(ctx, level) {
		return
	}
	attrs := make([]slog.Attr, 0, 6)
	if ev.Module != "" {
		attrs = append(attrs, slog.String("module", ev.Module))
	}
	if ev.Generation != 0 {
		attrs = append(attrs, slog.Int("generation", ev.Generation))
	}
	if ev.Version != "" {
		attrs = append(attrs, slog.String("version", ev.Version))
	}
	if ev.Modules != nil {
		attrs = append(attrs, slog.Any("modules", ev.Modules))
	}
	if ev.Duration != 0 {
		attrs = append(attrs, slog.Duration("duration", ev.Duration))
	}
	if ev.Err != nil {
		attrs = append(attrs, slog.String("error", ev.Err.Error()))
		var pe *PanicError
		if errors.As(ev.Err, &pe) {
			attrs = append(attrs, slog.String("stack", string(pe.Stack)))
		}
	}
	l.opts.logger.LogAttrs(ctx, level, string(ev.Kind), attrs...)
}
