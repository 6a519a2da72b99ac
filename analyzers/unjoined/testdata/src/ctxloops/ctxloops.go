// Package ctxloops holds goroutines that end when the spawner's context
// is cancelled, while the spawner returns on the same cancellation
// without waiting for them: the informers and queue loops of a service
// discovery.
package ctxloops

import (
	"context"
	"sync"
)

// Informer is a library type: its Run returns when stop is closed.
type Informer interface{ Run(stop <-chan struct{}) }

// A receive-only channel handed to unknown code lets it hear the stop,
// never give an end signal: the wait on ctx.Done() is the caller's
// cancel, not a join.
func runInformers(ctx context.Context, a, b Informer) {
	go a.Run(ctx.Done()) // want `goroutine is not joined: nothing waits for it to return; wait for it before runInformers returns`
	go b.Run(ctx.Done()) // want `goroutine is not joined: nothing waits for it to return`
	<-ctx.Done()
}

// ok: the spawning function waits on the group the goroutine marks done
// after the informer returns.
func runInformerJoined(ctx context.Context, a Informer) {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		a.Run(ctx.Done())
	}()
	<-ctx.Done()
	wg.Wait()
}

// Canceller is run with the cancel func of the context waited on.
type Canceller interface {
	Run(cancel context.CancelFunc)
}

// ok: the unknown code is handed the cancel func of the context the
// spawner waits on, so it may be what ends the wait: not judged.
func runCanceller(parent context.Context, c Canceller) {
	ctx, cancel := context.WithCancel(parent)
	go c.Run(cancel)
	<-ctx.Done()
}

// queue is a work queue in the manner of client-go's: Get blocks on a
// condition variable until an item comes or the queue shuts down.
type queue struct {
	mu    sync.Mutex
	cond  *sync.Cond
	items []string
	done  bool
}

func (q *queue) Get() (string, bool) { // want Get:`effects\(condwait in0\.1\)`
	q.mu.Lock()
	defer q.mu.Unlock()
	for len(q.items) == 0 && !q.done {
		q.cond.Wait()
	}
	if len(q.items) == 0 {
		return "", false
	}
	it := q.items[0]
	q.items = q.items[1:]
	return it, true
}

func (q *queue) Done(string) { q.cond.Signal() } // want Done:`effects\(notify in0\.1\)`

func (q *queue) ShutDown() { // want ShutDown:`effects\(notify in0\.1\)`
	q.mu.Lock()
	q.done = true
	q.cond.Broadcast()
	q.mu.Unlock()
}

// Discovery processes its queue on a goroutine of its own and sends
// each result on the caller's channel.
type Discovery struct{ q *queue }

func (d *Discovery) process(ctx context.Context, ch chan<- string) bool {
	key, ok := d.q.Get()
	if !ok {
		return false
	}
	defer d.q.Done(key)
	select {
	case ch <- key:
	case <-ctx.Done():
	}
	return true
}

// Run returns on the caller's cancel, leaving the loop behind: each send
// on ch hands the caller an item, not the loop's end, and the queue's
// condition variable is waited on by the loop alone.
func (d *Discovery) Run(ctx context.Context, ch chan<- string) { // want Run:`effects\(notify in0\.0,1\)`
	defer d.q.ShutDown()
	go func() { // want `goroutine is not joined: it sends on ch before more of its work, so receiving from ch does not wait for it to return; wait for it before \(\*Discovery\)\.Run returns`
		for d.process(ctx, ch) {
		}
	}()
	<-ctx.Done()
}

// ok: the loop closes done when the queue is shut down, and Run waits
// for that after shutting the queue down.
func (d *Discovery) RunJoined(ctx context.Context, ch chan<- string) { // want RunJoined:`effects\(notify in0\.0,1\)`
	done := make(chan struct{})
	go func() {
		defer close(done)
		for d.process(ctx, ch) {
		}
	}()
	<-ctx.Done()
	d.q.ShutDown()
	<-done
}

// ok: the result is the goroutine's one and last send, and the spawner
// receives it on every path.
func fetch(ctx context.Context, get func() string) string {
	ch := make(chan string, 1)
	go func() { ch <- get() }()
	return <-ch
}

// A producer sends several values on the caller's channel: the first one
// received says nothing about its end.
func produce(xs []string, ch chan<- string) {
	go func() { // want `goroutine is not joined: it sends on ch before more of its work, so receiving from ch does not wait for it to return`
		for _, x := range xs {
			ch <- x
		}
	}()
}

// ok: the producer closes the caller's channel when it is done, which
// the caller may wait for by ranging over it: not judged.
func produceAndClose(xs []string, ch chan<- string) {
	go func() {
		defer close(ch)
		for _, x := range xs {
			ch <- x
		}
	}()
}

// Client is a library type the send loop hands its work to.
type Client interface{ Do(batch []string) error }

// sendLoop's loop receives from its own stop channel and calls an
// interface method: its own receive is no wait for it.
type sendLoop struct {
	client  Client
	stopped chan struct{}
	hasWork chan struct{}
}

func (s *sendLoop) loop() {
	for {
		select {
		case <-s.stopped:
			return
		case <-s.hasWork:
			s.client.Do(nil)
		}
	}
}

func (s *sendLoop) stop() { close(s.stopped) }

type alertmanagerSet struct{ loops map[string]*sendLoop }

func (a *alertmanagerSet) add(url string, c Client) {
	l := &sendLoop{client: c, stopped: make(chan struct{}), hasWork: make(chan struct{}, 1)}
	go l.loop() // want `goroutine is not joined: stop closes stopped but never waits for the goroutine to return; wait for it in \(\*sendLoop\)\.stop`
	a.loops[url] = l
}

func (a *alertmanagerSet) clean(url string) {
	a.loops[url].stop()
	delete(a.loops, url)
}

// drainLoop is sendLoop with a done channel that stop waits on.
type drainLoop struct {
	client  Client
	stopped chan struct{}
	done    chan struct{}
}

func (s *drainLoop) loop() {
	defer close(s.done)
	for {
		select {
		case <-s.stopped:
			return
		default:
			s.client.Do(nil)
		}
	}
}

func (s *drainLoop) stop() {
	close(s.stopped)
	<-s.done
}

// ok: stop closes stopped and then receives from done, which the loop
// closes as its last act.
func startDrainLoop(c Client) *drainLoop {
	l := &drainLoop{client: c, stopped: make(chan struct{}), done: make(chan struct{})}
	go l.loop()
	return l
}
