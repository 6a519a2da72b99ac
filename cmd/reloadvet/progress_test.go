package main

import (
	"bytes"
	"net"
	"os"
	"strings"
	"sync"
	"testing"
	"time"
)

// lockedBuffer is a terminal stand-in that the drawing goroutine and the
// test can share.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// TestProgress plays three runs of the tool against the socket, as vet.go
// connects: each names its package and holds the connection until it
// exits. finish counts them all, and the terminal shows done of total and
// is cleared at the end.
func TestProgress(t *testing.T) {
	term := &lockedBuffer{}
	p, err := startProgress(term)
	if err != nil {
		t.Fatal(err)
	}
	if got := p.line(); got != "reloadvet: 0 packages" {
		t.Errorf("before the total is known: %q", got)
	}
	p.total.Store(5)
	path := strings.TrimPrefix(p.env(), progressEnv+"=")
	var conns []net.Conn
	for _, id := range []string{"a", "b", "c"} {
		conn, err := net.Dial("unix", path)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := conn.Write([]byte(id + "\n")); err != nil {
			t.Fatal(err)
		}
		conns = append(conns, conn)
	}
	for range 4 { // three run, one served from the cache
		p.done.Add(1)
	}
	if got := p.line(); got != "reloadvet: 4/5 packages" {
		t.Errorf("progress line %q, want %q", got, "reloadvet: 4/5 packages")
	}
	deadline := time.Now().Add(5 * time.Second)
	for !strings.Contains(term.String(), "\rreloadvet: 4/5 packages") && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	for _, c := range conns {
		_ = c.Close()
	}
	if ran := p.finish(); ran != 3 {
		t.Errorf("finish counted %d runs, want 3", ran)
	}
	out := term.String()
	if !strings.Contains(out, "\rreloadvet: 4/5 packages") || !strings.HasSuffix(out, "\r\033[K") {
		t.Errorf("terminal got %q; want the progress line, then the line cleared", out)
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Errorf("the socket %s outlived finish: %v", path, err)
	}
}
