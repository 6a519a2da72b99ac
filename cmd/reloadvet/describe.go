package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"reflect"
	"regexp"
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/reloadvet/reloadvet/analyzers"
	"github.com/reloadvet/reloadvet/internal/config"
)

// describe prints, for -v, the config in effect (after the command's
// flags), the analyzer flags given, and what each analyzer has nothing to
// check under it.
func describe(w io.Writer, cfg *config.Config, cfgName string, selected []*analysis.Analyzer) {
	if cfgName == "" {
		fmt.Fprintln(w, "reloadvet: no config file found: using defaults (no modules)")
	} else {
		fmt.Fprintf(w, "reloadvet: config %s: %s in %s, %s; in effect:\n", cfgName,
			count(len(cfg.Modules), "module"), count(len(cfg.Layers), "layer"), count(len(cfg.Spawners), "spawner"))
		for _, line := range configLines(cfg, selected) {
			fmt.Fprintf(w, "reloadvet:   %s\n", line)
		}
	}
	for _, a := range selected {
		if note := analyzers.Note(a.Name, cfg); note != "" {
			fmt.Fprintf(w, "reloadvet: %s: %s\n", a.Name, note)
		}
	}
}

// configLines writes the config as the analyzers read it: the layers from
// the bottom up with each module's patterns, the spawners, and every other
// key with its value, defaults included, so that nothing in effect is
// left unsaid. An analyzer's options are followed by the flags given to it
// for this run, which override them.
func configLines(cfg *config.Config, selected []*analysis.Analyzer) []string {
	flags := map[string][]string{}
	for _, a := range selected {
		a.Flags.Visit(func(f *flag.Flag) { flags[a.Name] = append(flags[a.Name], "-"+a.Name+"."+f.Name+"="+f.Value.String()) })
	}
	patterns := map[string]string{}
	for _, m := range cfg.Modules {
		patterns[m.Name] = m.Name + " (" + strings.Join(m.Packages, ", ") + ")"
	}
	var lines []string
	placed := map[string]bool{}
	for i, layer := range cfg.Layers {
		mods := make([]string, len(layer))
		for j, name := range layer {
			mods[j], placed[name] = patterns[name], true
		}
		lines = append(lines, fmt.Sprintf("layer %d: %s", i+1, strings.Join(mods, ", ")))
	}
	for _, m := range cfg.Modules {
		if !placed[m.Name] {
			lines = append(lines, "in no layer: "+patterns[m.Name])
		}
	}
	if len(cfg.Spawners) == 0 {
		lines = append(lines, "spawners: none")
	} else {
		lines = append(lines, "spawners: "+strings.Join(cfg.Spawners, ", "))
	}
	// The remaining keys are options: print them as the config spells them.
	v, t := reflect.ValueOf(cfg).Elem(), reflect.TypeFor[config.Config]()
	for i := range t.NumField() {
		key, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ",")
		switch key {
		case "", "-", "version", "modules", "layers", "spawners":
			continue
		}
		value, err := json.Marshal(v.Field(i).Interface())
		if err != nil {
			value = []byte(fmt.Sprint(v.Field(i).Interface()))
		}
		line := key + ": " + jsonKey.ReplaceAllString(string(value), "$1: ")
		if set := flags[key]; len(set) > 0 {
			line += ", overridden for this run by " + strings.Join(set, " ")
			delete(flags, key)
		}
		lines = append(lines, line)
	}
	for _, a := range selected {
		if set := flags[a.Name]; len(set) > 0 {
			lines = append(lines, a.Name+" flags: "+strings.Join(set, " "))
		}
	}
	return lines
}

// jsonKey is a quoted key of a JSON object, written unquoted as in YAML.
var jsonKey = regexp.MustCompile(`"([A-Za-z0-9_-]+)":`)
