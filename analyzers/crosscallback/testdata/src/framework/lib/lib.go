// Package lib is a plugin framework's registry, in no module: a module
// registers itself by value, and the registry keeps what a method of
// that value returns.
package lib

// A Module describes itself.
type Module interface {
	Info() ModuleInfo
}

// ModuleInfo holds a module's constructor.
type ModuleInfo struct {
	ID  string
	New func() Module
}

var modules = map[string]ModuleInfo{}

// RegisterModule keeps what Info returns in the package-level registry.
func RegisterModule(m Module) { // want RegisterModule:`retains\(m\.Info\(\): global framework/lib\)`
	info := m.Info()
	if info.New == nil {
		panic("no constructor")
	}
	modules[info.ID] = info
}

// Describe reads what Info returns and keeps only its ID.
func Describe(m Module) string {
	return m.Info().ID
}

var ids []string

// Note keeps the ID, a string, and drops the rest of what Info returns.
func Note(m Module) {
	ids = append(ids, m.Info().ID)
}

// Check calls the constructor and keeps nothing.
func Check(m Module) bool {
	return m.Info().New() != nil
}

// New is a constructor of no module.
func New() Module { return nil }
