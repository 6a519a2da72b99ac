package suggest

import "testing"

func TestClosest(t *testing.T) {
	names := []string{"core", "database", "api", "admin"}
	cases := map[string]string{
		"databse":  "database", // deletion
		"dataabse": "database", // transposition counts as one edit
		"Admin":    "admin",    // case does not count
		"apii":     "api",
		"zzz":      "",
		"coreext":  "", // too far to be a typo
	}
	for in, want := range cases {
		if got := Closest(in, names); got != want {
			t.Errorf("Closest(%q) = %q, want %q", in, got, want)
		}
	}
}
