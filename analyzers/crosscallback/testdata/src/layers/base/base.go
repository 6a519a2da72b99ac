// Package base is in the lowest layer.
package base

var Hooks []func()

func Add(f func()) { Hooks = append(Hooks, f) } // want Add:`retains\(f: global layers/base\)`
