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
// when its stop deadline passed. The module is then stuck: see
// [WithStuckPolicy].
type StopTimeoutError struct {
	Module     string
	Generation int
	Timeout    time.Duration
	// Goroutines lists the goroutines that still carried the generation's
	// labels at the deadline, grouped by identical stacks.
	Goroutines []Goroutine
}

func (e *StopTimeoutError) Error() string {
	n := 0
	for _, g := range e.Goroutines {
		n += g.Count
	}
	var b strings.Builder
	fmt.Fprintf(&b, "module %s (generation %d) did not stop within %v: %s still running",
		e.Module, e.Generation, e.Timeout, plural(n, "goroutine"))
	for _, g := range e.Goroutines {
		b.WriteString("\n")
		b.WriteString(g.String())
	}
	return b.String()
}

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
