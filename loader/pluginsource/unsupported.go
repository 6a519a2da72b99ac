//go:build !((linux || darwin || freebsd) && cgo)

package pluginsource

const supported = false
