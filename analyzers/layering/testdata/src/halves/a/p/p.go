package p // want package:`moduleEdges\(a->b\)`

import _ "halves/b/q" // want `module a \(layer 1\) imports module b \(layer 2\): a module may only import lower layers`
