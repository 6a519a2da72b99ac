package loader

import (
	"log/slog"
	"strconv"
	"time"
)

// DefaultStopTimeout is how long a module may take to unload, unless
// [WithStopTimeout] or [Module.StopTimeout] says otherwise.
const DefaultStopTimeout = 5 * time.Second

// DefaultLoadTimeout is how long a module's load function may run, unless
// [WithLoadTimeout] or [Module.LoadTimeout] says otherwise. Past it the
// load is abandoned: its context is cancelled, the operation goes on
// without it, and what the load built is unloaded when it returns.
const DefaultLoadTimeout = 15 * time.Second

// DefaultCheckDelay is how long the checks after an unload wait, at most,
// for the runtime's next garbage collection before forcing one (see
// [WithCheckDelay]).
const DefaultCheckDelay = time.Second

// StuckPolicy says what the loader does when asked to load a module whose
// previous generation did not stop (its goroutines outlived the deadline).
type StuckPolicy int

const (
	// StuckRefuse refuses to load the module until the old generation's
	// goroutines have returned. This is the default: the old goroutines
	// may still hold what the new generation needs (a port, a lock, a
	// file).
	StuckRefuse StuckPolicy = iota
	// StuckWarn loads the new generation beside the old one and reports a
	// "loaded beside stuck" event.
	StuckWarn
)

func (p StuckPolicy) String() string {
	switch p {
	case StuckRefuse:
		return "refuse"
	case StuckWarn:
		return "warn"
	default:
		return "StuckPolicy(" + strconv.Itoa(int(p)) + ")"
	}
}

// Option configures a [Loader].
type Option func(*options)

type options struct {
	logger      *slog.Logger
	observer    func(Event)
	layers      [][]string
	stopTimeout time.Duration
	loadTimeout time.Duration
	stuck       StuckPolicy
	refCheck    bool
	checkDelay  time.Duration
	restart     RestartPolicy
}

func defaultOptions() options {
	return options{
		logger:      slog.New(slog.DiscardHandler),
		stopTimeout: DefaultStopTimeout,
		loadTimeout: DefaultLoadTimeout,
		refCheck:    true,
		checkDelay:  DefaultCheckDelay,
		restart:     DefaultRestartPolicy(),
	}
}

// WithLogger sends the loader's events to logger. Without it events are
// not logged.
func WithLogger(logger *slog.Logger) Option {
	return func(o *options) {
		if logger != nil {
			o.logger = logger
		}
	}
}

// WithObserver calls observe with every event, in the goroutine that caused
// it. observe must return quickly. It may call [Loader.RequestReload],
// which never blocks, but not Start, Stop, Reload or Replace (they would
// wait for the operation that is calling it).
func WithObserver(observe func(Event)) Option {
	return func(o *options) { o.observer = observe }
}

// WithLayers sets the layers of the module graph, bottom (longest-lived)
// layer first, as a .reloadvet.yml lists them: layers[0] is layer 1. With
// layers set, every registered module must be in exactly one layer, every
// name in a layer must be a registered module, and every dependency must
// point to a strictly lower layer. No layers (nil or empty, as from a
// config that declares none) means no layer rule.
func WithLayers(layers [][]string) Option {
	return func(o *options) {
		if len(layers) == 0 {
			o.layers = nil
			return
		}
		o.layers = make([][]string, len(layers))
		for i, layer := range layers {
			o.layers[i] = append([]string(nil), layer...)
		}
	}
}

// WithStopTimeout sets the default time a module has to unload: to run its
// unload function and cleanups and for its goroutines to return. A module
// can set its own with [Module.StopTimeout].
func WithStopTimeout(d time.Duration) Option {
	return func(o *options) {
		if d > 0 {
			o.stopTimeout = d
		}
	}
}

// WithLoadTimeout sets the default time a module's load function may run
// (default [DefaultLoadTimeout]). A module can set its own with
// [Module.LoadTimeout]. The caller's context can shorten it.
func WithLoadTimeout(d time.Duration) Option {
	return func(o *options) {
		if d > 0 {
			o.loadTimeout = d
		}
	}
}

// WithStuckPolicy sets what happens when a module whose last generation
// did not stop is loaded again. The default is [StuckRefuse].
func WithStuckPolicy(p StuckPolicy) Option {
	return func(o *options) { o.stuck = p }
}

// WithReferenceCheck turns the leftover reference check on or off (it is
// on by default). After an unload, off the reload path, the loader waits
// for a garbage collection and reports an unloaded instance that is still
// reachable as a "leaked" event.
func WithReferenceCheck(on bool) Option {
	return func(o *options) { o.refCheck = on }
}

// WithCheckDelay sets how long the checks that follow an unload (the
// reference check, and the search for goroutines that module code started
// with a plain go statement) wait for the runtime's next garbage
// collection before forcing one; the default is [DefaultCheckDelay].
// Unloads within that time are checked together, so that a burst of
// reloads costs one pass over the process. [Loader.WaitChecks] runs the
// pending checks at once.
func WithCheckDelay(d time.Duration) Option {
	return func(o *options) {
		if d > 0 {
			o.checkDelay = d
		}
	}
}

// WithRestartPolicy sets how the loader restarts a module that failed on
// its own (see [RestartPolicy]); the default is [DefaultRestartPolicy].
// The zero RestartPolicy never restarts.
func WithRestartPolicy(p RestartPolicy) Option {
	return func(o *options) { o.restart = p.normalised() }
}
