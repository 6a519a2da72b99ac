package store

import (
	"upward/api/h" // want `module database \(layer 2\) imports module api \(layer 3\): a module may only import lower layers`
	"upward/core"  // ok: layer 2 imports layer 1
)

var _ = h.X
var _ = core.Hello
