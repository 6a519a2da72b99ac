//go:build unix

package loader

import (
	"syscall"
	"testing"
	"time"
)

// cpuClock returns a function that reports, as cpu-ns/op, the CPU time the
// process used per op since cpuClock was called: a figure that other load
// on the machine disturbs far less than the wall clock.
func cpuClock(b *testing.B) (report func()) {
	start := processCPU()
	return func() {
		b.ReportMetric(float64(processCPU()-start)/float64(b.N), "cpu-ns/op")
	}
}

func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
