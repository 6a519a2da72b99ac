// Package wire is owned by no module: the host may import every module.
package wire

import (
	_ "example.com/app/admin/users"
	_ "example.com/app/api/handlers"
	_ "example.com/app/database/store"
)
