package users

import (
	"example.com/app/core" //reloadvet:ignore layering core is below admin: this suppresses nothing

	//reloadvet:ignore layering admin reads the request counter until metrics move to core (#42)
	"example.com/app/api/metrics"
)

// User is an admin user.
type User struct{ h *core.Handle }

// Requests reports the request count.
func Requests() int { return metrics.Count }

//reloadvet:ignore layering
var stale = 1
