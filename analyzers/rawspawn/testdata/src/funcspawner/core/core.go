// Package core offers a function spawner and a pool whose spawner returns
// an error, which no fix can hand a go statement to.
package core

// Spawn runs f on a joined goroutine.
func Spawn(f func()) {
	go f() // ok: the body of a configured spawner
}

type Pool struct{}

// Submit is a configured spawner of a shape no fix targets.
func (p *Pool) Submit(f func()) error {
	go f() // ok: the body of a configured spawner
	return nil
}
