package p // want package:`moduleEdges\(a->b, b->a\)`

// ok: b imports a downwards; this package sees the cycle b -> a -> b, but
// it is named only at the import that breaks the layering, so that the
// many packages that import into a cycle do not each repeat it.
import _ "innocent/a/v"
