//go:build goexperiment.goroutineleakprofile

package loader

import "testing"

func TestTheLeakProfileIsThereWithTheExperiment(t *testing.T) {
	if !hasLeakProfile() {
		t.Fatal("built with GOEXPERIMENT=goroutineleakprofile, but pprof has no goroutineleak profile")
	}
}
