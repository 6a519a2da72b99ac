package app

import "sync"

func work(int) {}

// Fanout waits for its goroutines, but allow-scoped is off.
func Fanout(items []int) {
	var wg sync.WaitGroup
	for _, it := range items {
		wg.Add(1)
		go func() { // want `direct goroutine in module app`
			defer wg.Done()
			work(it)
		}()
	}
	wg.Wait()
}
