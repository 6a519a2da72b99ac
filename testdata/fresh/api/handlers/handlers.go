// Package handlers serves the shop's API.
package handlers

import (
	"example.com/shop/admin/users"
	"example.com/shop/api/metrics"
	"example.com/shop/store"
)

// Order records an order for a known user.
func Order(s *store.Store, user, item string) bool {
	metrics.Requests++
	if !users.Known(user) {
		return false
	}
	s.Add(item)
	return true
}
