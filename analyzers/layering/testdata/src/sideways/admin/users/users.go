package users

import _ "sideways/core" // ok: down one layer

type User struct{}
