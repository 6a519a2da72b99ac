package high

import "tuple/low"

type Server struct{ cb func() }

func (s *Server) SetCallback(f func()) { s.cb = f } // want SetCallback:`retains\(f: receiver.cb\)`

func start() (*Server, func()) { return &Server{}, low.Stop }

func Setup(r *low.Registry) {
	s, stop := start()
	s.SetCallback(func() {}) // ok: the literal goes to s, the first result
	r.Add(stop)              // ok: stop is low.Stop, the second result
}

func SetupTwoCalls(r *low.Registry) {
	s, _ := start()
	_, stop := start()
	s.SetCallback(func() {}) // ok: kept by the module's own server
	r.Add(stop)              // ok: low.Stop
}

// startLit returns a func literal of high in its second result.
func startLit() (*Server, func()) {
	s := &Server{}
	return s, func() { s.cb() } // the literal r.Add keeps
}

func SetupLit(r *low.Registry) {
	s, stop := startLit()
	s.SetCallback(func() {}) // ok: kept by the module's own server
	r.Add(stop)              // want `func literal of module high is kept by low.\(\*Registry\).Add in r, a \*low.Registry of low \(module low, layer 1\) that high got from outside as parameter r of SetupLit`
}

func SetupResult(r *low.Registry) {
	_, stop := startLit()
	r.Add(stop) // want `func literal of module high is kept by low.\(\*Registry\).Add in r`
}

func SetupKeep(r *low.Registry) {
	f, stop := low.Keep(func() {})
	r.Add(stop) // ok: the second result is low.Stop
	f()
}

func SetupKeepFirst(r *low.Registry) {
	f, _ := low.Keep(func() {})
	r.Add(f) // want `func literal of module high is kept by low.\(\*Registry\).Add in r`
}

func SetupSecond(r *low.Registry) {
	_, f := low.Second(func() {})
	r.Add(f) // want `func literal of module high is kept by low.\(\*Registry\).Add in r`
}
