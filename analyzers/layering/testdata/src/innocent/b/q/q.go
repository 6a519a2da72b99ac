package q // want package:`moduleEdges\(a->b, b->a\)`

import _ "innocent/a/v" // ok: a second innocent importer does not repeat the cycle either
