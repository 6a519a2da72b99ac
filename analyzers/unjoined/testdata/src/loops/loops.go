package loops

import "sync"

func work(int) {}

// ok: one Wait after the loop joins every spawn in it.
func eachThenWait(n int) {
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() { defer wg.Done(); work(i) }()
	}
	wg.Wait()
}

// ok: a Wait per round.
func rounds(n int) {
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() { defer wg.Done(); work(i) }()
		wg.Wait()
	}
}

func breakOut(xs []int) int {
	var wg sync.WaitGroup
	for _, x := range xs {
		wg.Add(1)
		go func() { defer wg.Done(); work(x) }() // want `goroutine is not joined: the function can return at line 33 without waiting on wg`
		if x < 0 {
			return x
		}
	}
	wg.Wait()
	return 0
}

// ok: waits before the spawn in the next round and after the loop.
func waitFirst(n int) {
	var wg sync.WaitGroup
	for i := range n {
		wg.Wait()
		wg.Add(1)
		go func() { defer wg.Done(); work(i) }()
	}
	wg.Wait()
}
