package modgraph

import (
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
		"api->db 1 import (a/api/h imports a/db/store)",
		"db->api upward: 1 import (a/db/store imports a/api/h)",
		"db->core 2 imports (a/db/pool imports a/core/log)",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("edges:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestWriteDOT(t *testing.T) {
	var b strings.Builder
	if err := testGraph(t).WriteDOT(&b); err != nil {
		t.Fatal(err)
	}
	for _, line := range []string{
		"\tsubgraph cluster_layer3 {\n\t\tlabel=\"layer 3\";\n\t\t\"api\";\n\t\t\"admin-ui\";\n\t}",
		`"db" -> "api" [label="upward: 1 import", tooltip="a/db/store imports a/api/h", color=red, fontcolor=red, style=bold];`,
		`"db" -> "core" [label="2 imports", tooltip="a/db/pool imports a/core/log"];`,
	} {
		if !strings.Contains(b.String(), line) {
			t.Errorf("DOT lacks %q:\n%s", line, b.String())
		}
	}
}

func TestWriteMermaid(t *testing.T) {
	var b strings.Builder
	if err := testGraph(t).WriteMermaid(&b); err != nil {
		t.Fatal(err)
	}
	for _, line := range []string{
		"flowchart BT\n",
		"\tsubgraph layer3[\"layer 3\"]\n\t\tm_api[\"api\"]\n\t\tm_admin_2dui[\"admin-ui\"]\n\tend\n",
		"\tm_api -.->|\"sideways: 1 import\"| m_admin_2dui\n",
		"\tm_db -.->|\"upward: 1 import\"| m_api\n",
		"\tlinkStyle 1 stroke:red,color:red\n",
		"\tlinkStyle 4 stroke:red,color:red\n",
	} {
		if !strings.Contains(b.String(), line) {
			t.Errorf("Mermaid lacks %q:\n%s", line, b.String())
		}
	}
}
