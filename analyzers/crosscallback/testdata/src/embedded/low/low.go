package low

import "embedded/lib"

// Base keeps the funcs it is given.
type Base struct{ fs []func() }

func (b *Base) Add(f func()) { b.fs = append(b.fs, f) } // want Add:`retains\(f: receiver.fs\)`

// Conn embeds Base, which declares Add, and lib.Hooks, which declares
// OnClose.
type Conn struct {
	Base
	lib.Hooks
	Name string
}

// PConn embeds Base by pointer.
type PConn struct{ *Base }

func NewConn() *Conn { return &Conn{} }
