package user

import (
	"sync"

	"crosspkg/helper"
)

// ok: helper.WaitAll always waits.
func waitsViaHelper() {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { defer helper.Finish(&wg) }()
	helper.WaitAll(&wg)
}

func maybe(b bool) {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { defer helper.Finish(&wg) }() // want `goroutine is not joined: the function can return at line 22 without waiting on wg`
	helper.MaybeWait(&wg, b)
}

// ok: the channel is kept by helper.Keep.
func kept() {
	ch := make(chan struct{})
	go helper.Signal(ch)
	helper.Keep(ch)
}

func signalled() {
	ch := make(chan struct{})
	go helper.Signal(ch) // want `goroutine is not joined: nothing receives from ch`
}
