//go:build !race

package pluginsource

const raceEnabled = false
