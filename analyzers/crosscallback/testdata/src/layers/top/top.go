// Package top is in a higher layer than svc.
package top

var Hooks []func()
