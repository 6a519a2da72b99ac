package r // want package:`moduleEdges\(b->a\)`

import _ "halves/a/s" // ok: down one layer; no package sees both halves, so no cycle is reported
