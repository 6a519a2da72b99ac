package loader

import (
	"log/slog"
	"strconv"
	"time"
)

// DefaultStopTimeout is how long a module may take to unload, unless
// [WithStopTimeout] or [Module.StopTimeout] says otherwise.
const DefaultStopTimeout = 5 * time.Second

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
	stuck       StuckPolicy
	refCheck    bool
}

func defaultOptions() options {
	return options{
		logger:      slog.New(slog.DiscardHandler),
		stopTimeout: DefaultStopTimeout,
		refCheck:    true,
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
// it. observe must return quickly and must not call Start, Stop, Reload or
// Replace itself (they would wait for the operation that is calling it):
// hand the work to a goroutine of your own.
func WithObserver(observe func(Event)) Option {
	return func(o *options) { o.observer = observe }
}

// WithLayers sets the layers of the module graph, bottom (longest-lived)
// layer first, as a .reloadvet.yml lists them: layers[0] is layer 1. With
// layers set, every registered module must be in exactly one layer, every
// name in a layer must be a registered module, and every dependency must
// point to a strictly lower layer.
func WithLayers(layers [][]string) Option {
	return func(o *options) {
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

// WithStuckPolicy sets what happens when a module whose last generation
// did not stop is loaded again. The default is [StuckRefuse].
func WithStuckPolicy(p StuckPolicy) Option {
	return func(o *options) { o.stuck = p }
}

// WithReferenceCheck turns the leftover reference check on or off (it is
// on by default). The check runs one garbage collection after each unload
// phase (of Stop, Reload, Replace) and reports an unloaded instance that is
// still reachable as a "leaked" event.
func WithReferenceCheck(on bool) Option {
	return func(o *options) { o.refCheck = on }
}
