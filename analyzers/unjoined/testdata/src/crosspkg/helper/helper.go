// Package helper is imported by crosspkg/user: its waits and signals reach
// there as facts.
package helper

import "sync"

// WaitAll always waits on the group it is given.
func WaitAll(wg *sync.WaitGroup) { wg.Wait() } // want WaitAll:`effects\(wait in0!\)`

// Finish marks the group done.
func Finish(wg *sync.WaitGroup) { wg.Done() } // want Finish:`effects\(done in0\)`

// Signal closes the channel.
func Signal(ch chan struct{}) { close(ch) } // want Signal:`effects\(close in0\)`

var kept []chan struct{}

// Keep stores the channel.
func Keep(ch chan struct{}) { kept = append(kept, ch) } // want Keep:`effects\(escape in0\)`

// MaybeWait may skip the wait.
func MaybeWait(wg *sync.WaitGroup, b bool) { // want MaybeWait:`effects\(wait in0\)`
	if b {
		wg.Wait()
	}
}
