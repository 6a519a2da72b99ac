//go:build (linux || darwin || freebsd) && cgo

package pluginsource

// supported: the plugin package only works on these systems, with cgo.
const supported = true
