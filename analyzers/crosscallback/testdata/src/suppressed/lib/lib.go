package lib

var Hooks []func()
