// Package app calls helpers that start the func they are given.
package app

import (
	"sync"

	"helpers/lib"
	"helpers/owned"
)

func work() {}

func fireAndForget() {
	lib.Go(func() { work() }) // want `goroutine of module app is not joined: lib.Go starts it, and it signals no end \(Done, close or send\) that anything waits for`
}

func submit(p *lib.Pool) {
	p.Submit(work) // want `goroutine of module app is not joined: lib.\(\*Pool\).Submit starts it, and it signals no end`
}

// ok: the caller waits on the group the func marks done.
func joined() {
	var wg sync.WaitGroup
	wg.Add(1)
	lib.Go(func() {
		defer wg.Done()
		work()
	})
	wg.Wait()
}

func notWaited() {
	var wg sync.WaitGroup
	wg.Add(1)
	lib.Go(func() { // want `goroutine of module app is not joined: lib.Go starts it, and nothing waits on wg`
		defer wg.Done()
		work()
	})
}

// ok: lib.Run calls its func where it is.
func inline() { lib.Run(work) }

// ok: owned.Go is in module core, which is reported where it spawns.
func viaOwned() { owned.Go(work) }

// goSafe is a helper of the module itself: reported where it spawns.
func goSafe(f func()) {
	go func() { // want `goroutine of module app is not joined: goSafe starts the func it is given and nothing waits for it to return`
		defer func() { recover() }()
		f()
	}()
}
