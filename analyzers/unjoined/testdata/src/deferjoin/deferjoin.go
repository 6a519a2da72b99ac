package deferjoin

import (
	"errors"
	"sync"
)

func work() error { return nil }

// ok: the deferred Wait runs on every return, including the early one.
func deferredWait(fail bool) error {
	var wg sync.WaitGroup
	defer wg.Wait()
	wg.Add(1)
	go func() { defer wg.Done(); work() }()
	if fail {
		return errors.New("fail")
	}
	return nil
}

// ok: a deferred closure that receives.
func deferredReceive() {
	done := make(chan struct{})
	defer func() { <-done }()
	go func() { defer close(done); work() }()
}

// ok: deferred after the spawn, before any return.
func deferAfter(fail bool) error {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { defer wg.Done(); work() }()
	defer wg.Wait()
	if fail {
		return errors.New("fail")
	}
	return nil
}

func deferTooLate(fail bool) error {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { defer wg.Done(); work() }() // want `goroutine is not joined: the function can return at line 46 without waiting on wg`
	if fail {
		return errors.New("fail")
	}
	defer wg.Wait()
	return nil
}
