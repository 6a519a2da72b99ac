package h

import (
	. "sideways/admin/users" // want `module api \(layer 2\) imports module admin \(layer 2\): peers in one layer may not import each other`
	_ "sideways/core"        // ok: down one layer
)

var _ User
