//go:build race

package pluginsource

// raceEnabled: a plugin must be built with -race exactly when the program is.
const raceEnabled = true
