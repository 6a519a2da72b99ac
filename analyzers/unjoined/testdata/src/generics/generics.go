package generics

import "sync"

// ok: a generic map that joins its workers.
func Map[T, U any](xs []T, f func(T) U) []U { // want Map:`effects\(callback in1\)`
	out := make([]U, len(xs))
	var wg sync.WaitGroup
	for i, x := range xs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			out[i] = f(x)
		}()
	}
	wg.Wait()
	return out
}

func Each[T any](xs []T, f func(T)) { // want Each:`effects\(callback in1\)`
	var wg sync.WaitGroup
	for _, x := range xs {
		wg.Add(1)
		go func() { // want `goroutine is not joined: nothing waits on wg`
			defer wg.Done()
			f(x)
		}()
	}
}

// A generic helper that waits, used from a non-generic function.
func waitOn[G interface{ Wait() }](g G) { g.Wait() }

// ok: waitOn always waits... through an interface call: unsure, so not
// reported either way.
func viaGeneric() {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { defer wg.Done() }()
	waitOn(&wg)
}

type Pool[T any] struct {
	wg   sync.WaitGroup
	jobs chan T
}

// ok: Close waits on the group the workers mark done.
func (p *Pool[T]) Start(n int, f func(T)) { // want Start:`effects\(add in0\.0, callback in2\)`
	for range n {
		p.wg.Add(1)
		go func() {
			defer p.wg.Done()
			for j := range p.jobs {
				f(j)
			}
		}()
	}
}

func (p *Pool[T]) Close() { // want Close:`effects\(close in0\.1, wait in0\.0!\)`
	close(p.jobs)
	p.wg.Wait()
}
