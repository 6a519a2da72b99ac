package loader

import (
	"bufio"
	"bytes"
	"fmt"
	"maps"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
)

// Goroutine is a group of goroutines with the same labels and stack, as
// the runtime's goroutine profile reports them.
type Goroutine struct {
	Count int
	// Leaked counts the goroutines of the group that the runtime found
	// blocked for ever (on a channel, lock or wait group nothing else can
	// reach): they will never return. It is set only in a
	// [StopTimeoutError] whose Classified is true; the others may still be
	// running, sleeping or waiting for something that can come.
	Leaked int
	Labels map[string]string
	// Stack holds one frame per entry, innermost first, as
	// "function file:line".
	Stack []string
}

// Module returns the module named in the goroutine's labels.
func (g Goroutine) Module() string { return g.Labels[LabelModule] }

// Generation returns the generation named in the goroutine's labels, or 0.
func (g Goroutine) Generation() int {
	n, _ := strconv.Atoi(g.Labels[LabelGeneration])
	return n
}

func (g Goroutine) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s of module %s (generation %s)", plural(g.Count, "goroutine"), g.Labels[LabelModule], g.Labels[LabelGeneration])
	switch g.Leaked {
	case 0:
	case g.Count:
		b.WriteString(", blocked for ever")
	default:
		fmt.Fprintf(&b, ", %d blocked for ever", g.Leaked)
	}
	b.WriteString(":")
	for _, f := range g.Stack {
		b.WriteString("\n\t")
		b.WriteString(f)
	}
	return b.String()
}

// Goroutines returns the goroutines running in the process that carry the
// labels of this loader's module name (of any generation), grouped by
// stack. It reads the runtime's goroutine profile, which costs tens of
// microseconds and more with many goroutines.
func (l *Loader) Goroutines(name string) ([]Goroutine, error) {
	all, err := l.readGoroutines("goroutine")
	if err != nil {
		return nil, err
	}
	var out []Goroutine
	for _, g := range all {
		if g.Labels[LabelLoader] == l.id && g.Labels[LabelModule] == name {
			out = append(out, g)
		}
	}
	return out, nil
}

// readGoroutines returns every goroutine group of the named profile
// ("goroutine" or "goroutineleak") that carries labels. Its cost grows with
// the number of goroutines in the process, so the loader reads a profile
// only when something is late (a stop deadline passed, a stuck module is
// loaded again) and in the checks that follow an unload, off the reload
// path.
func (l *Loader) readGoroutines(profile string) ([]Goroutine, error) {
	l.profileReads.Add(1)
	p := pprof.Lookup(profile)
	if p == nil {
		return nil, fmt.Errorf("read %s profile: the runtime has none", profile)
	}
	var buf bytes.Buffer
	if err := p.WriteTo(&buf, 1); err != nil {
		return nil, fmt.Errorf("read %s profile: %w", profile, err)
	}
	return parseGoroutineProfile(buf.Bytes()), nil
}

// hasLeakProfile reports whether the runtime can tell goroutines blocked
// for ever from the others: Go 1.26 built with
// GOEXPERIMENT=goroutineleakprofile, and Go 1.27 on.
func hasLeakProfile() bool { return pprof.Lookup("goroutineleak") != nil }

// classify sets Leaked in gs from the runtime's goroutineleak profile and
// reports whether it could. The profile runs a garbage collection that
// looks for goroutines blocked on what nothing else can reach; it is read
// only for a report of goroutines that outlived their deadline.
func (l *Loader) classify(gs []Goroutine) bool {
	if len(gs) == 0 || !hasLeakProfile() {
		return false
	}
	leaked, err := l.readGoroutines("goroutineleak")
	if err != nil {
		return false
	}
	left := map[string]int{}
	for _, g := range leaked {
		left[g.key()] += g.Count
	}
	for i := range gs {
		k := gs[i].key()
		n := min(left[k], gs[i].Count)
		gs[i].Leaked = n
		left[k] -= n
	}
	return true
}

// key identifies a group across the goroutine and goroutineleak profiles,
// which print labels and stacks alike.
func (g Goroutine) key() string {
	var b strings.Builder
	for _, k := range slices.Sorted(maps.Keys(g.Labels)) {
		b.WriteString(strconv.Quote(k) + ":" + strconv.Quote(g.Labels[k]) + ",")
	}
	for _, f := range g.Stack {
		b.WriteString("\n" + f)
	}
	return b.String()
}

// parseGoroutineProfile reads the text goroutine profile (debug=1), keeping
// labelled groups. A group looks like:
//
//	3 @ 0x47e40e 0x4158ee 0x484941
//	# labels: {"generation":"1", "module":"a"}
//	#	0x4dde90	main.main.func1+0x70	/tmp/main.go:22
func parseGoroutineProfile(p []byte) []Goroutine {
	var out []Goroutine
	var cur *Goroutine
	sc := bufio.NewScanner(bytes.NewReader(p))
	sc.Buffer(make([]byte, 0, 64*1024), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		switch {
		case line == "":
			cur = nil
		case strings.HasPrefix(line, "# labels: "):
			if cur != nil {
				cur.Labels = parseLabels(strings.TrimPrefix(line, "# labels: "))
			}
		case strings.HasPrefix(line, "#\t"):
			if cur != nil && cur.Labels != nil {
				cur.Stack = append(cur.Stack, parseFrame(line))
			}
		default:
			count, _, ok := strings.Cut(line, " @ ")
			n, err := strconv.Atoi(count)
			if !ok || err != nil {
				cur = nil
				continue
			}
			out = append(out, Goroutine{Count: n})
			cur = &out[len(out)-1]
		}
	}
	labelled := out[:0]
	for _, g := range out {
		if g.Labels != nil {
			labelled = append(labelled, g)
		}
	}
	return labelled
}

// parseLabels reads {"k":"v", "k2":"v2"}, where keys and values are Go
// quoted strings.
func parseLabels(s string) map[string]string {
	m := map[string]string{}
	s = strings.TrimSuffix(strings.TrimPrefix(s, "{"), "}")
	for s != "" {
		k, rest, ok := unquotePrefix(s)
		if !ok || !strings.HasPrefix(rest, ":") {
			break
		}
		v, rest, ok := unquotePrefix(rest[1:])
		if !ok {
			break
		}
		m[k] = v
		s = strings.TrimPrefix(strings.TrimPrefix(rest, ","), " ")
	}
	return m
}

func unquotePrefix(s string) (string, string, bool) {
	q, err := strconv.QuotedPrefix(s)
	if err != nil {
		return "", s, false
	}
	v, err := strconv.Unquote(q)
	if err != nil {
		return "", s, false
	}
	return v, s[len(q):], true
}

// parseFrame turns "#\t0x4dde90\tmain.f+0x70\t/tmp/main.go:22" into
// "main.f /tmp/main.go:22".
func parseFrame(line string) string {
	var fields []string
	for _, f := range strings.Split(line, "\t")[1:] {
		if f != "" {
			fields = append(fields, f)
		}
	}
	switch len(fields) {
	case 0:
		return ""
	case 1:
		return fields[0]
	case 2:
		return trimOffset(fields[1])
	default:
		return trimOffset(fields[1]) + " " + fields[2]
	}
}

func trimOffset(fn string) string {
	if i := strings.LastIndex(fn, "+0x"); i > 0 {
		return fn[:i]
	}
	return fn
}
