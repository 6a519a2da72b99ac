package y // want package:`moduleEdges\(b->a\)`

import _ "cycle/a/w" // ok: b (layer 2) may import a (layer 1); the cycle is closed in a/x
