package loader

import (
	"context"
	"fmt"
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
			l := New(WithReferenceCheck(refCheck))
			if err := l.Register(benchDAG()...); err != nil {
				b.Fatal(err)
			}
			if err := l.Start(context.Background()); err != nil {
				b.Fatal(err)
			}
			defer func() {
				if err := l.Stop(context.Background()); err != nil {
					b.Error(err)
				}
			}()
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
