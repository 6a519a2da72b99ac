package host

// host is owned by no module: it may import anything and is not checked.
import (
	_ "upward/api/h" // ok: host is not in scope
	_ "upward/core"  // ok: host is not in scope
)
