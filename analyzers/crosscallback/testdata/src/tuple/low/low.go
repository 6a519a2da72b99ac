package low

type Registry struct{ fs []func() }

func (r *Registry) Add(f func()) { r.fs = append(r.fs, f) } // want Add:`retains\(f: receiver.fs\)`

func Stop() {}

// Keep hands f back as its first result, and Stop as its second.
func Keep(f func()) (func(), func()) { return f, Stop } // want Keep:`retains\(f: result\)`

// Second hands f back as its second result.
func Second(f func()) (int, func()) { return 0, f } // want Second:`retains\(f: result#1\)`
