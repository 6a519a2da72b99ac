package handlers

import (
	"testing"

	"example.com/app/admin/users"
)

// A test file may reach sideways too; it is checked only with -tests.
func TestHooks(t *testing.T) { _ = users.User{} }
