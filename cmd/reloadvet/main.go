// Command reloadvet checks that Go code can be unloaded and reloaded in a
// live process: modules layered as a DAG, every goroutine joined, no
// callbacks left behind.
//
// Usage:
//
//	reloadvet [flags] [packages]      check packages (default ./...)
//	reloadvet init [-depth N] [packages]   write a starter .reloadvet.yml
//	reloadvet graph [-mermaid] [packages]
//	reloadvet help [analyzer]
//	go vet -vettool=$(which reloadvet) [packages]
//
// Exit status: 0 when clean, 3 when there are findings, 1 on errors (a bad
// config, packages that fail to load). See the README for the config file
// and the analyzers.
package main

import (
	"fmt"
	"io"
	"os"
	"runtime"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run dispatches to a subcommand and returns the exit status.
func run(args []string, stdout, stderr io.Writer) int {
	if isVetInvocation(args) {
		return vet(args)
	}
	if len(args) > 0 {
		switch args[0] {
		case "help":
			return help(args[1:], stdout, stderr)
		case "graph":
			return graph(args[1:], stdout, stderr)
		case "init":
			return initConfig(args[1:], stdout, stderr)
		case "version":
			fmt.Fprintln(stdout, "reloadvet", version(), runtime.Version())
			return 0
		}
	}
	return check(args, stdout, stderr)
}

// Exit statuses.
const (
	exitClean    = 0
	exitError    = 1
	exitUsage    = 2
	exitFindings = 3
)
