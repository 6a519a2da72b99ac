// Package lib is owned by no module.
package lib

import "time"

func Background(f func()) {
	go f()                       // ok: lib is owned by no module
	time.AfterFunc(time.Hour, f) // ok: lib is owned by no module
}
