package x // want package:`moduleEdges\(a->b, b->a\)`

import _ "cycle/b/y" // want `module a \(layer 1\) imports module b \(layer 2\)` `module import cycle a -> b -> a: modules must form a DAG to be unloaded in order`
