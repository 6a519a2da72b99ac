package high

import (
	"testing"

	"embedded/low"
)

func Register(c *low.Conn) {
	c.Add(func() {})     // want `func literal of module high is kept by low.\(\*Base\).Add in c, a \*low.Conn of low \(module low, layer 1\) that high got from outside as parameter c of Register, which outlives high`
	c.OnClose(func() {}) // want `func literal of module high is kept by lib.\(\*Hooks\).OnClose in c, a \*low.Conn of low \(module low, layer 1\) that high got from outside as parameter c of Register, which outlives high`
}

func RegisterValue(c low.Conn) {
	c.Add(func() {}) // ok: c is a copy the function holds, its own
}

func RegisterPointer(p low.PConn) {
	p.Add(func() {}) // want `func literal of module high is kept by low.\(\*Base\).Add in p, a low.PConn of low \(module low, layer 1\) that high got from outside as parameter p of RegisterPointer`
}

func RegisterExplicit(c *low.Conn) {
	c.Base.Add(func() {}) // want `func literal of module high is kept by low.\(\*Base\).Add in c.Base, a \*low.Base of low \(module low, layer 1\) that high got from outside as parameter c of RegisterExplicit`
}

func Helper(t *testing.T) {
	t.Cleanup(func() {}) // want `func literal of module high is kept by testing.\(\*common\).Cleanup in t, a \*testing.T of testing \(no module\) that high got from outside as parameter t of Helper`
}

func Own() {
	c := low.NewConn()
	c.Add(func() {}) // ok: a conn the module made, its own
	var local low.Conn
	local.OnClose(func() {}) // ok: the module's own variable
}

// Client is the module's own struct, with low.Base embedded.
type Client struct{ low.Base }

func (cl *Client) Start() {
	cl.Add(cl.stop) // ok: the Base inside the module's own Client
}

func (cl *Client) stop() {}
