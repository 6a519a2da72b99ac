package closures

import "sync"

func work(int) {}

// ok: spawns in a closure called in a loop, joined by the enclosing Wait.
func nested(n int) {
	var wg sync.WaitGroup
	spawn := func(i int) {
		wg.Add(1)
		go func() { defer wg.Done(); work(i) }()
	}
	for i := range n {
		spawn(i)
	}
	wg.Wait()
}

func nestedNoWait(n int) {
	var wg sync.WaitGroup
	spawn := func(i int) {
		wg.Add(1)
		go func() { defer wg.Done(); work(i) }() // want `goroutine is not joined: nothing waits on wg`
	}
	for i := range n {
		spawn(i)
	}
}

// ok: a goroutine that joins its own children.
func inGoroutine(n int) {
	done := make(chan struct{})
	go func() {
		defer close(done)
		var wg sync.WaitGroup
		for i := range n {
			wg.Add(1)
			go func() { defer wg.Done(); work(i) }()
		}
		wg.Wait()
	}()
	<-done
}

func childLeak(n int) {
	done := make(chan struct{})
	go func() {
		defer close(done)
		var wg sync.WaitGroup
		wg.Add(1)
		go func() { defer wg.Done(); work(n) }() // want `goroutine is not joined: nothing waits on wg`
	}()
	<-done
}

// ok: the closure is stored: whoever calls it later may wait.
func stored() func() {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { defer wg.Done() }()
	return func() { wg.Wait() }
}
