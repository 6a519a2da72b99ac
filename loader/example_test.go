package loader_test

import (
	"context"
	"fmt"
	"time"

	"github.com/reloadvet/reloadvet/loader"
)

// Store is the instance of the bottom module: its state survives reloads
// of the modules above it.
type Store struct {
	greetings map[string]string
}

// Greeter is the instance of the module that gets new code.
type Greeter struct {
	store  *Store
	prefix string
}

func (g *Greeter) Greet(name string) string { return g.prefix + ", " + name }

func greeterCode(prefix string) loader.Factory {
	return loader.Func(func(ctx context.Context, h *loader.Handle) (*Greeter, error) {
		store, err := loader.Dep[*Store](h, "store")
		if err != nil {
			return nil, err
		}
		// A goroutine of the generation: labelled, joined at unload.
		h.Go(func(ctx context.Context) {
			t := time.NewTicker(time.Minute)
			defer t.Stop()
			for {
				select {
				case <-ctx.Done():
					return
				case <-t.C:
				}
			}
		})
		return &Greeter{store: store, prefix: prefix}, nil
	}, nil).WithVersion(prefix)
}

func Example() {
	l := loader.New(loader.WithLayers([][]string{{"store"}, {"greeter"}}))
	err := l.Register(
		loader.Module{Name: "store", Factory: loader.Func(func(ctx context.Context, h *loader.Handle) (*Store, error) {
			return &Store{greetings: map[string]string{}}, nil
		}, nil)},
		loader.Module{Name: "greeter", Deps: []string{"store"}, Factory: greeterCode("hello")},
	)
	if err != nil {
		fmt.Println(err)
		return
	}
	ctx := context.Background()
	if err := l.Start(ctx); err != nil {
		fmt.Println(err)
		return
	}
	g, _ := loader.Instance[*Greeter](l, "greeter")
	fmt.Println(g.Greet("gopher"))

	// New code for the greeter; the store keeps running.
	rep, err := l.Replace(ctx, "greeter", greeterCode("howdy"))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(rep.Modules)
	g, _ = loader.Instance[*Greeter](l, "greeter")
	fmt.Println(g.Greet("gopher"))
	for _, m := range l.Modules() {
		fmt.Printf("%s: layer %d, generation %d, %s\n", m.Name, m.Layer, m.Generation, m.State)
	}
	if err := l.Stop(ctx); err != nil {
		fmt.Println(err)
	}
	// Output:
	// hello, gopher
	// [greeter]
	// howdy, gopher
	// store: layer 1, generation 1, running
	// greeter: layer 2, generation 2, running
}

func ExampleLoader_Start_refused() {
	l := loader.New(loader.WithLayers([][]string{{"store"}, {"api"}, {"admin"}}))
	noop := loader.Func(func(ctx context.Context, h *loader.Handle) (*struct{ _ [16]byte }, error) {
		return new(struct{ _ [16]byte }), nil
	}, nil)
	_ = l.Register(
		loader.Module{Name: "store", Deps: []string{"api"}, Factory: noop},
		loader.Module{Name: "api", Deps: []string{"store", "admin"}, Factory: noop},
		loader.Module{Name: "admin", Deps: []string{"api", "stor"}, Factory: noop},
	)
	fmt.Println(l.Start(context.Background()))
	// Output:
	// module graph refused, 5 problems:
	// 	module admin depends on unknown module stor (did you mean store?)
	// 	module cycle: store -> api -> store
	// 	module cycle: admin -> api -> admin
	// 	module store (layer 1) depends on module api (layer 2): a module may only depend on lower layers
	// 	module api (layer 2) depends on module admin (layer 3): a module may only depend on lower layers
}
