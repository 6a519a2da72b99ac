package a

import (
	"layers/base"
	"layers/peer"
	"layers/svc/b"
	"layers/top"
)

func tick() {}

func Start() {
	base.Add(tick)                        // want `func a\.tick of module svc is kept by base\.Add in package-level state of base \(module base, layer 1\), which outlives svc`
	b.Add(tick)                           // want `func a\.tick of module svc is kept by b\.Add in package-level state of base \(module base, layer 1\), which outlives svc`
	b.Hooks = append(b.Hooks, tick)       // ok: state of another package of the same module
	peer.Hooks = append(peer.Hooks, tick) // ok: a peer in the same layer does not outlive svc
	top.Hooks = append(top.Hooks, tick)   // ok: a higher layer does not outlive svc
}
