package loader

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// ErrStopped is returned by operations on a loader after [Loader.Stop].
var ErrStopped = errors.New("the loader is stopped")

// GraphError is the refusal of a module graph that breaks the rules. It
// lists every problem found, in a stable order.
type GraphError struct {
	Problems []error
}

func (e *GraphError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "module graph refused, %s:", plural(len(e.Problems), "problem"))
	for _, p := range e.Problems {
		b.WriteString("\n\t")
		b.WriteString(p.Error())
	}
	return b.String()
}

// Unwrap returns the problems, for errors.Is and errors.As.
func (e *GraphError) Unwrap() []error { return e.Problems }

// CycleError is a dependency cycle. Cycle starts and ends with the same
// module.
type CycleError struct {
	Cycle []string
}

func (e *CycleError) Error() string {
	return "module cycle: " + strings.Join(e.Cycle, " -> ")
}

// LayerError is a dependency that does not point to a strictly lower layer.
type LayerError struct {
	Module, Dep           string
	ModuleLayer, DepLayer int
}

func (e *LayerError) Error() string {
	return fmt.Sprintf("module %s (layer %d) depends on module %s (layer %d): a module may only depend on lower layers",
		e.Module, e.ModuleLayer, e.Dep, e.DepLayer)
}

// PanicError is a panic recovered in a goroutine of a module generation, or
// in its load or unload function.
type PanicError struct {
	Module     string
	Generation int
	// Where is "goroutine", "load" or "unload".
	Where string
	Value any
	Stack []byte
}

func (e *PanicError) Error() string {
	if e.Where == "goroutine" {
		// A failure of a running module, reported on its own: say whose.
		return fmt.Sprintf("module %s (generation %d): goroutine panicked: %v", e.Module, e.Generation, e.Value)
	}
	// Load and unload errors already name the module.
	return fmt.Sprintf("%s panicked: %v", e.Where, e.Value)
}

// StopTimeoutError reports a generation whose goroutines were still running
// when its stop deadline passed. For a generation that ran, the module is
// then stuck: see [WithStuckPolicy].
type StopTimeoutError struct {
	Module     string
	Generation int
	// Timeout is the time the generation was given to stop; 0 when the
	// caller's deadline had already passed.
	Timeout time.Duration
	// Goroutines lists the goroutines that still carried the generation's
	// labels at the deadline, grouped by identical stacks.
	Goroutines []Goroutine
	// Classified says whether the runtime could tell the goroutines blocked
	// for ever from the others (Go 1.26 built with
	// GOEXPERIMENT=goroutineleakprofile, or a later Go): then each
	// Goroutine's Leaked counts them.
	Classified bool
}

func (e *StopTimeoutError) Error() string {
	n, leaked := 0, 0
	for _, g := range e.Goroutines {
		n += g.Count
		leaked += g.Leaked
	}
	var b strings.Builder
	if e.Timeout > 0 {
		fmt.Fprintf(&b, "module %s (generation %d) did not stop within %v: ", e.Module, e.Generation, e.Timeout)
	} else {
		fmt.Fprintf(&b, "module %s (generation %d) had no time to stop (the deadline had passed): ", e.Module, e.Generation)
	}
	switch {
	case !e.Classified || leaked == 0:
		fmt.Fprintf(&b, "%s still running", plural(n, "goroutine"))
	case leaked == n:
		fmt.Fprintf(&b, "%s blocked for ever", plural(n, "goroutine"))
	default:
		fmt.Fprintf(&b, "%s blocked for ever, %d still running", plural(leaked, "goroutine"), n-leaked)
	}
	for _, g := range e.Goroutines {
		b.WriteString("\n")
		b.WriteString(g.String())
	}
	return b.String()
}

// LoadTimeoutError is a load that its load timeout ended (see
// [WithLoadTimeout]): either the load function did not return by then and
// was abandoned, or it returned Err once its context ended.
type LoadTimeoutError struct {
	Module     string
	Generation int
	Timeout    time.Duration
	// Err is what the load function returned after the timeout, or nil if
	// it was abandoned.
	Err error
}

func (e *LoadTimeoutError) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("its load timeout (%v) passed: %v", e.Timeout, e.Err)
	}
	return fmt.Sprintf("load did not return within its load timeout (%v)", e.Timeout)
}

// Unwrap returns the load function's error.
func (e *LoadTimeoutError) Unwrap() error { return e.Err }

// StuckError refuses to load a module whose previous generation still has
// goroutines running, under the [StuckRefuse] policy.
type StuckError struct {
	Module     string
	Generation int // the generation still running
	Goroutines int
}

func (e *StuckError) Error() string {
	return fmt.Sprintf("module %s is stuck: generation %d still has %s running; refusing to load a new generation beside it (WithStuckPolicy(StuckWarn) would allow it)",
		e.Module, e.Generation, plural(e.Goroutines, "goroutine"))
}

// LeftoverError reports an unloaded generation whose instance is still
// reachable after a garbage collection: something still holds the old
// code's state.
type LeftoverError struct {
	Module     string
	Generation int
}

func (e *LeftoverError) Error() string {
	return fmt.Sprintf("module %s (generation %d) is still reachable after unload: something still holds the old generation's instance", e.Module, e.Generation)
}

func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return fmt.Sprintf("%d %ss", n, what)
}
