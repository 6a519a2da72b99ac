package svc

func Start(f func()) {
	//reloadvet:ignore rawspawn the process-wide signal watcher outlives every module by design
	go f() // ok: suppressed by the directive above

	//reloadvet:ignore rawspawn stale reason // want `directive suppresses no rawspawn finding on its line or the next: remove rawspawn from it`
	f()

	go f() // want `direct goroutine in module svc`
}
