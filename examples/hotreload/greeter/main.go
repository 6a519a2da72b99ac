// Command greeter is the example's reloadable module, built as a Go
// plugin. Everything that changes between versions is in this package: the
// program never links it, so each build, given a fresh package identity,
// loads beside the previous ones (see run.sh).
package main

import (
	"context"
	"fmt"
	"sync/atomic"
	"time"

	"github.com/reloadvet/reloadvet/examples/hotreload/contract"
	"github.com/reloadvet/reloadvet/loader"
)

// greeting is the line run.sh changes to make version 2.
const greeting = "Hello"

type greeter struct {
	visits contract.Visits
	gen    int
	// uptime is kept by the generation's goroutine, to show one that
	// unload must join.
	uptime atomic.Int64
}

func (g *greeter) Greet(name string) string {
	return fmt.Sprintf("%s, %s! (visit %d, greeter generation %d, up %ds)",
		greeting, name, g.visits.Visit(name), g.gen, g.uptime.Load())
}

func (g *greeter) tick(ctx context.Context) {
	t := time.NewTicker(time.Second)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			g.uptime.Add(1)
		}
	}
}

func load(ctx context.Context, h *loader.Handle) (*greeter, error) {
	visits, err := loader.Dep[contract.Visits](h, "store")
	if err != nil {
		return nil, err
	}
	g := &greeter{visits: visits, gen: h.Generation()}
	h.Go(g.tick)
	return g, nil
}

// Module returns the greeter's code; the program looks it up by name. A
// function rather than a variable: nothing in the plugin is mutable state.
func Module() loader.Factory { return loader.Func(load, nil) }

func main() {}
