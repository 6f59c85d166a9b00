package stack

import (
	"context"
	"io"
	"net"
	"net/http"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
)

// deep recurses n frames of 512 bytes each, the shape of a SQLite call.
//
//go:noinline
func deep(n int) byte {
	var b [512]byte
	b[n%len(b)] = byte(n)
	if n == 0 {
		return b[0]
	}
	return b[n%len(b)] + deep(n-1)
}

func TestReserveThenDeepCallsWork(t *testing.T) {
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			Reserve()
			Reserve() // a second call on a grown stack is harmless
			_ = deep(20)
		})
	}
	wg.Wait()
}

// TestReserveGrowsTheStackUpFront checks, through the runtime's own
// accounting, that a goroutine which called Reserve holds a stack of at
// least 16 KiB before it goes deep.
func TestReserveGrowsTheStackUpFront(t *testing.T) {
	const goroutines = 64
	measure := func(reserve bool) uint64 {
		var start, ready, release sync.WaitGroup
		start.Add(1)
		ready.Add(goroutines)
		release.Add(1)
		for range goroutines {
			go func() {
				start.Wait()
				if reserve {
					Reserve()
				}
				ready.Done()
				release.Wait()
			}()
		}
		start.Done()
		ready.Wait()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		release.Done()
		return m.StackInuse
	}
	without := measure(false)
	with := measure(true)
	if grown := int64(with) - int64(without); grown < goroutines*(16-2)<<10*3/4 {
		t.Fatalf("stack in use with Reserve %d B, without %d B: want about %d KiB more", with, without, goroutines*14)
	}
}

func BenchmarkReserveNewGoroutine(b *testing.B) {
	done := make(chan struct{})
	for b.Loop() {
		go func() { Reserve(); done <- struct{}{} }()
		<-done
	}
}

// TestServeConnsReservesOncePerConnection: requests are served as before;
// the first request of each connection finds its flag unset, later ones
// on the same connection find it set.
func TestServeConnsReservesOncePerConnection(t *testing.T) {
	var firsts []bool
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.WriteString(w, "ok")
	})}
	ServeConns(srv)
	inner := srv.Handler
	var mu sync.Mutex
	srv.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		flag := r.Context().Value(connKey{}).(*atomic.Bool)
		mu.Lock()
		firsts = append(firsts, !flag.Load())
		mu.Unlock()
		inner.ServeHTTP(w, r)
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = srv.Serve(ln) }()
	defer srv.Close()
	get := func(c *http.Client) {
		resp, err := c.Get("http://" + ln.Addr().String() + "/")
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if string(body) != "ok" {
			t.Fatalf("body %q, want ok", body)
		}
	}
	one := &http.Client{Transport: &http.Transport{}}
	get(one)
	get(one) // same keep-alive connection
	other := &http.Client{Transport: &http.Transport{}}
	get(other)
	want := []bool{true, false, true}
	if !slices.Equal(firsts, want) {
		t.Fatalf("first request of its connection: %v, want %v", firsts, want)
	}
}

func TestServeConnsRefusesASetConnContext(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Fatal("no panic with ConnContext already set")
		}
	}()
	ServeConns(&http.Server{ConnContext: func(ctx context.Context, _ net.Conn) context.Context { return ctx }})
}
