package app

import c "funcspawner/core"

var _ = c.Spawn

// Aliased calls the spawner through the file's own name for core.
func Aliased() {
	go work(5) // want `direct goroutine in module app`
}
