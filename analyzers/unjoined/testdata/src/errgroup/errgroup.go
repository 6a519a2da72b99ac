package errgroup

import (
	"context"

	"golang.org/x/sync/errgroup"
)

func fetch(context.Context, int) error { return nil }

// ok: Wait after Go.
func joined(ctx context.Context) error {
	var g errgroup.Group
	for i := range 3 {
		g.Go(func() error { return fetch(ctx, i) })
	}
	return g.Wait()
}

// ok: WithContext, Wait on every path.
func withContext(ctx context.Context) error {
	g, ctx := errgroup.WithContext(ctx)
	g.SetLimit(2)
	g.Go(func() error { return fetch(ctx, 1) })
	if !g.TryGo(func() error { return fetch(ctx, 2) }) {
		return g.Wait()
	}
	return g.Wait()
}

func noWait(ctx context.Context) {
	g, ctx := errgroup.WithContext(ctx)
	g.Go(func() error { return fetch(ctx, 1) }) // want `goroutine is not joined: nothing waits on its group`
}

func tryNoWait(ctx context.Context) {
	var g errgroup.Group
	g.TryGo(func() error { return fetch(ctx, 1) }) // want `goroutine is not joined: nothing waits on g`
}

func skipped(ctx context.Context, quick bool) error {
	g := new(errgroup.Group)
	g.Go(func() error { return fetch(ctx, 1) }) // want `goroutine is not joined: the function can return at line 45 without waiting on g`
	if quick {
		return nil
	}
	return g.Wait()
}

// ok: deferred Wait.
func deferred(ctx context.Context) {
	var g errgroup.Group
	defer g.Wait()
	g.Go(func() error { return fetch(ctx, 1) })
}

// ok: the group is the caller's.
func into(ctx context.Context, g *errgroup.Group) {
	g.Go(func() error { return fetch(ctx, 1) })
}
