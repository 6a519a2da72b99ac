package pipeline

import "sync"

func square(v int) int { return v * v }

// ok: fan-out workers joined through the closer, which the range joins.
func fanIn(in []int) int {
	out := make(chan int)
	var wg sync.WaitGroup
	for _, v := range in {
		wg.Add(1)
		go func() {
			defer wg.Done()
			out <- square(v)
		}()
	}
	go func() {
		wg.Wait()
		close(out)
	}()
	sum := 0
	for v := range out {
		sum += v
	}
	return sum
}

// ok: a generator hands its channel to the caller.
func gen(vs ...int) <-chan int {
	out := make(chan int)
	go func() {
		defer close(out)
		for _, v := range vs {
			out <- v
		}
	}()
	return out
}

// The closer is started, but nothing ranges over out.
func lostCloser(in []int) {
	out := make(chan int, len(in))
	var wg sync.WaitGroup
	for _, v := range in {
		wg.Add(1)
		go func() { // want `goroutine is not joined: nothing waits on wg`
			defer wg.Done()
			out <- square(v)
		}()
	}
	go func() { // want `goroutine is not joined: nothing receives from out`
		wg.Wait()
		close(out)
	}()
}
