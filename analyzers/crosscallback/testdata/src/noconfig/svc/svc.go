package svc

var hooks []func()

func tick() {}

func Start() {
	hooks = append(hooks, tick) // ok: no config, nothing to check (and no facts)
}
