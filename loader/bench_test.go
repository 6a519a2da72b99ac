package loader

import (
	"context"
	"fmt"
	"runtime"
	"runtime/pprof"
	"sync"
	"testing"
)

// benchDAG is the module graph of the load and reload benchmarks: 1,000
// modules, each depending on up to three lower ones.
func benchDAG() []Module {
	return dag(1000, 1, func(string) Factory { return plain() })
}

func BenchmarkStart1000(b *testing.B) {
	mods := benchDAG()
	b.ReportAllocs()
	for b.Loop() {
		l := New()
		if err := l.Register(mods...); err != nil {
			b.Fatal(err)
		}
		if err := l.Start(context.Background()); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		if err := l.Stop(context.Background()); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
	}
}

func BenchmarkStop1000(b *testing.B) {
	for _, refCheck := range []bool{true, false} {
		b.Run(fmt.Sprintf("refcheck=%v", refCheck), func(b *testing.B) {
			mods := benchDAG()
			b.ReportAllocs()
			for b.Loop() {
				b.StopTimer()
				l := New(WithReferenceCheck(refCheck))
				if err := l.Register(mods...); err != nil {
					b.Fatal(err)
				}
				if err := l.Start(context.Background()); err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
				if err := l.Stop(context.Background()); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkReloadMidLayer reloads a module in the middle of the 1,000
// module graph, with everything that depends on it.
func BenchmarkReloadMidLayer(b *testing.B) {
	for _, refCheck := range []bool{true, false} {
		b.Run(fmt.Sprintf("refcheck=%v", refCheck), func(b *testing.B) {
			l := started(b, benchDAG(), WithReferenceCheck(refCheck))
			var n int
			b.ReportAllocs()
			report := cpuClock(b)
			for b.Loop() {
				rep, err := l.Reload(context.Background(), "m200")
				if err != nil {
					b.Fatal(err)
				}
				n = len(rep.Modules)
			}
			report()
			b.ReportMetric(float64(n), "modules/op")
		})
	}
}

func nothing(context.Context) {}

// BenchmarkGo compares Handle.Go with what it replaces: a go statement and
// a sync.WaitGroup. Each op starts one goroutine; the join at the end is
// inside the measurement for both.
func BenchmarkGo(b *testing.B) {
	b.Run("bare", func(b *testing.B) {
		ctx := context.Background()
		var wg sync.WaitGroup
		b.ReportAllocs()
		report := cpuClock(b)
		for b.Loop() {
			wg.Add(1)
			go func() {
				defer wg.Done()
				nothing(ctx)
			}()
		}
		wg.Wait()
		report()
	})
	b.Run("bare+labels", func(b *testing.B) {
		// What a hand-written labelled goroutine costs with pprof.Do.
		ctx := context.Background()
		labels := pprof.Labels(LabelModule, "bench", LabelGeneration, "1")
		var wg sync.WaitGroup
		b.ReportAllocs()
		report := cpuClock(b)
		for b.Loop() {
			wg.Add(1)
			go func() {
				defer wg.Done()
				pprof.Do(ctx, labels, nothing)
			}()
		}
		wg.Wait()
		report()
	})
	b.Run("handle", func(b *testing.B) {
		hc := make(chan *Handle, 1)
		l := New(WithReferenceCheck(false))
		if err := l.Register(Module{Name: "bench", Factory: Func(func(ctx context.Context, h *Handle) (*inst, error) {
			hc <- h
			return &inst{}, nil
		}, nil)}); err != nil {
			b.Fatal(err)
		}
		if err := l.Start(context.Background()); err != nil {
			b.Fatal(err)
		}
		h := <-hc
		b.ReportAllocs()
		report := cpuClock(b)
		for b.Loop() {
			h.Go(nothing)
		}
		if err := l.Stop(context.Background()); err != nil {
			b.Fatal(err)
		}
		report()
	})
}

// started returns a loader running mods, stopped at the end of the
// benchmark.
func started(b *testing.B, mods []Module, opts ...Option) *Loader {
	l := New(opts...)
	if err := l.Register(mods...); err != nil {
		b.Fatal(err)
	}
	if err := l.Start(context.Background()); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() {
		if err := l.Stop(context.Background()); err != nil {
			b.Error(err)
		}
	})
	return l
}

// reloadPairDAG returns n modules: n-2 of dag's, and "target", which
// depends on three of them, with "dependent" on top of it. A reload of
// target reloads target and dependent.
func reloadPairDAG(n int, factory func(string) Factory) []Module {
	mods := dag(n-2, 1, factory)
	return append(mods,
		Module{Name: "target", Deps: []string{"m000", fmt.Sprintf("m%03d", (n-2)/2), fmt.Sprintf("m%03d", n-3)}, Factory: factory("target")},
		Module{Name: "dependent", Deps: []string{"target"}, Factory: factory("dependent")},
	)
}

// worker returns a factory whose generations run one handle goroutine.
func worker(string) Factory {
	return Func(func(ctx context.Context, h *Handle) (*inst, error) {
		h.Go(func(ctx context.Context) { <-ctx.Done() })
		return &inst{}, nil
	}, nil)
}

// parked starts n goroutines that have nothing to do with the loader and
// returns the function that ends them.
func parked(n int) func() {
	quit := make(chan struct{})
	var wg sync.WaitGroup
	for range n {
		wg.Go(func() { <-quit })
	}
	return func() {
		close(quit)
		wg.Wait()
	}
}

// heapNode is one 64-byte cell of a live heap the collector must trace.
type heapNode struct {
	next *heapNode
	_    [56]byte
}

// liveHeap returns a linked list of about mb megabytes.
func liveHeap(mb int) *heapNode {
	var head *heapNode
	for range mb << 20 / 64 {
		head = &heapNode{next: head}
	}
	return head
}

// BenchmarkReload reloads one module and its one dependent in a large
// module graph: the reload's cost should follow the work (two modules), not
// the size of the graph, the number of goroutines or the heap.
func BenchmarkReload(b *testing.B) {
	cases := []struct {
		name    string
		modules int
		factory func(string) Factory
		opts    []Option
		setup   func() func()
	}{
		{name: "modules=1000", modules: 1000, factory: func(string) Factory { return plain() }},
		{name: "modules=1000/refcheck=false", modules: 1000, factory: func(string) Factory { return plain() }, opts: []Option{WithReferenceCheck(false)}},
		{name: "modules=1000/goroutines=10000", modules: 1000, factory: func(string) Factory { return plain() }, setup: func() func() { return parked(10000) }},
		{name: "modules=1000/goroutine-per-module", modules: 1000, factory: worker},
		{name: "modules=1000/heap=256MB", modules: 1000, factory: func(string) Factory { return plain() }, setup: func() func() {
			h := liveHeap(256)
			return func() { runtime.KeepAlive(h) }
		}},
		{name: "modules=10000", modules: 10000, factory: func(string) Factory { return plain() }},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			if c.setup != nil {
				defer c.setup()()
			}
			l := started(b, reloadPairDAG(c.modules, c.factory), c.opts...)
			var n int
			reads := l.profileReads.Load()
			b.ReportAllocs()
			report := cpuClock(b)
			for b.Loop() {
				rep, err := l.Reload(context.Background(), "target")
				if err != nil {
					b.Fatal(err)
				}
				n = len(rep.Modules)
			}
			report()
			if n != 2 {
				b.Fatalf("reloaded %d modules, want 2", n)
			}
			// The checks that follow the reloads run beside them: they
			// belong to the cost.
			if err := l.WaitChecks(context.Background()); err != nil {
				b.Fatal(err)
			}
			b.ReportMetric(float64(l.profileReads.Load()-reads)/float64(b.N), "profiles/op")
		})
	}
}
