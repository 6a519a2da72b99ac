// Package peer is in the same layer as svc.
package peer

var Hooks []func()
