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
	Reloaded     EventKind = "reloaded"     // Reload or Replace finished
	RolledBack   EventKind = "rolled back"  // a failed reload loaded the previous code again
	StopTimeout  EventKind = "stop timeout" // goroutines outlived the deadline: the module is stuck
	// Leaked: an unloaded instance is still reachable after a garbage
	// collection.
	Leaked EventKind = "leaked"
	// LoadedBesideStuck: a module was loaded while its previous generation
	// is stuck, under StuckWarn.
	LoadedBesideStuck EventKind = "loaded beside stuck"
	Unstuck           EventKind = "unstuck" // the goroutines of a stuck generation have returned
	Failed            EventKind = "failed"  // a goroutine of the module panicked, or a late cleanup failed
	GoAfterUnload     EventKind = "go after unload"
)

// Event is something that happened to a module or to the loader.
type Event struct {
	Kind       EventKind
	Module     string // empty for loader-wide events
	Generation int
	Version    string
	// Modules lists the modules concerned by Started, Stopped, Reloaded
	// and RolledBack, in the order they were loaded or unloaded.
	Modules  []string
	Duration time.Duration
	Err      error
}

func (k EventKind) level() slog.Level {
	switch k {
	case LoadFailed, UnloadFailed, StopTimeout, Failed:
		return slog.LevelError
	case RolledBack, Leaked, LoadedBesideStuck, GoAfterUnload:
		return slog.LevelWarn
	default:
		return slog.LevelInfo
	}
}

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
