package lib

var Default struct{ Storage any }

var Hooks []func()
