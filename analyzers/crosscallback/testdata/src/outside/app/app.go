package app

import "outside/core"

func tick() {}

type App struct {
	reg    *core.Registry
	own    *core.Registry
	remove func()
	byName map[string]func()
}

func New(reg *core.Registry) *App { // want New:`retains\(reg: result\)`
	return &App{reg: reg, own: core.NewRegistry(), byName: map[string]func(){}}
}

func (a *App) Start() {
	a.reg.Add(tick)           // want `func app\.tick of module app is kept by core\.\(\*Registry\)\.Add in a\.reg, a \*core\.Registry of core \(module core, layer 1\) that app got from outside as field reg of App, set from parameter reg of New, which outlives app`
	a.own.Add(tick)           // ok: the registry was made by the module
	a.byName["t"] = tick      // ok: a map held in the module's own struct
	a.remove = a.reg.On(tick) // ok: what undoes it is kept
}

// Register is exported: its parameter comes from whoever calls it.
func Register(r *core.Registry) {
	r.Add(tick) // want `func app\.tick of module app is kept by core\.\(\*Registry\)\.Add in r, a \*core\.Registry of core \(module core, layer 1\) that app got from outside as parameter r of Register, which outlives app`
	r.On(tick)  // want `kept by core\.\(\*Registry\)\.On in r, .*: keep the func\(\) it returns and use it to undo the registration at unload`
}

// setup is called only with a registry the module makes.
func setup(r *core.Registry) {
	r.Add(tick) // ok: every caller passes the module's own registry
}

// wire is called with the host's default registry.
func wire(r *core.Registry) {
	r.Add(tick) // want `in r, a \*core\.Registry of core \(module core, layer 1\) that app got from outside as parameter r of wire, passed core\.Default, a package-level variable of core, by a call in Init, which outlives app`
}

func Init() {
	setup(core.NewRegistry())
	wire(core.Default)
}

// Subscribe hands tick to an interface: what the callee does is unknown.
func Subscribe(b core.Bus) {
	b.Subscribe(tick) // ok: an interface method is assumed not to keep it
}

// Channels and maps from outside are the caller's.
func Publish(ch chan<- func(), m map[string]func()) {
	ch <- tick    // want `func app\.tick of module app is stored in ch, a chan<- func\(\) that app got from outside as parameter ch of Publish, which outlives app`
	m["t"] = tick // want `func app\.tick of module app is stored in m, a map\[string\]func\(\) that app got from outside as parameter m of Publish, which outlives app`
}

// Load runs with the module's handle, which goes with the module.
func Load(h *core.Handle) {
	h.Go(tick)       // ok: a configured spawner
	h.OnUnload(tick) // ok: the handle's type has a configured spawner
}

// pluginSetup is handed to the framework and never called here: the
// framework calls it later, with a registry of its own.
func pluginSetup(r *core.Registry) error {
	r.Add(tick) // want `in r, a \*core\.Registry of core \(module core, layer 1\) that app got from outside as parameter r of pluginSetup, a function the package hands over as a value and never calls, which outlives app`
	return nil
}

func init() {
	core.RegisterPlugin("app", pluginSetup) // want `func app\.pluginSetup of module app is kept by core\.RegisterPlugin in package-level state of core`
}

// each is handed over as a value to apply, a function of the package,
// and called with the module's own registry.
func each(r *core.Registry) {
	r.Add(tick) // ok: its callers in the package pass the module's own registries
}

func apply(f func(*core.Registry)) { f(core.NewRegistry()) }

func Each() {
	apply(each)
	each(core.NewRegistry())
}

// configSetup is handed to the framework, which passes its controller:
// the config the controller returns is the framework's.
func configSetup(c *core.Controller) error {
	c.Config().AddPlugin(tick)                    // want `kept by core\.\(\*Config\)\.AddPlugin in c\.Config\(\), a \*core\.Config of core \(module core, layer 1\) that app got from outside as what core\.\(\*Controller\)\.Config returns of parameter c of configSetup, a function the package hands over as a value and never calls, which outlives app`
	c.Copy().AddPlugin(tick)                      // ok: Copy returns a new config, the module's own
	core.NewController().Config().AddPlugin(tick) // ok: a controller the module made
	return nil
}

func init() {
	core.Setups = append(core.Setups, configSetup) // want `func app\.configSetup of module app is stored in core\.Setups`
}

// pool is the module's own type; its getter returns a registry the
// module made.
type pool struct{ reg *core.Registry }

func newPool() *pool { return &pool{reg: core.NewRegistry()} }

func (p *pool) get() *core.Registry { return p.reg } // want get:`retains\(p\.reg: result\) result#0 from param#0`

// Drain is exported: p comes from outside, but what get returns is a
// part of the module's own pool.
func (p *pool) Drain() {
	p.get().Add(tick) // ok: a part of the module's own pool, set from its own registries
}
