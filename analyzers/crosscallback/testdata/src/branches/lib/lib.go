package lib

var queue []func()

// Manage runs f now, or queues it when async is true.
func Manage(f func(), async bool) { // want Manage:`retains\(f: global branches/lib if p1\)`
	if async {
		queue = append(queue, f)
		return
	}
	f()
}

// Sync calls Manage with async false: it retains nothing.
func Sync(f func()) { Manage(f, false) }

// Async always queues.
func Async(f func()) { Manage(f, true) } // want Async:`retains\(f: global branches/lib\)`

// Either passes its own flag on: it retains f when its flag is true.
func Either(f func(), async bool) { Manage(f, async) } // want Either:`retains\(f: global branches/lib if p1\)`

// Never passes the flag only where it is false.
func Never(f func(), async bool) {
	if !async {
		Manage(f, async)
	}
	Keep(f, nil)
}

var done []func()

// Keep keeps onDone when there is one, and never f.
func Keep(f, onDone func()) { // want Keep:`retains\(onDone: global branches/lib if p1!=nil\)`
	if onDone != nil {
		done = append(done, onDone)
	}
	f()
}

// Default keeps f unless a registry is given.
func Default(f func(), reg *[]func()) { // want Default:`retains\(f: global branches/lib if p1=nil, param#1 if p1!=nil\)`
	if reg == nil {
		done = append(done, f)
		return
	}
	*reg = append(*reg, f)
}
