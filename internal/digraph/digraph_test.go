package digraph

import (
	"fmt"
	"testing"
)

func TestComponents(t *testing.T) {
	t.Parallel()
	edges := map[string][]string{
		"api":   {"admin", "core", "db"},
		"admin": {"api", "core"},
		"db":    {"core", "api", "elsewhere"}, // elsewhere is not a node: ignored
		"core":  {},
		"tool":  {"tool"}, // a self-loop is a component of one
	}
	succ := func(v string) []string { return edges[v] }
	got := fmt.Sprint(Components([]string{"admin", "api", "core", "db", "tool"}, succ))
	// core comes first: the cycle of admin, api and db reaches it.
	if want := "[[core] [admin api db] [tool]]"; got != want {
		t.Errorf("Components = %s, want %s", got, want)
	}
	if got := fmt.Sprint(Components(nil, succ)); got != "[]" {
		t.Errorf("Components of no nodes = %s", got)
	}
}
