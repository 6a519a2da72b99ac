// Command greeter is a module built as a plugin by the tests of
// pluginsource.
package main

import (
	"context"
	"time"

	"github.com/reloadvet/reloadvet/loader"
)

// greeting is what the tests change between builds, with an overlay.
const greeting = "hello"

type greeter struct {
	ticks int
	pad   [2]int64
}

func (g *greeter) Greet(name string) string { return greeting + ", " + name }

func load(ctx context.Context, h *loader.Handle) (*greeter, error) {
	g := &greeter{}
	h.Go(func(ctx context.Context) {
		t := time.NewTicker(time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
		}
	})
	return g, nil
}

// Module is the module code, as a variable.
var Module = loader.Func(load, nil)

// NewModule is the module code, as a function.
func NewModule() loader.Factory { return loader.Func(load, nil) }

// Wrong is not module code.
var Wrong = 42

func main() {}
