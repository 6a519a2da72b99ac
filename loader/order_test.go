package loader

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// dag returns n modules named m000..m(n-1); each depends on up to three
// modules with a smaller number, and they are registered in a shuffled
// order, so that load order has to come from the dependencies.
func dag(n int, seed uint64, factory func(name string) Factory) []Module {
	r := rand.New(rand.NewPCG(seed, seed))
	mods := make([]Module, n)
	for i := range mods {
		name := fmt.Sprintf("m%03d", i)
		var deps []string
		if i > 0 {
			for range r.IntN(4) {
				d := fmt.Sprintf("m%03d", r.IntN(i))
				if !slices.Contains(deps, d) {
					deps = append(deps, d)
				}
			}
		}
		mods[i] = Module{Name: name, Deps: deps, Factory: factory(name)}
	}
	r.Shuffle(len(mods), func(i, j int) { mods[i], mods[j] = mods[j], mods[i] })
	return mods
}

// verb strips "load "/"unload " from journal lines.
func journalNames(lines []string, verb string) []string {
	var out []string
	for _, l := range lines {
		if name, ok := strings.CutPrefix(l, verb+" "); ok {
			out = append(out, name)
		}
	}
	return out
}

func checkAfterDeps(t *testing.T, order []string, deps map[string][]string, scope map[string]bool) {
	t.Helper()
	pos := map[string]int{}
	for i, n := range order {
		pos[n] = i
	}
	for _, n := range order {
		for _, d := range deps[n] {
			if p, ok := pos[d]; ok && p > pos[n] {
				t.Errorf("%s loaded before its dependency %s", n, d)
			} else if !ok && (scope == nil || scope[d]) {
				t.Errorf("%s loaded but its dependency %s was not", n, d)
			}
		}
	}
}

func TestOrderOnAGeneratedGraph(t *testing.T) {
	t.Parallel()
	j := &journal{}
	mods := dag(200, 7, func(name string) Factory { return logged(j, name) })
	deps := map[string][]string{}
	dependents := map[string][]string{}
	for _, m := range mods {
		deps[m.Name] = m.Deps
		for _, d := range m.Deps {
			dependents[d] = append(dependents[d], m.Name)
		}
	}
	l := New(WithReferenceCheck(true))
	mustRegister(t, l, mods...)
	mustStart(t, l)

	loadOrder := journalNames(j.take(), "load")
	if len(loadOrder) != 200 {
		t.Fatalf("loaded %d modules, want 200", len(loadOrder))
	}
	checkAfterDeps(t, loadOrder, deps, nil)

	// Reload a module in the middle: it and its dependents, transitively,
	// unload top-down and load bottom-up; nothing else moves.
	target := "m050"
	affected := map[string]bool{target: true}
	for queue := []string{target}; len(queue) > 0; queue = queue[1:] {
		for _, d := range dependents[queue[0]] {
			if !affected[d] {
				affected[d] = true
				queue = append(queue, d)
			}
		}
	}
	before := generations(l)
	rep, err := l.Reload(context.Background(), target)
	if err != nil {
		t.Fatal(err)
	}
	lines := j.take()
	unloaded, loaded := journalNames(lines, "unload"), journalNames(lines, "load")
	if len(unloaded) != len(affected) || len(loaded) != len(affected) {
		t.Fatalf("reload unloaded %d and loaded %d modules, want %d", len(unloaded), len(loaded), len(affected))
	}
	for i, line := range lines {
		if i < len(affected) != strings.HasPrefix(line, "unload ") {
			t.Fatalf("reload did not unload everything before loading: %v", lines)
		}
	}
	reversed := slices.Clone(unloaded)
	slices.Reverse(reversed)
	equalLines(t, "reload load order (the unload order reversed)", loaded, reversed)
	checkAfterDeps(t, loaded, deps, affected)
	equalLines(t, "report", rep.Modules, loaded)
	after := generations(l)
	for name, gen := range after {
		want := before[name]
		if affected[name] {
			want++
		}
		if gen != want {
			t.Errorf("module %s: generation %d after reload, want %d", name, gen, want)
		}
	}

	// Stop unloads in the exact reverse of the load order in effect.
	if err := l.Stop(context.Background()); err != nil {
		t.Fatal(err)
	}
	stopOrder := journalNames(j.take(), "unload")
	want := slices.Clone(loadOrder)
	slices.Reverse(want)
	equalLines(t, "stop order", stopOrder, want)
}

func generations(l *Loader) map[string]int {
	out := map[string]int{}
	for _, s := range l.Modules() {
		out[s.Name] = s.Generation
	}
	return out
}

func TestStartFailureUnloadsWhatStarted(t *testing.T) {
	t.Parallel()
	j := &journal{}
	l := New()
	mustRegister(t, l,
		Module{Name: "store", Factory: logged(j, "store")},
		Module{Name: "cache", Deps: []string{"store"}, Factory: logged(j, "cache")},
		Module{Name: "api", Deps: []string{"cache"}, Factory: Func(func(ctx context.Context, h *Handle) (*inst, error) {
			h.Go(func(ctx context.Context) { <-ctx.Done() }) // ok: stopped by the failed load's cleanup
			return nil, fmt.Errorf("port 8080 in use")
		}, nil)},
		Module{Name: "web", Deps: []string{"api"}, Factory: logged(j, "web")},
	)
	err := l.Start(context.Background())
	want := "start: load module api (generation 1): port 8080 in use"
	if err == nil || err.Error() != want {
		t.Fatalf("got %v, want %s", err, want)
	}
	equalLines(t, "journal", j.take(), []string{"load store", "load cache", "unload cache", "unload store"})
	for _, s := range l.Modules() {
		if s.State == StateRunning {
			t.Errorf("module %s still running after a failed start", s.Name)
		}
	}
	if s := l.Modules()[2]; s.Name != "api" || s.State != StateFailed || s.LastError == nil {
		t.Errorf("status of api = %+v, want failed with its error", s)
	}
}

func TestStopKeepsGoingAfterErrors(t *testing.T) {
	t.Parallel()
	j := &journal{}
	failing := func(name string) Factory {
		return Func(func(ctx context.Context, h *Handle) (*inst, error) {
			h.OnUnload(func(ctx context.Context) error {
				j.add("cleanup %s", name)
				return fmt.Errorf("flush %s: disk full", name)
			})
			return &inst{}, nil
		}, func(ctx context.Context, i *inst) error {
			j.add("unload %s", name)
			return fmt.Errorf("close %s: broken pipe", name)
		})
	}
	l := New()
	mustRegister(t, l,
		Module{Name: "a", Factory: failing("a")},
		Module{Name: "b", Deps: []string{"a"}, Factory: logged(j, "b")},
		Module{Name: "c", Deps: []string{"b"}, Factory: failing("c")},
	)
	mustStart(t, l)
	j.take()
	err := l.Stop(context.Background())
	equalLines(t, "journal", j.take(), []string{"unload c", "cleanup c", "unload b", "unload a", "cleanup a"})
	if err == nil {
		t.Fatal("Stop returned no error")
	}
	msg := err.Error()
	for _, want := range []string{
		"unload module c (generation 1): close c: broken pipe",
		"flush c: disk full",
		"unload module a (generation 1): close a: broken pipe",
		"flush a: disk full",
		"order_test.go:", // where the failing cleanup was registered
	} {
		if !strings.Contains(msg, want) {
			t.Errorf("stop error lacks %q:\n%s", want, msg)
		}
	}
	if err := l.Stop(context.Background()); err != nil {
		t.Errorf("second Stop: %v", err)
	}
	if err := l.Start(context.Background()); err == nil || !strings.Contains(err.Error(), "stopped") {
		t.Errorf("Start after Stop = %v, want an error saying the loader is stopped", err)
	}
}
