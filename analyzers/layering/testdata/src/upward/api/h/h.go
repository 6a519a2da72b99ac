package h

import (
	_ "upward/core"          // ok: layer 3 imports layer 1
	_ "upward/database/pool" // ok: layer 3 imports layer 2
	_ "upward/lib"           // ok: lib is owned by no module
)

var X = 1
