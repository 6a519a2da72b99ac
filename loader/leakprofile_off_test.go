//go:build !goexperiment.goroutineleakprofile && !go1.27

package loader

import "testing"

func TestTheLeakProfileIsAbsentWithoutTheExperiment(t *testing.T) {
	if hasLeakProfile() {
		t.Fatal("built without GOEXPERIMENT=goroutineleakprofile on Go 1.26, yet pprof has a goroutineleak profile")
	}
}
