// Package lib is outside every module: its helpers that start the func
// they are given are reported where module code calls them.
package lib

// Go runs f on a goroutine that recovers from its panics.
func Go(f func()) {
	go func() {
		defer func() { recover() }()
		f()
	}()
}

// Pool submits work to goroutines of its own.
type Pool struct{}

// Submit starts f and returns.
func (p *Pool) Submit(f func()) { go f() }

// Run calls f where it is: not a spawn.
func Run(f func()) { f() }
