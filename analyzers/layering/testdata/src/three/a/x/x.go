package x // want package:`moduleEdges\(a->b, b->c, c->a\)`

import _ "three/b/x" // want `module a \(layer 1\) imports module b \(layer 2\)` `module import cycle a -> b -> c -> a`
