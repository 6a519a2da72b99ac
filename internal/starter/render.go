package starter

import (
	"fmt"
	"strconv"
	"strings"
)

// SchemaURL is where editors' YAML language servers find the JSON Schema
// of .reloadvet.yml (the file schema/reloadvet.schema.json of the
// repository).
const SchemaURL = "https://raw.githubusercontent.com/reloadvet/reloadvet/main/schema/reloadvet.schema.json"

// Render holds what a config needs beyond the plan.
type Render struct {
	Command    string      // how the file was made, for its first comment
	Spawners   []string    // spawners to write as entries
	Candidates []Candidate // spawner-shaped methods, written as comments
}

// YAML writes the plan as a commented .reloadvet.yml.
func (p *Plan) YAML(r Render) []byte {
	var b strings.Builder
	fmt.Fprintf(&b, "# yaml-language-server: $schema=%s\n#\n", SchemaURL)
	comment(&b, fmt.Sprintf("A first .reloadvet.yml, written by `%s`: read it, then rename, merge or split the modules to match what your program reloads together. The README's section on the config explains every key.", r.Command))
	b.WriteString("version: 1\n\n")

	comment(&b, p.modulesIntro())
	b.WriteString("modules:\n")
	for _, m := range p.Modules {
		fmt.Fprintf(&b, "  - name: %s\n    packages: [%s]", scalar(m.Name), quoted(m.Packages))
		if len(m.Groups) > 1 {
			fmt.Fprintf(&b, " # merged: %s import each other in a cycle", strings.Join(m.Groups, ", "))
		}
		b.WriteString("\n")
	}

	b.WriteString("\n")
	comment(&b, "Layers, bottom (longest-lived) first: each module sits one layer above the highest module it imports, so that every import goes down and modules unload top-down.")
	if len(p.Against) > 0 {
		comment(&b, "Some modules import each other in a cycle ("+p.cycleModules()+"). They are kept apart and layered as if the imports below did not exist; reloadvet reports each of them until it is removed (reloadvet init -merge-cycles makes each cycle one module instead):")
		for _, e := range p.Against {
			fmt.Fprintf(&b, "#   %s -> %s: %s imports %s\n", e.From, e.To, e.Importer, e.Imported)
		}
	}
	b.WriteString("layers:\n")
	for _, l := range p.Layers {
		fmt.Fprintf(&b, "  - [%s]\n", scalars(l))
	}

	b.WriteString("\n")
	comment(&b, "Spawners: the only functions that may start a goroutine inside a module, so that the module's handle can join it at unload. rawspawn reports every other way.")
	if len(r.Candidates) > 0 {
		comment(&b, "These methods look like spawners (each starts the func it is given in a goroutine, and a method of its type waits); add the ones your modules use:")
		for _, c := range r.Candidates {
			fmt.Fprintf(&b, "#   - %q  # %s waits\n", c.Name, c.Waiter)
		}
	}
	if len(r.Spawners) == 0 {
		b.WriteString("spawners: []\n")
	} else {
		b.WriteString("spawners:\n")
		for _, s := range r.Spawners {
			fmt.Fprintf(&b, "  - %q\n", s)
		}
	}
	return []byte(b.String())
}

func (p *Plan) modulesIntro() string {
	s := "Modules: one per package"
	if p.Options.Depth > 0 {
		s = fmt.Sprintf("Modules: one per directory %d level%s below the module path", p.Options.Depth, plural(p.Options.Depth))
	}
	if p.Options.Prefix != "" {
		s += " " + p.Options.Prefix
	}
	s += "."
	if len(p.Host) > 0 {
		s += " Left out, as the host program that loads the modules and is never reloaded (package main): " + strings.Join(p.Host, ", ") + "."
	}
	return s
}

// cycleModules names the modules of each cycle: "admin, api; x, y".
func (p *Plan) cycleModules() string {
	moduleOf := map[string]string{}
	for _, m := range p.Modules {
		for _, g := range m.Groups {
			moduleOf[g] = m.Name
		}
	}
	parts := make([]string, len(p.Cycles))
	for i, c := range p.Cycles {
		names := make([]string, len(c))
		for j, g := range c {
			names[j] = moduleOf[g]
		}
		parts[i] = strings.Join(names, ", ")
	}
	return strings.Join(parts, "; ")
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

// comment writes text as # lines of at most 76 characters.
func comment(b *strings.Builder, text string) {
	line := "#"
	for _, w := range strings.Fields(text) {
		if len(line)+1+len(w) > 76 && line != "#" {
			b.WriteString(line + "\n")
			line = "#"
		}
		line += " " + w
	}
	b.WriteString(line + "\n")
}

// scalar writes a module name as a YAML scalar, quoted where YAML would
// read it as something other than a string (true, null, 1e3).
func scalar(s string) string {
	switch strings.ToLower(s) {
	case "true", "false", "yes", "no", "on", "off", "null", "y", "n":
		return strconv.Quote(s)
	}
	if _, err := strconv.ParseFloat(s, 64); err == nil {
		return strconv.Quote(s)
	}
	return s
}

func scalars(ss []string) string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = scalar(s)
	}
	return strings.Join(out, ", ")
}

func quoted(ss []string) string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = strconv.Quote(s)
	}
	return strings.Join(out, ", ")
}
