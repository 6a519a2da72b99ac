package svc

import "time"

func Start(f func()) {
	go f()                       // ok: no config, nothing to check
	time.AfterFunc(time.Hour, f) // ok: no config, nothing to check
}
