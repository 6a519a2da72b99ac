package loader

import (
	"fmt"
	"io"
	"reflect"
	"strings"
	"time"
)

// State is where a module stands.
type State string

const (
	StateRunning State = "running" // a generation is loaded, and has not failed
	StateStopped State = "stopped" // not loaded (yet, or any more)
	// StateFailed: the last load failed (or a module below is down), or a
	// goroutine of the loaded generation failed (Status.Loaded says which).
	// Status.RestartAt says when the restart policy tries again.
	StateFailed State = "failed"
	StateStuck  State = "stuck" // not loaded; the last generation's goroutines outlived its deadline
)

// Status describes one module.
type Status struct {
	Name  string
	Deps  []string
	Layer int // 1-based; 0 without layers
	State State
	// Loaded says whether a generation of the module is loaded: always for
	// a running module, and for a failed one whose goroutine failed.
	Loaded bool
	// Generation is the running generation, or the last one loaded.
	Generation int
	Version    string
	// Stuck is the generation still running goroutines after its
	// deadline, or 0. A running module can have one (under StuckWarn).
	Stuck int
	// Failures counts panics in the module's goroutines, Handle.Fail calls
	// and cleanups that failed late, over all generations.
	Failures int
	// LastError says why the module failed: why its last load failed (or
	// why it was not loaded), or what its loaded generation's goroutine
	// did.
	LastError error
	// RestartAt is when the loader reloads the module next (a restart
	// after a failure, or a requested reload), or the zero time.
	RestartAt time.Time
}

// Modules returns the status of every module, in load order once the
// loader has started (registration order before).
func (l *Loader) Modules() []Status {
	l.mu.Lock()
	es := l.order
	if es == nil {
		es = l.entries
	}
	out := make([]Status, 0, len(es))
	for _, e := range es {
		s := Status{Name: e.name, Deps: append([]string(nil), e.deps...), Layer: e.layer, Generation: e.lastGen, Failures: e.failures, State: StateStopped}
		if e.stuck != nil {
			s.Stuck = e.stuck.gen
		}
		switch {
		case e.cur != nil:
			s.State = StateRunning
			s.Loaded = true
			s.Generation = e.cur.h.gen
			s.Version = e.cur.version
			if e.failErr != nil {
				s.State = StateFailed
				s.LastError = e.failErr
			}
		case e.stuck != nil:
			s.State = StateStuck
		case e.lastErr != nil:
			s.State = StateFailed
			s.LastError = e.lastErr
		}
		if s.Version == "" {
			s.Version = e.factory.version
		}
		out = append(out, s)
	}
	l.mu.Unlock()
	for i, e := range es {
		out[i].RestartAt = l.sup.dueAt(e)
	}
	return out
}

// WriteDOT writes the module graph in Graphviz DOT: one box per module
// (name, generation, state, version), an edge from each module to each of
// its dependencies, and one row per layer, bottom layer at the bottom.
func (l *Loader) WriteDOT(w io.Writer) error {
	mods := l.Modules()
	var b strings.Builder
	b.WriteString("digraph modules {\n\trankdir=BT;\n\tnode [shape=box, style=filled];\n")
	byLayer := map[int][]string{}
	maxLayer := 0
	for _, m := range mods {
		parts := []string{m.Name}
		if m.Generation > 0 {
			parts = append(parts, fmt.Sprintf("generation %d", m.Generation))
		}
		parts = append(parts, string(m.State))
		if m.Version != "" {
			parts = append(parts, m.Version)
		}
		fmt.Fprintf(&b, "\t%s [label=%s, fillcolor=%q];\n", dotString(m.Name), dotLabel(parts), stateColor(m.State))
		if m.Layer > 0 {
			byLayer[m.Layer] = append(byLayer[m.Layer], m.Name)
			maxLayer = max(maxLayer, m.Layer)
		}
	}
	for layer := 1; layer <= maxLayer; layer++ {
		fmt.Fprintf(&b, "\tsubgraph cluster_layer%d {\n\t\tlabel=\"layer %d\";\n\t\tstyle=dashed;\n", layer, layer)
		for _, name := range byLayer[layer] {
			fmt.Fprintf(&b, "\t\t%s;\n", dotString(name))
		}
		b.WriteString("\t}\n")
	}
	for _, m := range mods {
		for _, d := range m.Deps {
			fmt.Fprintf(&b, "\t%s -> %s;\n", dotString(m.Name), dotString(d))
		}
	}
	b.WriteString("}\n")
	_, err := io.WriteString(w, b.String())
	return err
}

func stateColor(s State) string {
	switch s {
	case StateRunning:
		return "palegreen"
	case StateFailed:
		return "orange"
	case StateStuck:
		return "tomato"
	default:
		return "lightgrey"
	}
}

// dotString quotes s as a DOT string.
func dotString(s string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(s) + `"`
}

// dotLabel quotes lines as one DOT label, one line each.
func dotLabel(lines []string) string {
	for i, l := range lines {
		lines[i] = strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(l)
	}
	return `"` + strings.Join(lines, `\n`) + `"`
}

// Instance returns the instance of the running module called name, as a T.
// It belongs to the module's current generation: do not keep it past an
// unload or reload of the module (the leftover reference check would
// report it); call Instance again instead.
func Instance[T any](l *Loader, name string) (T, error) {
	var zero T
	l.mu.Lock()
	e := l.byName[name]
	var v any
	running := e != nil && e.cur != nil
	if running {
		v = e.cur.inst.value
	}
	hint := ""
	if e == nil {
		hint = suggest(name, l.entries)
	}
	l.mu.Unlock()
	switch {
	case e == nil:
		return zero, fmt.Errorf("unknown module %s%s", name, hint)
	case !running:
		return zero, fmt.Errorf("module %s is not running", name)
	}
	t, ok := v.(T)
	if !ok {
		return zero, fmt.Errorf("module %s is a %T, not a %v", name, v, reflect.TypeFor[T]())
	}
	return t, nil
}
