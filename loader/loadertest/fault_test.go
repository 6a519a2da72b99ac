package loadertest_test

import (
	"context"
	"testing"
	"time"

	"github.com/reloadvet/reloadvet/loader"
)

// Fault 3: a pending Handle.AfterFunc is not a leak.
func TestFaultPendingAfterFunc(t *testing.T) {
	t.Parallel()
	fails := 0
	for range 20 {
		m := loader.Module{Name: "timers", Factory: loader.Func(func(ctx context.Context, h *loader.Handle) (*state, error) {
			s := &state{}
			h.AfterFunc(time.Hour, func(ctx context.Context) { s.calls++ })
			return s, nil
		}, nil)}
		if got := verify(t, m); got != "" {
			fails++
			if fails == 1 {
				t.Log(got)
			}
		}
	}
	if fails > 0 {
		t.Errorf("a clean module with a pending AfterFunc failed %d of 20 runs", fails)
	}
}
