package config_test

import (
	"testing"

	"github.com/reloadvet/reloadvet/internal/config"
)

func TestSpawnerNames(t *testing.T) {
	for _, tc := range []struct {
		spawners []string
		want     string
	}{
		{nil, ""},
		{[]string{"example.com/app/core.(*Handle).Go"}, "core.(*Handle).Go"},
		{[]string{"pool.Go", "example.com/x/core.Spawn"}, "pool.Go or core.Spawn"},
		{[]string{"a/pool.Go", "b/core.(*Handle).Go", "core.Spawn"}, "pool.Go, core.(*Handle).Go or core.Spawn"},
	} {
		cfg := &config.Config{Spawners: tc.spawners}
		if got := cfg.SpawnerNames(); got != tc.want {
			t.Errorf("SpawnerNames of %q = %q, want %q", tc.spawners, got, tc.want)
		}
	}
}

// TestOverride checks the flag that overrides a config key: unset, the
// config decides; set, it wins either way; a bad value is refused.
func TestOverride(t *testing.T) {
	var o config.Override
	if !o.Or(true) || o.Or(false) {
		t.Error("an unset Override does not return the config's value")
	}
	if err := o.Set("false"); err != nil {
		t.Fatal(err)
	}
	if o.Or(true) {
		t.Error("Override set to false returns the config's true")
	}
	if err := o.Set("yes"); err == nil || err.Error() != `want true or false, got "yes"` {
		t.Errorf("Set(yes): %v", err)
	}
}
