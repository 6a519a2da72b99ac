package main

import (
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"
)

// progress counts the analyses of a go vet run. Every analysis go vet
// completes, run or served from its cache, prints one JSON tree, which the
// engine counts (done). Every run of the tool connects to a Unix socket the
// command listens on and holds the connection until its process exits
// (ran): the difference is what the cache served. When stderr is a
// terminal, progress redraws "packages done of total" on it.
type progress struct {
	ln    net.Listener
	dir   string
	ran   atomic.Int64
	done  atomic.Int64
	total atomic.Int64

	term  io.Writer // the terminal to draw on, or nil
	conns sync.WaitGroup
	stop  chan struct{}
	drawn sync.WaitGroup
}

// startProgress listens on a socket in a fresh temporary directory. term,
// when not nil, is redrawn with the count a few times a second.
func startProgress(term io.Writer) (*progress, error) {
	dir, err := os.MkdirTemp("", "reloadvet")
	if err != nil {
		return nil, err
	}
	ln, err := net.Listen("unix", filepath.Join(dir, "progress.sock"))
	if err != nil {
		_ = os.RemoveAll(dir)
		return nil, err
	}
	p := &progress{ln: ln, dir: dir, term: term, stop: make(chan struct{})}
	p.conns.Add(1)
	go p.accept()
	if term != nil {
		p.drawn.Add(1)
		go p.draw()
	}
	return p, nil
}

// env is the environment entry that tells the tool where to connect.
func (p *progress) env() string { return progressEnv + "=" + p.ln.Addr().String() }

func (p *progress) accept() {
	defer p.conns.Done()
	for {
		conn, err := p.ln.Accept()
		if err != nil {
			return // closed
		}
		p.conns.Add(1)
		go func() {
			defer p.conns.Done()
			// The tool writes its package's ID and holds the connection
			// until it exits.
			_, _ = io.Copy(io.Discard, conn)
			_ = conn.Close()
			p.ran.Add(1)
		}()
	}
}

func (p *progress) draw() {
	defer p.drawn.Done()
	tick := time.NewTicker(200 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case <-p.stop:
			fmt.Fprint(p.term, "\r\033[K")
			return
		case <-tick.C:
			fmt.Fprint(p.term, "\r"+p.line())
		}
	}
}

// line is the progress line: packages done of total, or done alone until
// go list has given the total.
func (p *progress) line() string {
	if total := p.total.Load(); total > 0 {
		return fmt.Sprintf("reloadvet: %d/%d packages", min(p.done.Load(), total), total)
	}
	return fmt.Sprintf("reloadvet: %d packages", p.done.Load())
}

// finish stops listening once go vet has exited, waits until every
// connection has closed, clears the terminal line and returns how many
// analyses ran.
func (p *progress) finish() int {
	_ = p.ln.Close()
	p.conns.Wait()
	close(p.stop)
	p.drawn.Wait()
	_ = os.RemoveAll(p.dir)
	return int(p.ran.Load())
}

// isTerminal reports whether f is a terminal (a character device).
func isTerminal(f *os.File) bool {
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
