package loader

import (
	"context"
	"errors"
	"testing"
	"time"
)

func TestCheckRefusesCycles(t *testing.T) {
	t.Parallel()
	j := &journal{}
	l := New()
	mustRegister(t, l,
		Module{Name: "a", Deps: []string{"b"}, Factory: logged(j, "a")},
		Module{Name: "b", Deps: []string{"c"}, Factory: logged(j, "b")},
		Module{Name: "c", Deps: []string{"a"}, Factory: logged(j, "c")},
		Module{Name: "d", Deps: []string{"d"}, Factory: logged(j, "d")},
		Module{Name: "e", Factory: logged(j, "e")}, // ok: outside every cycle
		Module{Name: "f", Deps: []string{"e", "g"}, Factory: logged(j, "f")},
		Module{Name: "g", Deps: []string{"f"}, Factory: logged(j, "g")},
	)
	err := l.Start(context.Background())
	want := "module graph refused, 3 problems:\n" +
		"\tmodule cycle: a -> b -> c -> a\n" +
		"\tmodule cycle: d -> d\n" +
		"\tmodule cycle: f -> g -> f"
	if err == nil || err.Error() != want {
		t.Fatalf("got error:\n%v\nwant:\n%s", err, want)
	}
	var ce *CycleError
	if !errors.As(err, &ce) || len(ce.Cycle) != 4 {
		t.Errorf("errors.As(*CycleError) = %v", ce)
	}
	if got := j.take(); len(got) != 0 {
		t.Errorf("a refused graph loaded modules: %v", got)
	}
}

func TestCheckNamesTheShortestCycle(t *testing.T) {
	t.Parallel()
	l := New()
	// a -> b -> c -> d -> a and the shortcut b -> a: one component. The
	// first cycle takes the short way round; a second names c and d.
	mustRegister(t, l,
		Module{Name: "a", Deps: []string{"b"}, Factory: plain()},
		Module{Name: "b", Deps: []string{"c", "a"}, Factory: plain()},
		Module{Name: "c", Deps: []string{"d"}, Factory: plain()},
		Module{Name: "d", Deps: []string{"a"}, Factory: plain()},
	)
	err := l.Check()
	want := "module graph refused, 2 problems:\n\tmodule cycle: a -> b -> a\n\tmodule cycle: c -> d -> a -> b -> c"
	if err == nil || err.Error() != want {
		t.Fatalf("got error:\n%v\nwant:\n%s", err, want)
	}
}

func TestCheckRefusesUnknownDependencies(t *testing.T) {
	t.Parallel()
	l := New()
	mustRegister(t, l,
		Module{Name: "store", Factory: plain()},
		Module{Name: "api", Deps: []string{"stor", "billing"}, Factory: plain()},
	)
	err := l.Start(context.Background())
	want := "module graph refused, 2 problems:\n" +
		"\tmodule api depends on unknown module stor (did you mean store?)\n" +
		"\tmodule api depends on unknown module billing"
	if err == nil || err.Error() != want {
		t.Fatalf("got error:\n%v\nwant:\n%s", err, want)
	}
}

func TestCheckEnforcesLayers(t *testing.T) {
	t.Parallel()
	j := &journal{}
	l := New(WithLayers([][]string{
		{"store", "cache"},  // layer 1
		{"api", "web"},      // layer 2
		{"admin", "casche"}, // layer 3
		{"cache"},           // layer 4: cache again
	}))
	mustRegister(t, l,
		Module{Name: "store", Factory: logged(j, "store")},
		Module{Name: "cache", Factory: logged(j, "cache")},
		Module{Name: "api", Deps: []string{"store", "admin"}, Factory: logged(j, "api")},
		Module{Name: "web", Deps: []string{"api"}, Factory: logged(j, "web")},
		Module{Name: "admin", Deps: []string{"api"}, Factory: logged(j, "admin")}, // ok: 3 on 2
		Module{Name: "metrics", Factory: logged(j, "metrics")},
	)
	err := l.Start(context.Background())
	want := "module graph refused, 6 problems:\n" +
		"\tlayer 3 names module casche, which is not registered (did you mean cache?)\n" +
		"\tmodule cache is in layer 1 and layer 4: a module belongs to one layer\n" +
		"\tmodule metrics is in no layer: with layers set, every module must be in one of the 4 layers\n" +
		"\tmodule cycle: api -> admin -> api\n" +
		"\tmodule api (layer 2) depends on module admin (layer 3): a module may only depend on lower layers\n" +
		"\tmodule web (layer 2) depends on module api (layer 2): a module may only depend on lower layers\n"
	want = want[:len(want)-1]
	if err == nil || err.Error() != want {
		t.Fatalf("got error:\n%v\nwant:\n%s", err, want)
	}
	var le *LayerError
	if !errors.As(err, &le) || le.Module != "api" || le.DepLayer != 3 {
		t.Errorf("errors.As(*LayerError) = %+v", le)
	}
	if got := j.take(); len(got) != 0 {
		t.Errorf("a refused graph loaded modules: %v", got)
	}
}

func TestLayersAcceptAGoodGraph(t *testing.T) {
	t.Parallel()
	j := &journal{}
	l := New(WithLayers([][]string{{"store"}, {"greeter"}, {"api"}}))
	mustRegister(t, l,
		Module{Name: "api", Deps: []string{"greeter", "store"}, Factory: logged(j, "api")}, // ok: 3 on 2 and 1
		Module{Name: "greeter", Deps: []string{"store"}, Factory: logged(j, "greeter")},
		Module{Name: "store", Factory: logged(j, "store")},
	)
	mustStart(t, l)
	equalLines(t, "load order", j.take(), []string{"load store", "load greeter", "load api"})
	if err := l.Stop(context.Background()); err != nil {
		t.Fatal(err)
	}
	equalLines(t, "unload order", j.take(), []string{"unload api", "unload greeter", "unload store"})
	for _, s := range l.Modules() {
		if want := map[string]int{"store": 1, "greeter": 2, "api": 3}[s.Name]; s.Layer != want {
			t.Errorf("module %s: layer %d, want %d", s.Name, s.Layer, want)
		}
	}
}

func TestRegisterRefusesBadModules(t *testing.T) {
	t.Parallel()
	l := New()
	mustRegister(t, l, Module{Name: "store", Factory: plain()})
	err := l.Register(
		Module{Name: "", Factory: plain()},
		Module{Name: "store", Factory: plain()},
		Module{Name: "api", Deps: []string{"store", "store"}},
		Module{Name: "my api", Factory: plain(), StopTimeout: -1},
		Module{Name: "web", Factory: plain(), LoadTimeout: -time.Second},
	)
	want := "register: module #1 has no name\n" +
		"module store is registered twice\n" +
		"module api has no factory (build one with loader.Func)\n" +
		"module api lists dependency store twice\n" +
		"module name \"my api\" contains a space or a quote\n" +
		"module my api has a negative stop timeout -1ns\n" +
		"module web has a negative load timeout -1s (0 means the loader's default)"
	if err == nil || err.Error() != want {
		t.Fatalf("got error:\n%v\nwant:\n%s", err, want)
	}
	if got := len(l.Modules()); got != 1 {
		t.Errorf("after a refused Register, %d modules, want 1", got)
	}
	mustStart(t, l)
	stopAtEnd(t, l)
	if err := l.Register(Module{Name: "late", Factory: plain()}); err == nil {
		t.Error("Register after Start succeeded")
	}
}
