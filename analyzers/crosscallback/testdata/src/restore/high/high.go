package high

import (
	"testing"

	"restore/low"
)

func WithHook(run func()) {
	old := low.Hook
	low.Hook = func() {} // ok: put back by the deferred func literal
	defer func() { low.Hook = old }()
	run()
}

func WithHookDeferFirst(run func()) {
	old := low.Hook
	defer func() { low.Hook = old }()
	low.Hook = func() {} // ok: put back by the deferred func literal
	run()
}

func SetHook() {
	low.Hook = func() {} // want `func literal of module high is stored in low.Hook, package-level state of low`
}

func SetHookRestoreOther(run func()) {
	old := low.Hook
	low.Hook = func() {} // want `func literal of module high is stored in low.Hook`
	defer func() { low.Hook = nil; _ = old }()
	run()
}

func SetHookReadAfter(run func()) {
	low.Hook = func() {} // want `func literal of module high is stored in low.Hook`
	old := low.Hook
	defer func() { low.Hook = old }()
	run()
}

func SetHookSomePaths(run func(), keep bool) {
	old := low.Hook
	low.Hook = func() {} // want `func literal of module high is stored in low.Hook`
	if keep {
		return
	}
	run()
	low.Hook = old
}

func Dump(req *low.Request, send func(*low.Request)) {
	save := req.Done
	req.Done = func() {} // ok: put back before the return
	send(req)
	req.Done = save
}

func DumpBody(req *low.Request, drain bool, send func(*low.Request)) error {
	save := req.Body
	if drain {
		req.Body = nil
	} else {
		req.Body = zeros{} // ok: save is still the body read before, on this path
	}
	send(req)
	req.Body = save
	return nil
}

func DumpOther(req, other *low.Request, send func(*low.Request)) { // want DumpOther:`retains\(other.Done: param#0.Done\)`
	save := other.Done
	req.Done = func() {} // want `func literal of module high is stored in req, a \*low.Request of low`
	send(req)
	req.Done = save
}

func SetForTest(t *testing.T) {
	previous := low.Reader
	low.Reader = zeros{}                        // ok: put back by the Cleanup
	t.Cleanup(func() { low.Reader = previous }) // want `func literal of module high is kept by testing.\(\*common\).Cleanup in t, a \*testing.T of testing \(no module\)`
}

func SetForTB(tb testing.TB) {
	previous := low.Reader
	low.Reader = zeros{}                         // ok: put back by the Cleanup
	tb.Cleanup(func() { low.Reader = previous }) // ok: a call through an interface is taken not to retain
}

type zeros struct{}

func (zeros) Read(p []byte) (int, error) { clear(p); return len(p), nil }
