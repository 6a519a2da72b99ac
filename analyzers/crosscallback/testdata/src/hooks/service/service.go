package service

import (
	"context"
	"net/http"
	"runtime"
	"slices"
	"sort"
	"sync"
	"time"

	"hooks/core"
	"hooks/util"
)

type Service struct {
	bus   *core.Bus
	once  sync.Once
	timer *time.Timer
}

func New(bus *core.Bus) *Service { return &Service{bus: bus} } // want New:`retains\(bus: result\)`

func (s *Service) Flush()                                   {}
func (s *Service) onEvent(string)                           {}
func (s *Service) serve(http.ResponseWriter, *http.Request) {}
func (s *Service) compare(a, b int) int                     { return a - b }

// Globals of a package in no module, directly and through calls.
func (s *Service) Globals() {
	util.AddHook(s.Flush)                      // want `method value s\.Flush of module service is kept by util\.AddHook in package-level state of util \(no module\), which outlives service`
	util.Hooks = append(util.Hooks, func() {}) // want `func literal of module service is stored in util\.Hooks, package-level state of util \(no module\), which outlives service`
	util.Register(s.Flush)                     // want `method value s\.Flush of module service is kept by util\.Register in package-level state of util \(no module\)`
	util.Every(time.Second, s.Flush)           // want `method value s\.Flush of module service is kept by util\.Every in a goroutine of util \(no module\), which outlives service`
	util.Parallel(s.Flush, s.Flush)            // ok: Parallel waits for its goroutines
	util.Apply(s.Flush)                        // ok: Apply calls it at once

	once := sync.OnceFunc(s.Flush)
	util.AddHook(once) // want `method value s\.Flush of module service is kept by util\.AddHook`
}

// Muxes: the default mux outlives the module, a mux it makes does not.
func (s *Service) Muxes() {
	http.HandleFunc("/a", s.serve)                 // want `method value s\.serve of module service is kept by http\.HandleFunc in package-level state of http \(no module\), which outlives service`
	http.DefaultServeMux.HandleFunc("/b", s.serve) // want `method value s\.serve of module service is kept by http\.\(\*ServeMux\)\.HandleFunc in http\.DefaultServeMux, package-level state of http \(no module\)`
	http.Handle("/c", http.HandlerFunc(s.serve))   // want `method value s\.serve of module service is kept by http\.Handle in package-level state of http`

	mux := http.NewServeMux()
	mux.HandleFunc("/a", s.serve) // ok: the module's own mux
	srv := &http.Server{Handler: mux}
	go srv.ListenAndServe() // ok: a goroutine of the module itself is rawspawn's concern
}

// Undo: a registration that returns what undoes it is fine when that is
// kept, and reported when it is discarded.
func (s *Service) Undo(ctx context.Context) {
	time.AfterFunc(time.Second, s.Flush)      // want `method value s\.Flush of module service is kept by time\.AfterFunc in a runtime timer, which outlives service: keep the \*time\.Timer it returns and use it to undo the registration at unload`
	t := time.AfterFunc(time.Second, s.Flush) // ok: the timer is kept
	defer t.Stop()
	s.timer = time.AfterFunc(time.Second, s.Flush) // ok: the timer is stored

	context.AfterFunc(ctx, s.Flush)         // want `method value s\.Flush of module service is kept by context\.AfterFunc in the callbacks of its context, which outlives service: keep the func\(\) bool it returns`
	stop := context.AfterFunc(ctx, s.Flush) // ok: stop is kept
	defer stop()

	runtime.SetFinalizer(s, func(*Service) {}) // want `func literal of module service is kept by runtime\.SetFinalizer in the runtime's finalizers, which outlives service`
}

// Objects from outside: a lower module's bus passed in, or in a
// package-level variable; the module's handle is its own.
func (s *Service) Objects(h *core.Handle, bus *core.Bus) {
	bus.Subscribe(s.onEvent)       // want `method value s\.onEvent of module service is kept by core\.\(\*Bus\)\.Subscribe in bus, a \*core\.Bus of core \(module core, layer 1\) that service got from outside as parameter bus of Objects, which outlives service`
	core.Main.Subscribe(s.onEvent) // want `method value s\.onEvent of module service is kept by core\.\(\*Bus\)\.Subscribe in core\.Main, package-level state of core \(module core, layer 1\), which outlives service`
	s.bus.Subscribe(s.onEvent)     // want `in s\.bus, a \*core\.Bus of core \(module core, layer 1\) that service got from outside as field bus of Service, set from parameter bus of New`
	mine := &core.Bus{}
	mine.Subscribe(s.onEvent) // ok: the module's own bus

	h.Go(func(context.Context) { s.Flush() }) // ok: a configured spawner
	h.OnUnload(s.Flush)                       // ok: the handle goes with the module
}

// Synchronous callbacks are not retained.
func (s *Service) Sync(xs []int) {
	sort.Slice(xs, func(i, j int) bool { return xs[i] < xs[j] }) // ok: sort calls it and returns
	slices.SortFunc(xs, s.compare)                               // ok: slices calls it and returns
	s.once.Do(s.Flush)                                           // ok: Do calls it and returns
	var wg sync.WaitGroup
	wg.Go(s.Flush) // ok: the WaitGroup is the module's own
	wg.Wait()
}
