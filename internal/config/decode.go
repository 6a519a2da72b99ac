package config

import (
	"errors"
	"fmt"
	"reflect"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"
	"github.com/goccy/go-yaml/token"

	"github.com/reloadvet/reloadvet/internal/suggest"
)

// Pos is a 1-based line and column in the config file.
type Pos struct{ Line, Col int }

func (p Pos) String() string { return fmt.Sprintf("%d:%d", p.Line, p.Col) }

// decoder turns a YAML syntax tree into a Config strictly: it walks the
// tree against the struct's json tags (the same tags the golangci-lint
// plugin decodes settings with), records the position of every value by key
// path, and collects every unknown key and wrong type instead of stopping at
// the first.
type decoder struct {
	file    string
	probs   Problems
	pos     map[string]Pos
	anchors map[string]ast.Node
	// tainted are the key paths whose values are missing or wrong because
	// of a problem already reported, so that validation does not report
	// the same mistake again in other words.
	tainted []string
}

// decodeYAML parses data and decodes it into c. Syntax errors (including
// duplicate keys, which the parser rejects) stop decoding; type errors and
// unknown keys are all collected, with the key paths they leave wrong.
func decodeYAML(file string, data []byte, c *Config) (pos map[string]Pos, probs Problems, tainted []string, ok bool) {
	f, err := parser.ParseBytes(data, 0)
	if err != nil {
		return nil, Problems{syntaxProblem(file, err)}, nil, false
	}
	d := &decoder{file: file, pos: map[string]Pos{}, anchors: map[string]ast.Node{}}
	var docs []ast.Node
	for _, doc := range f.Docs {
		if doc != nil && doc.Body != nil {
			docs = append(docs, doc.Body)
		}
	}
	switch len(docs) {
	case 0:
		// An empty file decodes to the zero Config; Validate reports the
		// missing version.
	case 1:
		d.decode(docs[0], reflect.ValueOf(c).Elem(), "")
	default:
		d.problem(docs[1], "", "a second YAML document (accepted: one document per config file)")
		return d.pos, d.probs, nil, false
	}
	return d.pos, d.probs, d.tainted, true
}

// syntaxProblem converts a parser error to a Problem at the token it names.
func syntaxProblem(file string, err error) *Problem {
	var se *yaml.SyntaxError
	if !errors.As(err, &se) || se.Token == nil {
		return &Problem{File: file, Line: 1, Col: 1, Msg: "invalid YAML: " + err.Error() + " (accepted: valid YAML)"}
	}
	p := &Problem{File: file, Line: se.Token.Position.Line, Col: se.Token.Position.Column}
	if key, first, ok := duplicateKey(se.Message); ok {
		p.Msg = fmt.Sprintf("duplicate key %s, first defined at %s (accepted: each key once per mapping)", key, first)
	} else {
		p.Msg = "invalid YAML: " + se.Message + " (accepted: valid YAML)"
	}
	return p
}

// duplicateKeyRE matches the parser's duplicate key message,
// `mapping key "name" already defined at [3:5]`.
var duplicateKeyRE = regexp.MustCompile(`^mapping key (".*") already defined at \[(\d+):(\d+)\]$`)

func duplicateKey(msg string) (key, first string, ok bool) {
	m := duplicateKeyRE.FindStringSubmatch(msg)
	if m == nil {
		return "", "", false
	}
	return m[1], m[2] + ":" + m[3], true
}

func (d *decoder) problem(n ast.Node, path, msg string) {
	d.tainted = append(d.tainted, path)
	p := &Problem{File: d.file, Path: path, Msg: msg}
	if n != nil {
		if tok := startToken(n); tok != nil {
			p.Line, p.Col = tok.Position.Line, tok.Position.Column
		}
	}
	d.probs = append(d.probs, p)
}

// resolve strips anchors and tags and follows aliases, returning the node
// that carries the value and the explicit tag, if any.
func (d *decoder) resolve(n ast.Node) (ast.Node, string) {
	tag := ""
	for {
		switch x := n.(type) {
		case *ast.AnchorNode:
			d.anchors[x.Name.GetToken().Value] = x.Value
			n = x.Value
		case *ast.AliasNode:
			target, ok := d.anchors[x.Value.GetToken().Value]
			if !ok {
				return n, tag
			}
			n = target
		case *ast.TagNode:
			tag = x.Start.Value
			n = x.Value
		default:
			return n, tag
		}
	}
}

func (d *decoder) decode(n ast.Node, v reflect.Value, path string) {
	n, tag := d.resolve(n)
	if n == nil {
		return
	}
	if tok := startToken(n); tok != nil {
		d.pos[path] = Pos{tok.Position.Line, tok.Position.Column}
	}
	if alias, ok := n.(*ast.AliasNode); ok {
		d.problem(alias, path, fmt.Sprintf("unknown alias %q (accepted: an alias to an anchor defined earlier)", alias.Value.GetToken().Value))
		return
	}
	if _, ok := n.(*ast.NullNode); ok {
		return // null leaves the zero value; Validate says what is missing
	}
	switch v.Kind() {
	case reflect.Struct:
		d.decodeStruct(n, v, path)
	case reflect.Slice:
		d.decodeSlice(n, v, path)
	case reflect.String:
		s, ok := scalarString(n, tag)
		if !ok {
			d.problem(n, path, fmt.Sprintf("got %s (accepted: a string)", describe(n)))
			return
		}
		v.SetString(s)
	case reflect.Int:
		i, ok := n.(*ast.IntegerNode)
		if !ok || tag == "!!str" {
			d.problem(n, path, fmt.Sprintf("got %s (accepted: an integer)", describe(n)))
			return
		}
		v.SetInt(toInt64(i.Value))
	case reflect.Bool:
		b, ok := n.(*ast.BoolNode)
		if !ok || tag == "!!str" {
			d.problem(n, path, fmt.Sprintf("got %s (accepted: true or false)", describe(n)))
			return
		}
		v.SetBool(b.Value)
	default:
		panic(fmt.Sprintf("config: no YAML decoding for %s", v.Type()))
	}
}

// startToken returns the token where a node's text begins. A mapping's own
// token is its first ':', so it starts at its first key instead.
func startToken(n ast.Node) *token.Token {
	switch m := n.(type) {
	case *ast.MappingNode:
		if len(m.Values) > 0 {
			return m.Values[0].Key.GetToken()
		}
	case *ast.MappingValueNode:
		return m.Key.GetToken()
	}
	return n.GetToken()
}

// decodeStruct decodes a mapping into the fields of v named by json tags.
func (d *decoder) decodeStruct(n ast.Node, v reflect.Value, path string) {
	var entries []*ast.MappingValueNode
	switch m := n.(type) {
	case *ast.MappingNode:
		entries = m.Values
	case *ast.MappingValueNode:
		entries = []*ast.MappingValueNode{m}
	default:
		d.problem(n, path, fmt.Sprintf("got %s (accepted: a mapping with keys %s)", describe(n), strings.Join(fieldNames(v.Type()), ", ")))
		return
	}
	fields := fieldIndex(v.Type())
	for _, e := range entries {
		if _, ok := e.Key.(*ast.MergeKeyNode); ok {
			d.problem(e.Key, path, "merge keys (<<) are not supported (accepted: keys written out)")
			continue
		}
		key := e.Key.GetToken().Value
		idx, ok := fields[key]
		if !ok {
			d.problem(e.Key, joinKey(path, key), unknownKeyMsg(key, fieldNames(v.Type())))
			if meant := suggest.Closest(key, fieldNames(v.Type())); meant != "" {
				d.tainted = append(d.tainted, joinKey(path, meant))
			}
			continue
		}
		d.decode(e.Value, v.Field(idx), joinKey(path, key))
	}
}

func (d *decoder) decodeSlice(n ast.Node, v reflect.Value, path string) {
	seq, ok := n.(*ast.SequenceNode)
	if !ok {
		d.problem(n, path, fmt.Sprintf("got %s (accepted: %s)", describe(n), describeType(v.Type())))
		return
	}
	out := reflect.MakeSlice(v.Type(), len(seq.Values), len(seq.Values))
	for i, elem := range seq.Values {
		d.decode(elem, out.Index(i), fmt.Sprintf("%s[%d]", path, i))
	}
	v.Set(out)
}

func unknownKeyMsg(key string, accepted []string) string {
	msg := fmt.Sprintf("unknown key %q", key)
	if s := suggest.Closest(key, accepted); s != "" {
		msg += fmt.Sprintf(", did you mean %q?", s)
	}
	return msg + " (accepted: " + strings.Join(accepted, ", ") + ")"
}

func joinKey(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// scalarString returns the text of a scalar written where a string belongs.
// Only string-typed scalars qualify: `name: 1` is a type error, not "1".
func scalarString(n ast.Node, tag string) (string, bool) {
	switch x := n.(type) {
	case *ast.StringNode:
		return x.Value, true
	case *ast.LiteralNode:
		return x.Value.Value, true
	}
	if tag == "!!str" {
		if tok := n.GetToken(); tok != nil {
			return tok.Value, true
		}
	}
	return "", false
}

func toInt64(v any) int64 {
	switch x := v.(type) {
	case int64:
		return x
	case uint64:
		return int64(x)
	}
	return 0
}

// describe names the kind and value of a node for "got ..." messages.
func describe(n ast.Node) string {
	switch x := n.(type) {
	case *ast.StringNode:
		return quoteShort(x.Value)
	case *ast.LiteralNode:
		return quoteShort(x.Value.Value)
	case *ast.IntegerNode:
		return "integer " + x.GetToken().Value
	case *ast.FloatNode:
		return "number " + x.GetToken().Value
	case *ast.BoolNode:
		return "boolean " + x.GetToken().Value
	case *ast.NullNode:
		return "null"
	case *ast.SequenceNode:
		return "a list"
	case *ast.MappingNode, *ast.MappingValueNode:
		return "a mapping"
	}
	return strings.ToLower(n.Type().String())
}

// quoteShort quotes s for a message, cut to its first 60 characters so
// that a long or pasted value does not flood the error.
func quoteShort(s string) string {
	const limit = 60
	if r := []rune(s); len(r) > limit {
		return strconv.Quote(string(r[:limit])) + fmt.Sprintf(" (%d more characters)", len(r)-limit)
	}
	return strconv.Quote(s)
}

// describeType names the YAML shape a Go type expects.
func describeType(t reflect.Type) string {
	switch t.Kind() {
	case reflect.Slice:
		elem := describeType(t.Elem())
		elem = strings.TrimPrefix(strings.TrimPrefix(elem, "a "), "an ")
		return "a list of " + plural(elem)
	case reflect.Struct:
		return "a mapping"
	case reflect.String:
		return "a string"
	case reflect.Int:
		return "an integer"
	case reflect.Bool:
		return "a boolean"
	}
	return t.String()
}

func plural(s string) string {
	head, rest, _ := strings.Cut(s, " ")
	if rest != "" {
		return plural(head) + " " + rest
	}
	return s + "s"
}

// fieldIndex maps json tag names of t's fields to field indexes.
func fieldIndex(t reflect.Type) map[string]int {
	m := map[string]int{}
	for i := range t.NumField() {
		if name := tagName(t.Field(i)); name != "" {
			m[name] = i
		}
	}
	return m
}

// Keys returns the top-level keys of a config file in the order of
// Config's fields, which is the order the README documents them in.
func Keys() []string {
	t := reflect.TypeFor[Config]()
	var keys []string
	for i := range t.NumField() {
		if name := tagName(t.Field(i)); name != "" {
			keys = append(keys, name)
		}
	}
	return keys
}

func fieldNames(t reflect.Type) []string {
	var names []string
	for name := range fieldIndex(t) {
		names = append(names, name)
	}
	sort.Strings(names)
	return names
}

func tagName(f reflect.StructField) string {
	if !f.IsExported() {
		return ""
	}
	name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
	if name == "-" {
		return ""
	}
	return name
}
