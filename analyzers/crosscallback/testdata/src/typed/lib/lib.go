// Package lib is owned by no module: it keeps handlers, values and errors.
package lib

type Handler interface{ Handle(string) }

var (
	handlers []Handler
	values   []any
	lastErr  error
)

func SetHandler(h Handler) { handlers = append(handlers, h) } // want SetHandler:`retains\(h: global typed/lib\)`

func SetAny(v any) { values = append(values, v) } // want SetAny:`retains\(v: global typed/lib\)`

// SetErr keeps an error: errors are data, not followed.
func SetErr(err error) { lastErr = err }
