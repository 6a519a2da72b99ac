package lib

var hooks []func()

func Register(f func()) { hooks = append(hooks, f) } // want Register:`retains\(f: global initreg/lib\)`

func Add(f func()) bool { hooks = append(hooks, f); return true } // want Add:`retains\(f: global initreg/lib\)`
