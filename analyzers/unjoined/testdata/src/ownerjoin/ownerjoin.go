package ownerjoin

import (
	"sync"
	"time"
)

func tick() {}

// Server's Stop signals and waits: joined.
type Server struct {
	quit chan struct{}
	wg   sync.WaitGroup
}

func NewServer() *Server { return &Server{quit: make(chan struct{})} }

// ok: Stop waits on wg, which the loop marks done.
func (s *Server) Start() { // want Start:`effects\(add in0\.1\)`
	s.wg.Add(1)
	go s.loop()
}

func (s *Server) loop() {
	defer s.wg.Done()
	t := time.NewTicker(time.Second)
	defer t.Stop()
	for {
		select {
		case <-s.quit:
			return
		case <-t.C:
			tick()
		}
	}
}

func (s *Server) Stop() { // want Stop:`effects\(close in0\.0, wait in0\.1!\)`
	close(s.quit)
	s.wg.Wait()
}

// Poller's Stop only signals.
type Poller struct {
	quit chan struct{}
}

func NewPoller() *Poller { return &Poller{quit: make(chan struct{})} }

func (p *Poller) Start() {
	go p.loop() // want `goroutine is not joined: Stop closes quit but never waits for the goroutine to return`
}

func (p *Poller) loop() {
	for {
		select {
		case <-p.quit:
			return
		case <-time.After(time.Second):
			tick()
		}
	}
}

func (p *Poller) Stop() { close(p.quit) } // want Stop:`effects\(close in0\.0\)`

// Worker closes done as it ends; Close signals but never receives from it.
type Worker struct {
	stop chan struct{}
	done chan struct{}
}

func NewWorker() *Worker {
	return &Worker{stop: make(chan struct{}), done: make(chan struct{})}
}

func (w *Worker) Run() {
	go func() { // want `goroutine is not joined: Close closes stop but nothing receives from done`
		defer close(w.done)
		<-w.stop
	}()
}

func (w *Worker) Close() { close(w.stop) } // want Close:`effects\(close in0\.0\)`

// Unloader waits on done in Unload: joined.
type Unloader struct {
	stop chan struct{}
	done chan struct{}
}

// ok: Unload receives from done, which the goroutine closes.
func (u *Unloader) Load() {
	u.stop, u.done = make(chan struct{}), make(chan struct{})
	go func() {
		defer close(u.done)
		<-u.stop
	}()
}

func (u *Unloader) Unload() { // want Unload:`effects\(close in0\.0, recv in0\.1!\)`
	close(u.stop)
	<-u.done
}

// Exposed hands its done channel out: whoever gets it may wait.
type Exposed struct{ done chan struct{} }

// ok: done escapes through Done.
func (e *Exposed) Start() {
	go func() { defer close(e.done) }()
}

func (e *Exposed) Done() <-chan struct{} { return e.done } // want Done:`effects\(escape in0\.0\)`

// Shared is given its group by its creator, who waits on it.
type Shared struct{ wg *sync.WaitGroup }

// ok: the field holds a group made elsewhere.
func NewShared(wg *sync.WaitGroup) *Shared { return &Shared{wg: wg} } // want NewShared:`effects\(escape in0\)`

func (s *Shared) Start() { // want Start:`effects\(add in0\.0\)`
	s.wg.Add(1)
	go func() { defer s.wg.Done() }()
}

// Public has an exported field: other packages may wait on it.
type Public struct{ WG sync.WaitGroup }

// ok: exported field.
func (p *Public) Start() { // want Start:`effects\(add in0\.0\)`
	p.WG.Add(1)
	go func() { defer p.WG.Done() }()
}

// stream closes done as run ends; the stop closure its client keeps
// receives from it.
type stream struct{ done chan struct{} }

// ok: the stop closure below receives from done.
func newStream() *stream {
	s := &stream{done: make(chan struct{})}
	go s.run()
	return s
}

func (s *stream) run() { defer close(s.done) }

type client struct{ stop func() }

func (c *client) open() {
	s := newStream()
	c.stop = func() { <-s.done }
}

// server's Serve adds to and marks done its own group; Stop waits on it.
type server struct{ wg sync.WaitGroup }

func (s *server) Serve() { // want Serve:`effects\(add in0\.0, done in0\.0\)`
	s.wg.Add(1)
	defer s.wg.Done()
}

func (s *server) Stop() { s.wg.Wait() } // want Stop:`effects\(wait in0\.0!\)`

// ok: joined by Stop; the Add inside Serve is the server's own.
func runServer() *server {
	srv := &server{}
	go func() { srv.Serve() }()
	return srv
}

// pool counts its connections under a mutex and Stop waits on a condition
// variable until they are gone: a join the analysis does not follow.
type pool struct {
	mu    sync.Mutex
	cv    *sync.Cond
	conns int
}

// ok: Stop waits on the condition variable the goroutine broadcasts on:
// a join through sync.Cond, which the analysis does not follow, so the
// goroutine is not judged.
func (p *pool) serve() {
	p.mu.Lock()
	p.conns++
	p.mu.Unlock()
	go func() {
		tick()
		p.mu.Lock()
		p.conns--
		p.cv.Broadcast()
		p.mu.Unlock()
	}()
}

func (p *pool) Stop() { // want Stop:`effects\(condwait in0\.1\)`
	p.mu.Lock()
	for p.conns > 0 {
		p.cv.Wait()
	}
	p.mu.Unlock()
}

// feeder sends work on a data channel: a feed, not a stop signal.
type feeder struct{ jobs chan int }

func (f *feeder) Start() {
	go f.work() // want `goroutine is not joined: it signals no end \(Done, close or send\) that anything waits for`
}

func (f *feeder) work() {
	for j := range f.jobs {
		_ = j
	}
}

func (f *feeder) Add(j int) { f.jobs <- j } // want Add:`effects\(send in0.0\)`

// closer's stop function is a func literal made in Start.
type closer struct {
	quit chan struct{}
	stop func()
}

func (c *closer) Start() { // want Start:`effects\(escape in0\)`
	c.stop = func() { close(c.quit) }
	go c.loop() // want `goroutine is not joined: a func literal in Start closes quit but never waits for the goroutine to return`
}

func (c *closer) loop() { <-c.quit }

// job holds a pointer to its creator's group.
type job struct{ wg *sync.WaitGroup }

func (j *job) run() { defer j.wg.Done() }

// ok: the creator waits on wg, which job's field points to.
func runJobs() {
	var wg sync.WaitGroup
	j := &job{wg: &wg}
	wg.Add(1)
	go j.run()
	wg.Wait()
}

// fan's consumer receives the producer's result, but nothing joins the
// consumer: its receive joins no one.
type fan struct {
	results chan int
	quit    chan struct{}
}

func (f *fan) Start() {
	go func() { // want `goroutine is not joined: nothing receives from results`
		f.results <- 1
	}()
	go func() { // want `goroutine is not joined: Stop closes quit but never waits for the goroutine to return`
		for {
			select {
			case r := <-f.results:
				_ = r
			case <-f.quit:
				return
			}
		}
	}()
}

func (f *fan) Stop() { close(f.quit) } // want Stop:`effects\(close in0\.1\)`

// joinedFan's consumer is joined by Stop, and so is the producer it
// receives from.
type joinedFan struct {
	results chan int
	quit    chan struct{}
	wg      sync.WaitGroup
}

// ok: the consumer, which Stop waits for, receives the producer's result.
func (f *joinedFan) Start() { // want Start:`effects\(add in0\.2\)`
	go func() {
		f.results <- 1
	}()
	f.wg.Add(1)
	go func() {
		defer f.wg.Done()
		for {
			select {
			case r := <-f.results:
				_ = r
			case <-f.quit:
				return
			}
		}
	}()
}

func (f *joinedFan) Stop() { // want Stop:`effects\(close in0\.1, wait in0\.2!\)`
	close(f.quit)
	f.wg.Wait()
}

// loop is started and stopped through an interface, as a scrape pool's
// loops are.
type loop interface {
	run()
	stop()
}

type scrapeLoop struct {
	quit    chan struct{}
	stopped chan struct{}
}

func (l *scrapeLoop) run() {
	defer close(l.stopped)
	<-l.quit
}

func (l *scrapeLoop) stop() {
	close(l.quit)
	<-l.stopped
}

type scrapePool struct{ loops map[string]loop }

// ok: the goroutine marks wg done first, then runs the loop it is handed;
// the loop is kept in p.loops and Stop stops it through the interface,
// whose implementation here waits on stopped: a join through an
// interface, which the analysis does not follow, so not judged.
func (p *scrapePool) restart(key string, newLoop loop) {
	var wg sync.WaitGroup
	wg.Add(1)
	go func(old, nl loop) {
		old.stop()
		wg.Done()
		nl.run()
	}(p.loops[key], newLoop)
	p.loops[key] = newLoop
	wg.Wait()
}

func (p *scrapePool) Stop() {
	for _, l := range p.loops {
		l.stop()
	}
}

// task has no implementation in the package that waits for anything.
type task interface{ do() }

type chore struct{}

func (chore) do() { tick() }

// The same shape with an interface that nothing here stops and waits
// for: Done says the goroutine started, and nothing waits for the task.
func startTask(t task) {
	var wg sync.WaitGroup
	wg.Add(1)
	go func(t task) { // want `goroutine is not joined: it marks wg done before more of its work, so waiting on wg does not wait for it to return`
		wg.Done()
		t.do()
	}(t)
	wg.Wait()
}
