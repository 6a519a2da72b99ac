package core

import "fmt" // ok: the standard library is owned by no module

func Hello() { fmt.Println("core") }
