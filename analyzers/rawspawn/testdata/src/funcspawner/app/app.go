package app

import "funcspawner/core"

func work(n int) {}

func Start() {
	go work(1)  // want `direct goroutine in module app: start it with core\.Spawn or core\.\(\*Pool\)\.Submit so it is joined at unload`
	go func() { // want `direct goroutine in module app`
		work(2)
	}()
}

// WithPool has a pool in scope, but Submit returns an error the rewrite
// would drop: the only target is still core.Spawn.
func WithPool(p *core.Pool) {
	go work(3) // want `direct goroutine in module app`
}

// Shadowed hides the import name: no fix.
func Shadowed() {
	core := 0
	_ = core
	go work(4) // want `direct goroutine in module app`
}
