// Package joins declares functions of every kind unjoined might export an
// effects fact on: only those a dependent package can refer to, and that
// every driver carries, hold one.
package joins

import "sync"

// Wait waits on the group it is given: exported, so it holds a fact.
func Wait(wg *sync.WaitGroup) { wg.Wait() } // want Wait:`effects\(wait in0!\)`

// wait does the same; no other package can call it: no fact.
func wait(wg *sync.WaitGroup) { wg.Wait() }

// A blank function cannot be named by objectpath or called: no fact.
func _(wg *sync.WaitGroup) { wg.Wait() }

func init() { wait(new(sync.WaitGroup)) }

// G holds a group.
type G struct{ wg sync.WaitGroup }

// Stop waits for the group: a method, so it holds a fact.
func (g *G) Stop() { g.wg.Wait() } // want Stop:`effects\(wait in0.0!\)`
