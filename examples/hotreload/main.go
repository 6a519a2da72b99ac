// Command hotreload is a small HTTP service of three layered modules
// (store, greeter, web) whose greeter module lives in a Go plugin. SIGHUP
// loads the plugin file again (run.sh points it at a new build) and
// replaces the greeter with its code, reloading the web module above it
// while the store keeps its state. The reload runs in a goroutine of its
// own, off the signal loop, so that SIGINT and SIGTERM are heard even
// while a load hangs: they stop the server, then the modules in reverse
// order (cutting a reload in progress short), within -shutdown-timeout,
// and exit.
//
//	hotreload -addr 127.0.0.1:8080 -plugin greeter.so -config .reloadvet.yml
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"sync"
	"syscall"
	"time"

	"github.com/reloadvet/reloadvet/examples/hotreload/store"
	"github.com/reloadvet/reloadvet/examples/hotreload/web"
	"github.com/reloadvet/reloadvet/loader"
	"github.com/reloadvet/reloadvet/loader/loaderconfig"
	"github.com/reloadvet/reloadvet/loader/pluginsource"
)

type flags struct {
	addr            string
	plugin          string
	config          string
	stopTimeout     time.Duration
	loadTimeout     time.Duration
	shutdownTimeout time.Duration
}

func main() {
	var f flags
	flag.StringVar(&f.addr, "addr", "127.0.0.1:8080", "address to listen on (port 0: any free port)")
	flag.StringVar(&f.plugin, "plugin", "greeter.so", "the greeter plugin, opened again on SIGHUP")
	flag.StringVar(&f.config, "config", "", "a .reloadvet.yml whose layers the loader enforces (default: the same layers, given in Go)")
	flag.DurationVar(&f.stopTimeout, "stop-timeout", 5*time.Second, "time each module has to unload")
	flag.DurationVar(&f.loadTimeout, "load-timeout", loader.DefaultLoadTimeout, "time each module has to load")
	flag.DurationVar(&f.shutdownTimeout, "shutdown-timeout", 10*time.Second, "time SIGINT and SIGTERM leave the server and the modules to stop")
	flag.Parse()
	logger := slog.New(slog.NewTextHandler(os.Stderr, nil))
	if err := run(f, logger); err != nil {
		logger.Error("exit", "error", err)
		os.Exit(1)
	}
}

func run(f flags, logger *slog.Logger) error {
	layers := loader.WithLayers([][]string{{"store"}, {"greeter"}, {"web"}})
	if f.config != "" {
		var err error
		if layers, err = loaderconfig.Load(f.config); err != nil {
			return err
		}
	}
	l := loader.New(layers, loader.WithLogger(logger), loader.WithStopTimeout(f.stopTimeout), loader.WithLoadTimeout(f.loadTimeout))
	var plugins pluginsource.Source
	greeter, err := plugins.Open(f.plugin)
	if err != nil {
		return err
	}
	slot := &web.Slot{}
	if err := l.Register(
		loader.Module{Name: "store", Factory: store.Module()},
		loader.Module{Name: "greeter", Deps: []string{"store"}, Factory: greeter},
		loader.Module{Name: "web", Deps: []string{"greeter"}, Factory: web.Module(slot)},
	); err != nil {
		return err
	}

	ln, err := net.Listen("tcp", f.addr)
	if err != nil {
		return err
	}
	ctx := context.Background()
	if err := l.Start(ctx); err != nil {
		return errors.Join(err, ln.Close())
	}
	srv := &http.Server{Handler: routes(l, slot), ReadHeaderTimeout: 5 * time.Second}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }() // joined below, before returning
	logger.Info("listening", "addr", ln.Addr().String())

	// SIGHUPs are handed to the reloader goroutine, and merged while it is
	// busy: the signal loop never waits for a reload.
	hup := make(chan struct{}, 1)
	var reloader sync.WaitGroup
	reloader.Go(func() {
		for range hup {
			reload(ctx, l, &plugins, f.plugin, logger)
		}
	})
	stop := func(err error) error {
		shutdown, cancel := context.WithTimeout(ctx, f.shutdownTimeout)
		defer cancel()
		err = errors.Join(err, srv.Shutdown(shutdown))
		// Stop cuts a reload in progress short, and returns by the deadline.
		err = errors.Join(err, l.Stop(shutdown))
		close(hup)
		reloader.Wait()
		return err
	}

	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGHUP, syscall.SIGINT, syscall.SIGTERM)
	defer signal.Stop(sigs)
	for {
		select {
		case sig := <-sigs:
			if sig == syscall.SIGHUP {
				select {
				case hup <- struct{}{}:
					logger.Info("reload requested", "plugin", f.plugin)
				default:
					logger.Info("reload requested; one is already pending")
				}
				continue
			}
			logger.Info("stopping", "signal", sig.String())
			err := stop(nil)
			if serr := <-served; !errors.Is(serr, http.ErrServerClosed) {
				err = errors.Join(err, serr) // Serve returns ErrServerClosed after Shutdown
			}
			return err
		case err := <-served:
			return stop(err)
		}
	}
}

// reload replaces the greeter with the code of the plugin file now at path.
// A plugin that fails to open or load leaves the running code in place.
func reload(ctx context.Context, l *loader.Loader, plugins *pluginsource.Source, path string, logger *slog.Logger) {
	f, err := plugins.Open(path)
	if err != nil {
		logger.Error("reload refused", "error", err)
		return
	}
	rep, err := l.Replace(ctx, "greeter", f)
	if err != nil {
		logger.Error("reload failed", "report", rep.String(), "error", err)
		return
	}
	logger.Info(rep.String())
}

// routes serves the web module's routes, and the loader's view of the
// modules for people and for run.sh.
func routes(l *loader.Loader, slot *web.Slot) http.Handler {
	mux := http.NewServeMux()
	mux.Handle("/", slot)
	mux.HandleFunc("GET /debug/modules", func(w http.ResponseWriter, r *http.Request) {
		for _, m := range l.Modules() {
			fmt.Fprintf(w, "%s layer=%d generation=%d state=%s version=%s\n", m.Name, m.Layer, m.Generation, m.State, m.Version)
		}
	})
	mux.HandleFunc("GET /debug/modules.dot", func(w http.ResponseWriter, r *http.Request) {
		if err := l.WriteDOT(w); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
		}
	})
	// One line per group of goroutines carrying the module's labels, once
	// the checks that follow unloads are done (a goroutine joined by an
	// unload may be in the profile for a moment after it).
	mux.HandleFunc("GET /debug/goroutines", func(w http.ResponseWriter, r *http.Request) {
		if err := l.WaitChecks(r.Context()); err != nil {
			http.Error(w, err.Error(), http.StatusServiceUnavailable)
			return
		}
		gs, err := l.Goroutines(r.URL.Query().Get("module"))
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		for _, g := range gs {
			top := "?"
			if len(g.Stack) > 0 {
				top = g.Stack[0]
			}
			fmt.Fprintf(w, "generation=%d count=%d top=%s\n", g.Generation(), g.Count, top)
		}
	})
	return mux
}
