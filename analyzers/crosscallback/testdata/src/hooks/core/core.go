// Package core is the lowest module: the loader's handle and an event bus.
package core

import "context"

type Handle struct{ fs []func(context.Context) }

// Go is the configured spawner.
func (h *Handle) Go(f func(context.Context)) { h.fs = append(h.fs, f) } // want Go:`retains\(f: receiver\.fs\)`

// OnUnload is kept by the module's handle, which goes with the module.
func (h *Handle) OnUnload(f func()) { h.Go(func(context.Context) { f() }) }

type Bus struct{ subs []func(string) }

func (b *Bus) Subscribe(f func(string)) { b.subs = append(b.subs, f) } // want Subscribe:`retains\(f: receiver\.subs\)`

// Main is the process-wide bus.
var Main = &Bus{}
