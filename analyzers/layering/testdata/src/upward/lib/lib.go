// Package lib is owned by no module.
package lib
