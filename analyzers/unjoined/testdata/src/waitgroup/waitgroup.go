package waitgroup

import (
	"errors"
	"os"
	"sync"
)

func work(int) {}

// ok: Wait after the spawns on every path.
func joined(n int) {
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			work(i)
		}()
	}
	wg.Wait()
}

// ok: Done without defer, as the goroutine's last act.
func doneAtEnd() {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		work(1)
		wg.Done()
	}()
	wg.Wait()
}

func earlyReturn(fail bool) error {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { // want `goroutine is not joined: the function can return at line 43 without waiting on wg`
		defer wg.Done()
		work(1)
	}()
	if fail {
		return errors.New("fail")
	}
	wg.Wait()
	return nil
}

func neverWaits() {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { // want `goroutine is not joined: nothing waits on wg`
		defer wg.Done()
		work(1)
	}()
}

func addInside() {
	var wg sync.WaitGroup
	for i := 0; i < 3; i++ {
		go func() { // want `goroutine is not joined: wg.Add runs inside the goroutine, so wg.Wait can return before it starts`
			wg.Add(1)
			defer wg.Done()
			work(i)
		}()
	}
	wg.Wait()
}

// ok: the goroutine adds for its children while its own count is held.
func addForChildren() {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		wg.Add(1)
		go func() { defer wg.Done() }()
	}()
	wg.Wait()
}

// ok: the path that skips Wait exits the process.
func exitPath(fail bool) {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { defer wg.Done() }()
	if fail {
		os.Exit(1)
	}
	wg.Wait()
}

// ok: the path that skips Wait panics.
func panicPath(fail bool) {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { defer wg.Done() }()
	if fail {
		panic("fail")
	}
	wg.Wait()
}

// ok: a helper that always waits on the group it is given.
func waitAll(wg *sync.WaitGroup) { wg.Wait() }

func viaHelper() {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { defer wg.Done() }()
	waitAll(&wg)
}

// ok: a worker function given the group marks it done.
func worker(wg *sync.WaitGroup, i int) {
	defer wg.Done()
	work(i)
}

func namedWorker() {
	var wg sync.WaitGroup
	wg.Add(1)
	go worker(&wg, 1)
	wg.Wait()
}

// ok: the group belongs to the caller, who waits.
func startInto(wg *sync.WaitGroup) {
	wg.Add(1)
	go func() { defer wg.Done() }()
}

// ok: the group is returned to the caller.
func handedBack() *sync.WaitGroup {
	wg := new(sync.WaitGroup)
	wg.Add(1)
	go func() { defer wg.Done() }()
	return wg
}
