package suppressed

func work() {}

func detached() {
	//reloadvet:ignore unjoined the process-wide janitor lives as long as the process
	go work() // ok: suppressed with a reason
}

func stale() {
	//reloadvet:ignore unjoined nothing here any more // want `directive suppresses no unjoined finding on its line or the next: remove unjoined from it`
	work()
}
