package v // want package:`moduleEdges\(a->b\)`

import _ "innocent/b/w" // want `module a \(layer 1\) imports module b \(layer 2\): a module may only import lower layers`
