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
// end: the send is followed by more work, so the proof does not take it
// for the goroutine's end, and allow-scoped does not apply.
func StartsOnly() {
	started := make(chan struct{})
	go func() { // want `direct goroutine in module app`
		started <- struct{}{}
		for {
			work(4)
		}
	}()
	<-started
}

// GroupFanout waits for its group on every path.
func GroupFanout(items []int) {
	var wg sync.WaitGroup
	for _, it := range items {
		wg.Go(func() { work(it) }) // ok: allow-scoped, and GroupFanout waits for the group on every path
	}
	wg.Wait()
}

// GroupLeaves returns without waiting for the group on one path.
func GroupLeaves(skip bool) {
	var wg sync.WaitGroup
	wg.Go(func() { work(5) }) // want `\(\*sync.WaitGroup\).Go in module app starts a goroutine`
	if skip {
		return
	}
	wg.Wait()
}

// GroupField starts work on a group it never waits for here.
type Pool struct{ wg sync.WaitGroup }

func (p *Pool) Submit() {
	p.wg.Go(func() { work(6) }) // want `\(\*sync.WaitGroup\).Go in module app`
}
