// Package core is a lower module offering registries and the loader's
// handle.
package core

// Registry is a DI registry the host hands to modules.
type Registry struct{ fs []func() }

func NewRegistry() *Registry { return &Registry{} }

func (r *Registry) Add(f func()) { r.fs = append(r.fs, f) } // want Add:`retains\(f: receiver\.fs\)`

// On registers f and returns what removes it.
func (r *Registry) On(f func()) (remove func()) { // want On:`retains\(f: receiver\.fs\)`
	r.fs = append(r.fs, f)
	return func() {}
}

// Default is the host's registry.
var Default = NewRegistry()

// Bus is an interface: which implementation keeps what is unknown.
type Bus interface{ Subscribe(func()) }

// Handle is the module's handle; Go is the configured spawner.
type Handle struct{ fs []func() }

func (h *Handle) Go(f func()) { h.fs = append(h.fs, f) } // want Go:`retains\(f: receiver\.fs\)`

func (h *Handle) OnUnload(f func()) { h.fs = append(h.fs, f) } // want OnUnload:`retains\(f: receiver\.fs\)`

// Plugins are a framework's plugins: it calls each Setup with the
// registry of the server instance it starts.
var Plugins = map[string]func(*Registry) error{}

func RegisterPlugin(name string, setup func(*Registry) error) { Plugins[name] = setup } // want RegisterPlugin:`retains\(setup: global outside/core\)`

// Config is a server instance's config, which keeps its plugins.
type Config struct{ plugins []func() }

func (c *Config) AddPlugin(f func()) { c.plugins = append(c.plugins, f) } // want AddPlugin:`retains\(f: receiver\.plugins\)`

// A Controller is what the framework hands a plugin's setup.
type Controller struct{ cfg *Config }

func NewController() *Controller { return &Controller{cfg: &Config{}} }

// Config returns a part of the controller.
func (c *Controller) Config() *Config { return c.cfg } // want Config:`result#0 from param#0`

// Copy returns a new config.
func (c *Controller) Copy() *Config { cp := *c.cfg; return &cp } // want Copy:`retains\(c\.cfg: result\)`

// Setups are the framework's setup funcs.
var Setups []func(*Controller) error
