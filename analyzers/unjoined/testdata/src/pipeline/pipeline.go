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

// logger's sources are closed by a closer goroutine; the logger receives
// from stop in a select inside a for loop, and Stop joins the logger.
type logger struct {
	wg   sync.WaitGroup
	msgs chan string
}

// ok: the closer closes stop, which the logger (joined by Stop) receives
// from; the sources are joined by the closer's Wait.
func (l *logger) Start(srcs []func()) { // want Start:`effects\(add in0\.0\)`
	var wg sync.WaitGroup
	stop := make(chan struct{})
	for _, src := range srcs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			src()
		}()
	}
	go func() {
		wg.Wait()
		close(stop)
	}()
	l.wg.Add(1)
	go func() {
		defer l.wg.Done()
		for {
			select {
			case <-stop:
				return
			case m := <-l.msgs:
				_ = m
			}
		}
	}()
}

func (l *logger) Stop() { l.wg.Wait() } // want Stop:`effects\(wait in0\.0!\)`

// leakyLogger's consumer is joined by nothing, so neither is the closer.
type leakyLogger struct{ msgs chan string }

func (l *leakyLogger) Start(srcs []func()) {
	var wg sync.WaitGroup
	stop := make(chan struct{})
	for _, src := range srcs {
		wg.Add(1)
		go func() { // want `goroutine is not joined: nothing waits on wg`
			defer wg.Done()
			src()
		}()
	}
	go func() { // want `goroutine is not joined: nothing receives from stop`
		wg.Wait()
		close(stop)
	}()
	go func() { // want `goroutine is not joined: it signals no end`
		for {
			select {
			case <-stop:
				return
			case m := <-l.msgs:
				_ = m
			}
		}
	}()
}
