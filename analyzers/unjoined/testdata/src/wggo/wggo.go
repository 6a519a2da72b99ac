package wggo

import "sync"

func work() {}

// ok: wg.Go, then Wait.
func joined() {
	var wg sync.WaitGroup
	for range 3 {
		wg.Go(work)
	}
	wg.Wait()
}

func noWait() {
	var wg sync.WaitGroup
	wg.Go(func() { work() }) // want `goroutine is not joined: nothing waits on wg`
}

func earlyReturn(n int) int {
	var wg sync.WaitGroup
	wg.Go(work) // want `goroutine is not joined: the function can return at line 25 without waiting on wg`
	if n == 0 {
		return 0
	}
	wg.Wait()
	return n
}

type pool struct{ wg sync.WaitGroup }

// ok: Close waits on the field.
func (p *pool) Start() { p.wg.Go(work) } // want Start:`effects\(go in0.0\)`
func (p *pool) Close() { p.wg.Wait() }   // want Close:`effects\(wait in0.0!\)`

type leaky struct{ wg sync.WaitGroup }

func (l *leaky) Start() { l.wg.Go(work) } // want Start:`effects\(go in0.0\)` `goroutine is not joined: nothing waits on wg`
