// Command server is the host: it wires the modules together.
package main

import (
	"fmt"

	"example.com/shop/api/handlers"
	"example.com/shop/core"
	"example.com/shop/store"
)

func main() {
	h := core.New()
	s := &store.Store{}
	s.Start(h)
	fmt.Println(handlers.Order(s, "ann", "tea"))
	h.Stop()
}
