package app

import "sync"

func work(int) {}

// Fanout waits for every goroutine it starts before it returns.
func Fanout(items []int) {
	var wg sync.WaitGroup
	for _, it := range items {
		wg.Add(1)
		go func() { // ok: allow-scoped, and Fanout waits for it on every path
			defer wg.Done()
			work(it)
		}()
	}
	wg.Wait()
}

// Await waits on a channel the goroutine closes.
func Await() {
	done := make(chan struct{})
	go func() { // ok: allow-scoped, and Await receives from done on every path
		work(1)
		close(done)
	}()
	<-done
}

// Leaves returns without waiting on one path.
func Leaves(skip bool) {
	done := make(chan struct{})
	go func() { // want `direct goroutine in module app`
		work(2)
		close(done)
	}()
	if skip {
		return
	}
	<-done
}

// Detached never waits.
func Detached() {
	go work(3) // want `direct goroutine in module app`
}

// StartsOnly waits for the goroutine to say it has started, not for it to
// end. The proof takes the send as the goroutine's end signal: a known
// limit of internal/joins, which allow-scoped inherits.
func StartsOnly() {
	started := make(chan struct{})
	go func() { // ok: allowed by allow-scoped, though the goroutine keeps running (a limit of the proof)
		started <- struct{}{}
		for {
			work(4)
		}
	}()
	<-started
}
