// Package lib belongs to no module.
package lib

// Hooks keeps the funcs it is given.
type Hooks struct{ fs []func() }

func (h *Hooks) OnClose(f func()) { h.fs = append(h.fs, f) } // want OnClose:`retains\(f: receiver.fs\)`
