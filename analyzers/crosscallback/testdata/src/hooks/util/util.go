// Package util is owned by no module: it outlives every module.
package util

import (
	"sync"
	"time"
)

// Hooks are run at shutdown.
var Hooks []func()

func AddHook(f func()) { // want AddHook:`retains\(f: global hooks/util\)`
	Hooks = append(Hooks, f)
}

// Every calls f on a goroutine that runs as long as the process.
func Every(d time.Duration, f func()) { // want Every:`retains\(f: goroutine hooks/util\)`
	go func() {
		for range time.Tick(d) {
			f()
		}
	}()
}

// Parallel runs fs and waits for them.
func Parallel(fs ...func()) {
	var wg sync.WaitGroup
	for _, f := range fs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			f()
		}()
	}
	wg.Wait()
}

// Apply calls f at once.
func Apply(f func()) { f() }

type Registry struct {
	hs     []func()
	byName map[string]func()
}

func NewRegistry() *Registry { return &Registry{byName: map[string]func(){}} }

func (r *Registry) Add(f func()) { r.hs = append(r.hs, f) } // want Add:`retains\(f: receiver\.hs\)`

func (r *Registry) Set(name string, f func()) { r.byName[name] = f } // want Set:`retains\(f: receiver\.byName\)`

// On registers f and returns what removes it.
func (r *Registry) On(f func()) (off func()) { // want On:`retains\(f: receiver\.hs\)`
	r.hs = append(r.hs, f)
	return func() {}
}

// Default is the process-wide registry.
var Default = NewRegistry()

// Register adds f to the default registry.
func Register(f func()) { Default.Add(f) } // want Register:`retains\(f: global hooks/util\)`
