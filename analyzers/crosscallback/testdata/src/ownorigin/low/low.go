package low

import "context"

type Replacer struct{ fs map[string]func() string }

func (r *Replacer) Map(name string, f func() string) { r.fs[name] = f } // want Map:`retains\(f: receiver\.fs\)`

var saved []context.Context

func Keep(ctx context.Context) { saved = append(saved, ctx) } // want Keep:`retains\(ctx: global ownorigin/low\)`
