package store // want package:`moduleEdges\(api->core, api->database, database->api, database->core\)`

import (
	"upward/api/h" // want `module database \(layer 2\) imports module api \(layer 3\): a module may only import lower layers` `module import cycle database -> api -> database`
	"upward/core"  // ok: layer 2 imports layer 1
)

var _ = h.X
var _ = core.Hello
