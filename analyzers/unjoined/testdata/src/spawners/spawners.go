package spawners

import "context"

func work() {}

// Spawn is the configured spawner: what it starts is its owner's to join.
func Spawn(ctx context.Context, f func(context.Context)) { // want Spawn:`effects\(callback in1, goescape in0\)` Spawn:`spawns\(in1\)`
	go f(ctx) // ok: inside a configured spawner
	go func() { // ok: inside a configured spawner, even a closure
		work()
	}()
}

type Supervisor struct{}

// Go is a configured spawner method.
func (s *Supervisor) Go(f func()) { // want Go:`effects\(callback in1\)` Go:`spawns\(in1\)`
	go func() { f() }() // ok: inside a configured spawner
}

// ok: a call to a spawner is not a spawn.
func user(ctx context.Context, s *Supervisor) {
	Spawn(ctx, func(context.Context) { work() })
	s.Go(work)
}

func raw() {
	go work() // want `goroutine of module app is not joined: it signals no end \(Done, close or send\) that anything waits for; start it with spawners.Spawn or spawners.\(\*Supervisor\).Go, or wait for it before raw returns`
}
