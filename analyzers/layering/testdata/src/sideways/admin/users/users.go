package users // want package:`moduleEdges\(admin->core\)`

import _ "sideways/core" // ok: down one layer

type User struct{}
