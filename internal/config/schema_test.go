package config

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/goccy/go-yaml"
	"github.com/santhosh-tekuri/jsonschema/v6"
)

// The JSON Schema in schema/reloadvet.schema.json is for editors: a YAML
// language server checks .reloadvet.yml as it is typed. These tests hold it
// to the decoder: what one accepts the other accepts, and what one refuses
// the other refuses, except the problems no JSON Schema can state (a layer
// naming a module declared elsewhere, names unique across modules, patterns
// of two modules matching one package), which only reloadvet reports.

const schemaFile = "../../schema/reloadvet.schema.json"

// crossReference holds part of each problem message a schema cannot
// express: it relates one value to others, or is about the YAML stream
// rather than the document (a schema sees the first document only).
var crossReference = []string{
	"a second YAML document",
	"unknown module ",
	"duplicate module name ",
	"is in no layer",
	"is already in layer",
	"is matched by module",
}

func compileSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	s, err := jsonschema.NewCompiler().Compile(schemaFile)
	if err != nil {
		t.Fatalf("compiling %s: %v", schemaFile, err)
	}
	return s
}

// schemaVerdict returns the schema's complaint about a YAML document, or
// nil. A document that is not YAML is refused: an editor shows the syntax
// error before any schema.
func schemaVerdict(s *jsonschema.Schema, data []byte) error {
	js, err := yaml.YAMLToJSON(data)
	if err != nil {
		return fmt.Errorf("not YAML: %w", err)
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(js))
	if err != nil {
		return fmt.Errorf("not JSON: %w", err)
	}
	return s.Validate(inst)
}

// onlyCrossReferences reports whether every problem of err is one a schema
// cannot express, and counts in used which exemptions it took.
func onlyCrossReferences(err error, used map[string]int) bool {
	var probs Problems
	if !errors.As(err, &probs) {
		return false
	}
	var took []string
	for _, p := range probs {
		semantic := false
		for _, s := range crossReference {
			if strings.Contains(p.Msg, s) {
				semantic = true
				took = append(took, s)
			}
		}
		if !semantic {
			return false
		}
	}
	for _, s := range took {
		used[s]++
	}
	return true
}

// agree fails the test when the schema and the decoder disagree on data.
func agree(t *testing.T, s *jsonschema.Schema, name string, data []byte, used map[string]int) {
	t.Helper()
	_, derr := Parse(name, data)
	serr := schemaVerdict(s, data)
	switch {
	case derr == nil && serr != nil:
		t.Errorf("%s: the decoder accepts it, the schema refuses it: %v\n%s", name, serr, data)
	case derr != nil && serr == nil && !onlyCrossReferences(derr, used):
		t.Errorf("%s: the decoder refuses it, the schema accepts it:\n%v\n%s", name, derr, data)
	case derr != nil && serr != nil && onlyCrossReferences(derr, map[string]int{}):
		// Refused by both, but the schema saw something the decoder did
		// not: they disagree on what is wrong.
		t.Errorf("%s: the schema refuses it for %v; the decoder only for cross-references:\n%v", name, serr, derr)
	}
}

// TestSchemaOnTestdata runs both over every config file of the decoder's
// own tests.
func TestSchemaOnTestdata(t *testing.T) {
	t.Parallel()
	s := compileSchema(t)
	files, err := filepath.Glob("testdata/*/*.yml")
	if err != nil || len(files) < 20 {
		t.Fatalf("want the decoder's test configs, found %d: %v", len(files), err)
	}
	used := map[string]int{}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		agree(t, s, f, data, used)
	}
	// Every exemption is one a test config needs: the list cannot grow to
	// hide a disagreement.
	for _, e := range crossReference {
		if used[e] == 0 {
			t.Errorf("no test config is refused only for %q: drop it from crossReference, or add a config that shows it", e)
		}
	}
}

// base is a valid config, as YAML decodes it, that TestSchemaMutations
// changes one key at a time.
func base() map[string]any {
	return map[string]any{
		"version": 1,
		"modules": []any{
			map[string]any{"name": "core", "packages": []any{"example.com/app/core/..."}},
			map[string]any{"name": "api.v2", "packages": []any{"example.com/app/api", "gopkg.in/yaml.v3"}},
		},
		"layers":   []any{[]any{"core"}, []any{"api.v2"}},
		"spawners": []any{"example.com/app/core.(*Handle).Go", "example.com/app/core.Pool.Go", "gopkg.in/yaml.v3.Go"},
		"tests":    false,
		"rawspawn": map[string]any{"allow-scoped": true},
	}
}

// deleted marks a key to remove.
var deleted = &struct{}{}

// set returns a copy of cfg with the value at path (keys and list indexes,
// "modules.0.name") replaced by v, or removed when v is deleted.
func set(cfg any, path []string, v any) any {
	if len(path) == 0 {
		return v
	}
	switch x := cfg.(type) {
	case map[string]any:
		out := map[string]any{}
		for k, val := range x {
			out[k] = val
		}
		if len(path) == 1 && v == deleted {
			delete(out, path[0])
			return out
		}
		out[path[0]] = set(x[path[0]], path[1:], v)
		return out
	case []any:
		out := append([]any(nil), x...)
		i, err := strconv.Atoi(path[0])
		if err != nil {
			panic(fmt.Sprintf("list index %q in %v: %v", path[0], path, err))
		}
		out[i] = set(x[i], path[1:], v)
		return out
	}
	panic(fmt.Sprintf("cannot set %v in %T", path, cfg))
}

// TestSchemaMutations changes one value of a valid config at a time, to
// the wrong type, a bad value or nothing, and wants the schema and the
// decoder to agree on every result.
func TestSchemaMutations(t *testing.T) {
	t.Parallel()
	s := compileSchema(t)
	values := map[string][]any{
		"version":               {2, "1", nil, 1.5, deleted, []any{1}},
		"modules":               {nil, []any{}, map[string]any{"name": "core"}, "core", deleted},
		"modules.0":             {"core", nil, map[string]any{"name": "core"}, map[string]any{"name": "core", "packages": []any{"a"}, "extra": 1}},
		"modules.0.name":        {"", "9lives", "a b", "ok-name_1.x", 12, nil, true, deleted},
		"modules.0.packages":    {[]any{}, "example.com/app/core/...", []any{1}, nil, deleted, []any{"a/b", "c/..."}},
		"modules.1.packages.0":  {"./api", "...", "./...", "a//b", "a/b/", "a b", "", "a/.../b", "/abs", "a/./b", ".hidden", "trailing.", "a/b/...", "x~y+z_w-v", nil, 3},
		"layers":                {nil, []any{}, "core", []any{"core"}, deleted, []any{[]any{"core"}, []any{}}},
		"layers.0":              {[]any{}, nil, "core", []any{1}, []any{"core", nil}},
		"layers.1.0":            {"missing", "core", 7, nil},
		"spawners":              {nil, []any{}, "example.com/app/core.Go", 7, deleted},
		"spawners.0":            {"Go", "core.(*Handle)", "example.com/app/core.(*Handle).Go.X", "example.com/app/core.", "example.com/app/core.(Handle).Go", "example.com/x.F", "example.com/x.T.M", "example.com/x.(*T).M", "example.com/x.(*T)", "x.F", "example.com/x.Fünf", nil, 1},
		"tests":                 {true, "yes", 1, nil, deleted},
		"rawspawn":              {nil, map[string]any{}, []any{}, map[string]any{"allow-scope": true}, true},
		"rawspawn.allow-scoped": {false, "yes", nil, 1},
		"extra":                 {1, nil},
	}
	n := 0
	for path, vs := range values {
		for _, v := range vs {
			cfg := set(base(), strings.Split(path, "."), v)
			data, err := yaml.Marshal(cfg)
			if err != nil {
				t.Fatal(err)
			}
			agree(t, s, fmt.Sprintf("%s=%#v", path, v), data, map[string]int{})
			n++
		}
	}
	// The base config itself.
	data, err := yaml.Marshal(base())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Parse("base.yml", data); err != nil {
		t.Fatalf("the base config is not valid: %v\n%s", err, data)
	}
	agree(t, s, "base", data, map[string]int{})
	t.Logf("%d mutations of a valid config", n)
}
