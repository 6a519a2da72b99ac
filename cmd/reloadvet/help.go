package main

import (
	"flag"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/reloadvet/reloadvet/analyzers"
	"github.com/reloadvet/reloadvet/internal/suggest"
)

// help lists the analyzers, or prints one analyzer's documentation.
func help(args []string, stdout, stderr io.Writer) int {
	all := analyzers.All()
	if len(args) == 0 {
		fmt.Fprintln(stdout, "reloadvet checks that Go code can be unloaded and reloaded in a live process.\n\nUsage: reloadvet [flags] [packages]; reloadvet graph; reloadvet help NAME\n\nAnalyzers:")
		tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
		for _, a := range all {
			fmt.Fprintf(tw, "  %s\t%s\n", a.Name, summaryOf(a))
		}
		if err := tw.Flush(); err != nil {
			fmt.Fprintf(stderr, "reloadvet: writing help: %v\n", err)
			return exitError
		}
		fmt.Fprintln(stdout, "\nRun 'reloadvet help NAME' for an analyzer's documentation and 'reloadvet -h' for flags.")
		return exitClean
	}
	for _, a := range all {
		if a.Name != args[0] {
			continue
		}
		fmt.Fprintf(stdout, "%s\n\n%s\n", a.Doc, a.URL)
		var flags []string
		a.Flags.VisitAll(func(f *flag.Flag) { flags = append(flags, fmt.Sprintf("  -%s.%s\t%s", a.Name, f.Name, f.Usage)) })
		if len(flags) > 0 {
			fmt.Fprintf(stdout, "\nFlags:\n%s\n", strings.Join(flags, "\n"))
		}
		return exitClean
	}
	var names []string
	for _, a := range all {
		names = append(names, a.Name)
	}
	msg := fmt.Sprintf("unknown analyzer %q", args[0])
	if s := suggest.Closest(args[0], names); s != "" {
		msg += fmt.Sprintf(", did you mean %q?", s)
	}
	fmt.Fprintf(stderr, "reloadvet help: %s (accepted: %s)\n", msg, strings.Join(names, ", "))
	return exitUsage
}
