package app

import (
	"context"
	"flag"
	"io"
	"net/http"

	"ownorigin/low"
)

type Server struct{}

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	repl := &low.Replacer{}
	PrepareRequest(repl)
	configure(&low.Replacer{})
	r.Body = body{r.Body} // ok: the request, and its body, end with the handler
}

// PrepareRequest is exported, but the package calls it only with
// replacers it makes itself.
func PrepareRequest(repl *low.Replacer) {
	repl.Map("x", func() string { return "" }) // ok: every call in the package passes the module's own replacer
}

func configure(repl *low.Replacer) { Enable(repl) }

// Enable is called only by configure, with what configure is given by
// ServeHTTP.
func Enable(repl *low.Replacer) {
	repl.Map("y", func() string { return "" }) // ok: the replacer comes from ServeHTTP, through configure
}

// Register is exported and never called here: its registry is from
// outside.
func Register(repl *low.Replacer) {
	repl.Map("x", func() string { return "" }) // want `func literal of module app is kept by low\.\(\*Replacer\)\.Map in repl, a \*low\.Replacer of low \(no module\) that app got from outside as parameter repl of Register`
}

type body struct{ io.ReadCloser }

func (b body) Read(p []byte) (int, error) { return b.ReadCloser.Read(p) }

// Ctx only embeds a context: its context methods are not the module's.
type Ctx struct{ context.Context }

// Done is the module's own.
type Own struct{ context.Context }

func (Own) Done() <-chan struct{} { return nil }

func Contexts(ctx context.Context) { // want Contexts:`retains\(ctx: global ownorigin/low\)`
	low.Keep(Ctx{ctx}) // ok: Ctx's context methods are promoted from context.Context
	low.Keep(Own{ctx}) // want `value of type ownorigin/app\.Own of module app is kept by low\.Keep in package-level state of low`
}

// ConfigureFlags registers on the caller's flag set and parses with it:
// the set calls what it is given while it parses.
func ConfigureFlags(fs *flag.FlagSet, args []string) error {
	fs.BoolFunc("verbose", "be verbose", func(string) error { return nil }) // ok: a flag set lives for one parse
	return fs.Parse(args)
}

// RegisterGlobalFlags registers on the default set, which the process
// keeps.
func RegisterGlobalFlags() {
	flag.BoolFunc("quiet", "be quiet", func(string) error { return nil })           // want `func literal of module app is kept by flag\.BoolFunc in package-level state of flag \(no module\)`
	flag.CommandLine.BoolFunc("loud", "be loud", func(string) error { return nil }) // want `func literal of module app is kept by flag\.\(\*FlagSet\)\.BoolFunc in flag\.CommandLine, package-level state of flag \(no module\)`
}
