package database

import (
	"context"
	"time"

	"handle/core"
)

type Store struct {
	h *core.Handle
	n int
}

func (s *Store) flush(n int) {}
func (s *Store) loop()       {}
func next() int              { return 0 }

// Start has one handle in scope, the receiver's field h.
func (s *Store) Start(ctx context.Context) {
	go s.loop() // want `direct goroutine in module database: start it with core\.\(\*Handle\)\.Go so it is joined at unload`
	go func() { // want `direct goroutine in module database`
		s.loop()
	}()
	n := 3
	go s.flush(n) // want `direct goroutine in module database`
	m := 1
	go s.flush(m) // want `direct goroutine in module database`
	m++
	go s.flush(s.n)    // want `direct goroutine in module database`
	go s.flush(next()) // want `direct goroutine in module database`
	for _, x := range []int{1, 2} {
		go s.flush(x) // want `direct goroutine in module database`
	}
	for i := 0; i < 2; i++ {
		go s.flush(i) // want `direct goroutine in module database`
	}
	go func(k int) { // want `direct goroutine in module database`
		s.flush(k)
	}(7)
	time.AfterFunc(time.Second, s.loop)    // want `time\.AfterFunc in module database runs its func on a raw goroutine: start it with core\.\(\*Handle\)\.Go so it is joined at unload`
	stop := context.AfterFunc(ctx, s.loop) // want `context\.AfterFunc in module database runs its func on a raw goroutine`
	defer stop()
}

// Run has one handle in scope, its parameter h.
func Run(h *core.Handle, s *Store) {
	go s.loop() // want `direct goroutine in module database`
	func() {
		go s.flush(s.n) // want `direct goroutine in module database`
	}()
}

// Twice has two handles in scope, so no fix chooses between them.
func (s *Store) Twice(h *core.Handle) {
	go s.loop() // want `direct goroutine in module database`
}

// Free has no handle in scope.
func Free(s *Store) {
	go s.loop() // want `direct goroutine in module database`
}

// Shadowed hides the handle parameter behind a local of another type.
func Shadowed(h *core.Handle, s *Store) {
	{
		h := 1
		_ = h
		go s.loop() // want `direct goroutine in module database`
	}
}

type value struct{}

func (value) run() {}

// Copies calls a value method: the go statement copies v at once.
func Copies(h *core.Handle, v *value) {
	go v.run() // want `direct goroutine in module database`
}

// Nested's goroutine uses the handle itself, so a fix chosen by scope
// could change how it is joined: none is offered.
func (s *Store) Nested() {
	go func() { // want `direct goroutine in module database`
		s.h.Go(func(context.Context) { s.loop() })
	}()
}

// Passed hands the handle to the goroutine's function: no fix either.
func Passed(h *core.Handle, s *Store) {
	go work(h, s) // want `direct goroutine in module database`
}

func work(h *core.Handle, s *Store) {}
