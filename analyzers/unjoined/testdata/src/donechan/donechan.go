package donechan

import "context"

func work() {}

// ok: the goroutine closes done, the function receives.
func joined() {
	done := make(chan struct{})
	go func() {
		defer close(done)
		work()
	}()
	<-done
}

// ok: the receive is in a select of one case.
func selectOne() {
	done := make(chan struct{})
	go func() { defer close(done); work() }()
	select {
	case <-done:
	}
}

func ctxSkip(ctx context.Context) error {
	done := make(chan struct{})
	go func() { // want `goroutine is not joined: the select can return at line 34 without receiving from done`
		defer close(done)
		work()
	}()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-done:
		return nil
	}
}

// ok: the ctx case still waits for done before returning.
func ctxThenWait(ctx context.Context, stop func()) {
	done := make(chan struct{})
	go func() { defer close(done); work() }()
	select {
	case <-ctx.Done():
		stop()
		<-done
	case <-done:
	}
}

func neverReceived() {
	done := make(chan struct{})
	go func() { // want `goroutine is not joined: nothing receives from done`
		defer close(done)
		work()
	}()
}

// ok: done is returned: whoever gets it waits.
func handed() <-chan struct{} {
	done := make(chan struct{})
	go func() { defer close(done); work() }()
	return done
}

// ok: a done channel passed in belongs to the caller.
func given(done chan struct{}) {
	go func() { defer close(done); work() }()
}

// ok: range until the goroutine closes the channel.
func ranged() int {
	out := make(chan int)
	go func() {
		defer close(out)
		for i := range 3 {
			out <- i
		}
	}()
	n := 0
	for v := range out {
		n += v
	}
	return n
}

// ok: the function never returns after the spawn.
func forever() {
	go work()
	for {
		work()
	}
}

func ticker(ctx context.Context) {
	go func() { // want `goroutine is not joined: it signals no end \(Done, close or send\) that anything waits for`
		for {
			select {
			case <-ctx.Done():
				return
			default:
				work()
			}
		}
	}()
}

var profiling = struct{ done chan bool }{done: make(chan bool)}

func writer() {
	work()
	profiling.done <- true
}

// ok: the goroutine signals a package-level channel that Stop receives
// from: anyone may wait on it.
func StartProfile() { go writer() }

func StopProfile() { <-profiling.done }
