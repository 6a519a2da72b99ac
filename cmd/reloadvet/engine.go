package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"go/token"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/reloadvet/reloadvet/internal/report"
)

// The engine is go vet: the command runs
//
//	go vet -vettool=<itself> -json [-tags=...] <vet flags> <packages>
//
// and go vet runs the tool (vet.go) once per package, dependencies first,
// each in a process of its own, from the package's syntax and the export
// data and facts of its dependencies, and keeps facts and findings in the
// go command's cache keyed by everything that decides them: the package's
// files, its dependencies' facts, the tool's identity and the vet flags,
// where the config travels. The command reads the findings go vet prints
// and keeps those of the packages it was asked about.

// vetRun is one go vet run's result.
type vetRun struct {
	trees    int              // JSON trees printed: analyses done, run or from the cache
	findings []report.Finding // of every package, not only the roots
	failures []string         // "pkg: analyzer: error" for analyzers that failed
	stderr   string           // what go vet printed there
	exit     error            // how go vet exited
}

// rawTree is one package's results in a tree: analyzer -> diagnostics or
// an error.
type rawTree map[string]json.RawMessage

// runVet runs go vet with the tool and returns what it printed. onTree is
// called for every tree as it arrives.
func runVet(ctx context.Context, exe string, vetArgs, patterns, env []string, onTree func()) *vetRun {
	args := append([]string{"vet", "-vettool=" + exe, "-json"}, vetArgs...)
	cmd := exec.CommandContext(ctx, "go", append(append(args, "--"), patterns...)...)
	cmd.Env = append(os.Environ(), env...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	stdout, err := cmd.StdoutPipe()
	run := &vetRun{}
	if err != nil {
		run.exit = err
		return run
	}
	if err := cmd.Start(); err != nil {
		run.exit = err
		return run
	}
	dec := json.NewDecoder(bufio.NewReaderSize(stdout, 1<<16))
	var decodeErr error
	for {
		var tree map[string]rawTree
		if err := dec.Decode(&tree); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			decodeErr = fmt.Errorf("decoding go vet -json output: %w", err)
			_, _ = io.Copy(io.Discard, stdout)
			break
		}
		run.trees++
		onTree()
		if err := run.add(tree); err != nil && decodeErr == nil {
			decodeErr = err
		}
	}
	run.exit = errors.Join(cmd.Wait(), decodeErr)
	run.stderr = stderr.String()
	return run
}

// jsonDiagnostic is a diagnostic as go vet -json prints it.
type jsonDiagnostic struct {
	Category       string `json:"category"`
	Posn           string `json:"posn"`
	End            string `json:"end"`
	Message        string `json:"message"`
	SuggestedFixes []struct {
		Message string `json:"message"`
		Edits   []struct {
			Filename string `json:"filename"`
			Start    int    `json:"start"`
			End      int    `json:"end"`
			New      string `json:"new"`
		} `json:"edits"`
	} `json:"suggested_fixes"`
	Related []struct {
		Posn    string `json:"posn"`
		End     string `json:"end"`
		Message string `json:"message"`
	} `json:"related"`
}

// add takes in one tree: package ID -> analyzer -> diagnostics or error.
func (run *vetRun) add(tree map[string]rawTree) error {
	for id, byAnalyzer := range tree {
		for analyzer, msg := range byAnalyzer {
			if len(msg) > 0 && msg[0] != '[' {
				var e struct {
					Err string `json:"error"`
				}
				if err := json.Unmarshal(msg, &e); err != nil {
					return fmt.Errorf("decoding go vet -json output: %s: %s: %w", id, analyzer, err)
				}
				run.failures = append(run.failures, fmt.Sprintf("%s: %s: %s", id, analyzer, e.Err))
				continue
			}
			var diags []jsonDiagnostic
			if err := json.Unmarshal(msg, &diags); err != nil {
				return fmt.Errorf("decoding go vet -json output: %s: %s: %w", id, analyzer, err)
			}
			for _, d := range diags {
				run.findings = append(run.findings, toFinding(id, analyzer, d))
			}
		}
	}
	return nil
}

// toFinding converts a go vet -json diagnostic.
func toFinding(id, analyzer string, d jsonDiagnostic) report.Finding {
	f := report.Finding{
		Analyzer: analyzer, Category: d.Category, Package: id,
		Posn: parsePosn(d.Posn), End: endPosn(d.Posn, d.End), Message: d.Message,
	}
	for _, r := range d.Related {
		f.Related = append(f.Related, report.Related{Posn: parsePosn(r.Posn), End: endPosn(r.Posn, r.End), Message: r.Message})
	}
	for _, sf := range d.SuggestedFixes {
		fx := report.Fix{Message: sf.Message}
		for _, e := range sf.Edits {
			fx.Edits = append(fx.Edits, report.Edit{File: e.Filename, Start: e.Start, End: e.End, New: e.New})
		}
		f.Fixes = append(f.Fixes, fx)
	}
	return f
}

// endPosn parses the end of a range. go vet writes the start for a
// range without an end; that is no end, as the analyzer gave it.
func endPosn(start, end string) token.Position {
	if end == start {
		return token.Position{}
	}
	return parsePosn(end)
}

// parsePosn parses "file:line:col" (the file may hold colons), or "-"
// for no position.
func parsePosn(s string) token.Position {
	i := strings.LastIndexByte(s, ':')
	if i < 0 {
		return token.Position{}
	}
	j := strings.LastIndexByte(s[:i], ':')
	if j < 0 {
		return token.Position{}
	}
	line, err1 := strconv.Atoi(s[j+1 : i])
	col, err2 := strconv.Atoi(s[i+1:])
	if err1 != nil || err2 != nil {
		return token.Position{}
	}
	return token.Position{Filename: s[:j], Line: line, Column: col}
}

// keep returns the findings of the packages whose IDs are in ids.
func keep(fs []report.Finding, ids map[string]bool) []report.Finding {
	return slices.DeleteFunc(fs, func(f report.Finding) bool { return !ids[f.Package] })
}

// vetFailure explains a go vet run that did not succeed: the packages
// that did not build or type-check, each as go vet printed it under its
// "# package" header.
func vetFailure(run *vetRun) error {
	var msgs []string
	var pkg string
	var lines []string
	flush := func() {
		if pkg != "" || len(lines) > 0 {
			msg := strings.Join(lines, "\n\t\t")
			if pkg != "" {
				msg = "package " + pkg + ":\n\t\t" + msg
			}
			msgs = append(msgs, msg)
		}
		pkg, lines = "", nil
	}
	for _, line := range strings.Split(strings.TrimSpace(run.stderr), "\n") {
		if rest, ok := strings.CutPrefix(line, "# "); ok {
			flush()
			pkg = pkgPath(rest)
			continue
		}
		if line != "" {
			lines = append(lines, line)
		}
	}
	flush()
	if len(msgs) == 0 {
		return fmt.Errorf("go vet: %w", run.exit)
	}
	return fmt.Errorf("packages failed to load:\n\t%s", strings.Join(msgs, "\n\t"))
}

// analysed is what go list and go vet said about a run.
type analysed struct {
	prog   *program
	run    *vetRun
	ran    int // analyses the tool ran; the rest came from the go cache
	units  int // analyses go list's graph says go vet does
	timing timing
}

// timing is how long each phase of a run took, for -v.
type timing struct {
	list, analysis, program, output time.Duration
}

// analyse runs go list and go vet side by side over the patterns. It
// reports every failure on stderr and returns exitError then.
func analyse(patterns []string, tags string, vetArgs []string, stderr io.Writer) (*analysed, int) {
	exe, err := os.Executable()
	if err != nil {
		fmt.Fprintf(stderr, "reloadvet: finding the reloadvet executable for go vet: %v\n", err)
		return nil, exitError
	}
	var term io.Writer
	if f, ok := stderr.(*os.File); ok && isTerminal(f) {
		term = f
	}
	env := []string{engineEnv + "=1", configEnv + "="}
	prog, err := startProgress(term)
	if err != nil {
		fmt.Fprintf(stderr, "reloadvet: progress socket: %v (analysed and cached packages are not counted)\n", err)
	} else {
		env = append(env, prog.env())
	}
	res := &analysed{}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	start := time.Now()
	listed := make(chan error, 1)
	go func() {
		var err error
		res.prog, err = listProgram(ctx, patterns, tags)
		res.timing.list = time.Since(start)
		if err == nil {
			res.units = len(res.prog.vetUnits())
			if prog != nil {
				prog.total.Store(int64(res.units))
			}
		}
		listed <- err
	}()
	onTree := func() {
		if prog != nil {
			prog.done.Add(1)
		}
	}
	// Packages outside the main modules are analysed for facts only unless
	// the run names one (see vet): patterns that are all directories name
	// none but vendored ones, so go vet starts beside go list; otherwise go
	// list says first.
	var listErr error
	listDone := false
	deps := !localPatterns(patterns)
	if deps {
		listErr, listDone = <-listed, true
		deps = listErr == nil && res.prog.namesDeps()
	}
	res.run = runVet(ctx, exe, tagArgs(tags, withReportDeps(deps, vetArgs)), patterns, env, onTree)
	if !listDone {
		listErr = <-listed
	}
	if !deps && listErr == nil && res.prog.namesDeps() && res.run.exit == nil {
		if prog != nil {
			prog.done.Store(0)
		}
		res.run = runVet(ctx, exe, tagArgs(tags, withReportDeps(true, vetArgs)), patterns, env, onTree)
	}
	res.timing.analysis = time.Since(start)
	if prog != nil {
		res.ran = prog.finish()
	} else {
		res.ran = -1
	}
	switch {
	case listErr != nil:
		fmt.Fprintf(stderr, "reloadvet: %v\n", listErr)
		return nil, exitError
	case len(res.prog.errors()) > 0:
		fmt.Fprintf(stderr, "reloadvet: packages failed to load:\n\t%s\n", strings.Join(res.prog.errors(), "\n\t"))
		return nil, exitError
	case res.run.exit != nil:
		fmt.Fprintf(stderr, "reloadvet: %v\n", vetFailure(res.run))
		return nil, exitError
	case len(res.run.failures) > 0:
		for _, f := range res.run.failures {
			fmt.Fprintf(stderr, "reloadvet: %s\n", f)
		}
		return nil, exitError
	}
	return res, exitClean
}

// localPatterns reports whether every pattern names directories (., ./x,
// ../x/..., /abs), which hold packages of the main modules only, vendored
// ones aside.
func localPatterns(patterns []string) bool {
	for _, p := range patterns {
		if p != "." && p != ".." && !strings.HasPrefix(p, "./") && !strings.HasPrefix(p, "../") && !filepath.IsAbs(p) {
			return false
		}
	}
	return true
}

// withReportDeps adds -reportdeps to the vet flags when deps is set.
func withReportDeps(deps bool, vetArgs []string) []string {
	if !deps {
		return vetArgs
	}
	return append([]string{"-" + reportDepsFlag}, vetArgs...)
}

// tagArgs puts -tags before the vet flags: a build flag of go vet's own.
func tagArgs(tags string, vetArgs []string) []string {
	if tags == "" {
		return vetArgs
	}
	return append([]string{"-tags=" + tags}, vetArgs...)
}

// describe prints, for -v, the time each phase took and what the go
// cache served.
func (t timing) describe(w io.Writer, checked int, res *analysed) {
	fmt.Fprintf(w, "reloadvet: go list: %.2f s (%d packages checked, %d analyses for go vet to do)\n", t.list.Seconds(), checked, res.units)
	// go vet prints a tree for each named package only, so the total is
	// the graph's count of analyses (dependencies' fact-only ones too);
	// the tool processes that ran are counted over the progress socket.
	total := res.units
	cached := "not counted"
	if res.ran >= 0 {
		total = max(total, res.ran)
		cached = fmt.Sprintf("%d run, %d from the go cache", res.ran, total-res.ran)
	}
	fmt.Fprintf(w, "reloadvet: analysis (go vet, beside go list): %.2f s (%d analyses: %s)\n", t.analysis.Seconds(), total, cached)
	fmt.Fprintf(w, "reloadvet: program-level passes: %.2f s\n", t.program.Seconds())
	fmt.Fprintf(w, "reloadvet: output: %.2f s\n", t.output.Seconds())
}
