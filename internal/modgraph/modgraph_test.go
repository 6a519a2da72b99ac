package modgraph

import (
	"fmt"
	"os/exec"
	"strconv"
	"strings"
	"testing"

	"github.com/reloadvet/reloadvet/internal/config"
)

func testGraph(t *testing.T) *Graph {
	cfg, err := config.Parse("c.yml", []byte(`version: 1
modules:
  - {name: core, packages: ["a/core/..."]}
  - {name: db, packages: ["a/db/..."]}
  - {name: api, packages: ["a/api/..."]}
  - {name: admin-ui, packages: ["a/admin/..."]}
layers: [[core], [db], [api, admin-ui]]
`))
	if err != nil {
		t.Fatal(err)
	}
	return Build(cfg, map[string][]string{
		"a/db/store":   {"a/core", "a/api/h", "fmt"},
		"a/db/pool":    {"a/core/log"},
		"a/api/h":      {"a/core", "a/db/store", "a/admin/users", "a/api/x"},
		"a/admin/user": {"a/core"},
		"a/cmd/main":   {"a/api/h", "a/db/store"}, // owned by no module: no edges
	})
}

func TestBuild(t *testing.T) {
	var got []string
	for _, e := range testGraph(t).Edges {
		got = append(got, e.From+"->"+e.To+" "+label(e)+" ("+e.Example+")")
	}
	want := []string{
		"admin-ui->core 1 import (a/admin/user imports a/core)",
		"api->admin-ui sideways: 1 import (a/api/h imports a/admin/users)",
		"api->core 1 import (a/api/h imports a/core)",
		"api->db 1 import, on a cycle (a/api/h imports a/db/store)",
		"db->api upward: 1 import, on a cycle (a/db/store imports a/api/h)",
		"db->core 2 imports (a/db/pool imports a/core/log)",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("edges:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestCycles(t *testing.T) {
	g := testGraph(t)
	if got := fmt.Sprint(g.Cycles); got != "[[api db]]" {
		t.Errorf("cycles %s, want [[api db]]", got)
	}
	var on []string
	for _, e := range g.Edges {
		if e.InCycle {
			on = append(on, e.From+"->"+e.To)
		}
	}
	if got := strings.Join(on, " "); got != "api->db db->api" {
		t.Errorf("edges on a cycle: %s, want api->db db->api", got)
	}
}

func TestWriteDOT(t *testing.T) {
	var b strings.Builder
	if err := testGraph(t).WriteDOT(&b); err != nil {
		t.Fatal(err)
	}
	for _, line := range []string{
		"\trankdir=TB;\n\tnewrank=true;\n",
		"on a module cycle: api, db",
		"\tsubgraph cluster_layer3 {\n\t\tlabel=\"layer 3\";\n\t\t\"api\";\n\t\t\"admin-ui\";\n\t}\n\tsubgraph cluster_layer2 {",
		"\t{ rank=same; \"api\"; \"admin-ui\"; }\n\t\"api\" -> \"db\" [style=invis];\n",
		`"db" -> "api" [label="upward: 1 import, on a cycle", tooltip="a/db/store imports a/api/h", constraint=false, color=red, fontcolor=red, style="bold,dashed"];`,
		`"api" -> "db" [label="1 import, on a cycle", tooltip="a/api/h imports a/db/store", style="dashed"];`,
		`"db" -> "core" [label="2 imports", tooltip="a/db/pool imports a/core/log"];`,
	} {
		if !strings.Contains(b.String(), line) {
			t.Errorf("DOT lacks %q:\n%s", line, b.String())
		}
	}
}

// TestLadder renders the DOT with Graphviz, when it is installed, and
// reads where it placed the modules: each layer on one level, the bottom
// layer lowest, and an upward import drawn pointing up.
func TestLadder(t *testing.T) {
	dotBin, err := exec.LookPath("dot")
	if err != nil {
		t.Skip("graphviz (dot) is not installed: apt-get install graphviz")
	}
	var b strings.Builder
	if err := testGraph(t).WriteDOT(&b); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(dotBin, "-Tplain")
	cmd.Stdin = strings.NewReader(b.String())
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("dot -Tplain: %v\n%s", err, b.String())
	}
	y := map[string]float64{}
	var upward []float64 // the y of each point of the db -> api spline
	for _, line := range strings.Split(string(out), "\n") {
		f := strings.Fields(line)
		switch {
		case len(f) >= 4 && f[0] == "node":
			y[strings.Trim(f[1], `"`)] = parseFloat(t, f[3])
		case len(f) >= 4 && f[0] == "edge" && f[1] == "db" && f[2] == "api":
			n, err := strconv.Atoi(f[3])
			if err != nil {
				t.Fatal(err)
			}
			for i := range n {
				upward = append(upward, parseFloat(t, f[5+2*i]))
			}
		}
	}
	// In -Tplain output y grows upwards.
	if !(y["core"] < y["db"] && y["db"] < y["api"]) {
		t.Errorf("layers out of order, want core < db < api: %v", y)
	}
	if y["api"] != y["admin-ui"] {
		t.Errorf("peers api and admin-ui not level: %v", y)
	}
	if len(upward) < 2 || upward[len(upward)-1] <= upward[0] {
		t.Errorf("upward import db -> api does not point up: spline y %v", upward)
	}
}

func parseFloat(t *testing.T, s string) float64 {
	t.Helper()
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestWriteMermaid(t *testing.T) {
	var b strings.Builder
	if err := testGraph(t).WriteMermaid(&b); err != nil {
		t.Fatal(err)
	}
	for _, line := range []string{
		"flowchart TB\n",
		"\tsubgraph layer3[\"layer 3\"]\n\t\tm_api[\"api\"]\n\t\tm_admin_2dui[\"admin-ui\"]\n\tend\n\tsubgraph layer2",
		"\tlayer3 ~~~ layer2\n\tlayer2 ~~~ layer1\n",
		"\tm_api -.->|\"sideways: 1 import\"| m_admin_2dui\n",
		"\tm_api ==>|\"1 import, on a cycle\"| m_db\n",
		"\tm_db -.->|\"upward: 1 import, on a cycle\"| m_api\n",
		"\tlinkStyle 3 stroke:red,color:red\n",
		"\tlinkStyle 6 stroke:red,color:red\n",
		"\tlinkStyle 5 stroke-dasharray:6 3\n",
	} {
		if !strings.Contains(b.String(), line) {
			t.Errorf("Mermaid lacks %q:\n%s", line, b.String())
		}
	}
}
