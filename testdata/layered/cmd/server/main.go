package main

import _ "example.com/app/internal/wire"

func main() {}
