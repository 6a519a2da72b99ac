package resultchan

import (
	"context"
	"time"
)

func slow() int { return 1 }

func unbufferedTimeout() int {
	ch := make(chan int)
	go func() { ch <- slow() }() // want `goroutine is not joined: the select can return at line 17 without receiving from ch`
	select {
	case v := <-ch:
		return v
	case <-time.After(time.Second):
		return 0
	}
}

func bufferedTimeout(ctx context.Context) (int, error) {
	ch := make(chan int, 1)
	go func() { ch <- slow() }() // want `goroutine is not joined: the select can return at line 28 without receiving from ch`
	select {
	case v := <-ch:
		return v, nil
	case <-ctx.Done():
		return 0, ctx.Err()
	}
}

// ok: the result is always received.
func received() int {
	ch := make(chan int, 1)
	go func() { ch <- slow() }()
	return <-ch
}

// The first error returns before the other goroutines are received from:
// they end (the buffer has room) but are not joined. Out of reach: a
// receive in a loop counts as a join of every goroutine of the spawn loop,
// since the analysis does not count iterations.
func firstError(n int) error {
	errc := make(chan error, n)
	for range n {
		go func() { errc <- nil }() // missed: see above
	}
	for range n {
		if err := <-errc; err != nil {
			return err
		}
	}
	return nil
}

func commaOk() (int, bool) {
	ch := make(chan int, 1)
	go func() { ch <- slow() }()
	v, ok := <-ch // ok: a receive with comma-ok still waits
	return v, ok
}

// ok: every goroutine's error is received before returning.
func allErrors(n int) error {
	errc := make(chan error, n)
	for range n {
		go func() { errc <- nil }()
	}
	var first error
	for range n {
		if err := <-errc; err != nil && first == nil {
			first = err
		}
	}
	return first
}

// startTicker hands its done channel to its callers, who drop it.
func startTicker() <-chan struct{} {
	done := make(chan struct{})
	go func() { // want `goroutine is not joined: nothing receives from done: startTicker returns it and every caller drops it`
		defer close(done)
	}()
	return done
}

func useTicker() { startTicker() }

func useTickerToo() { _ = startTicker() }

// ok: the caller receives from the channel startWaited returns.
func startWaited() <-chan struct{} {
	done := make(chan struct{})
	go func() {
		defer close(done)
	}()
	return done
}

func useWaited() { <-startWaited() }

// Flight hands each caller a channel of its own and sends the result on
// every one of them.
type Flight struct{ calls map[string]*call }

type call struct{ chans []chan<- int }

// ok: not judged: the goroutine sends on the callers' channels, which
// DoChan returns; the callers may wait on them.
func (f *Flight) DoChan(key string, fn func() int) <-chan int { // want DoChan:`effects\(callback in2\)`
	ch := make(chan int, 1)
	c := &call{chans: []chan<- int{ch}}
	f.calls[key] = c
	go f.do(c, fn)
	return ch
}

func (f *Flight) do(c *call, fn func() int) {
	v := fn()
	for _, ch := range c.chans {
		ch <- v
	}
}
