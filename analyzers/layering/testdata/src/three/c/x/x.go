package x // want package:`moduleEdges\(c->a\)`

import _ "three/a/base" // ok: c (layer 3) imports a (layer 1)
