// Package users is the admin's user list; it reads the API's counter, and
// the API asks it about users: the two modules import each other.
package users

import "example.com/shop/api/metrics"

var known = map[string]bool{"ann": true}

// Known reports whether the user exists.
func Known(name string) bool { return known[name] }

// Load is the request count the admin page shows.
func Load() int { return metrics.Requests }
