package low

import "io"

var Hook func()

var Reader io.Reader

type Request struct {
	Body io.Reader
	Done func()
}
