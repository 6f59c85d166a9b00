package sim_test

import (
	"fmt"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/wagate/wagate/connector/sim"
	wagate "github.com/wagate/wagate/shared"
)

const (
	// fleetSize is how many connected clients the memory figure is taken over.
	fleetSize = 1000
	// maxBytesPerClient is what the test tolerates: far below the product
	// target of 1 MB per connected sim session, with room for the race
	// detector's overhead.
	maxBytesPerClient = 16 << 10
)

// fleet is a network with fleetSize paired devices, none connected.
type fleet struct {
	n          *sim.Network
	jids       []string
	sessionIDs []string
	clients    []wagate.EngineClient
}

func newFleet(tb testing.TB) *fleet {
	tb.Helper()
	f := &fleet{
		n:          MustOpenNetwork(tb, fastOptions()),
		jids:       make([]string, fleetSize),
		sessionIDs: make([]string, fleetSize),
		clients:    make([]wagate.EngineClient, fleetSize),
	}
	for i := range fleetSize {
		jid, err := sim.SeedDevice(tb.Context(), f.n, fmt.Sprintf("3460%07d", i), "Ana")
		if err != nil {
			tb.Fatalf("seed device %d: %v", i, err)
		}
		f.jids[i], f.sessionIDs[i] = jid, fmt.Sprintf("session-%d", i)
	}
	return f
}

// connectAll connects every device, waits until all are connected and
// settled (no delivery goroutine, no timer), and returns the Go heap in use
// per connected client. It disconnects them all before returning.
func (f *fleet) connectAll(tb testing.TB) float64 {
	tb.Helper()
	var connected sync.WaitGroup
	connected.Add(fleetSize)
	handle := func(ev wagate.EngineEvent) {
		if _, ok := ev.(wagate.ConnectedEvent); ok {
			connected.Done()
		}
	}

	runtime.GC()
	goroutines := runtime.NumGoroutine()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)

	for i := range fleetSize {
		c, err := f.n.NewClient(tb.Context(), wagate.EngineDevice{SessionID: f.sessionIDs[i], DeviceJID: f.jids[i]}, handle)
		if err != nil {
			tb.Fatalf("new client %d: %v", i, err)
		}
		if err := c.Connect(tb.Context()); err != nil {
			tb.Fatalf("connect %d: %v", i, err)
		}
		f.clients[i] = c
	}
	done := make(chan struct{})
	go func() { connected.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		tb.Fatal("not all clients connected")
	}
	waitGoroutines(tb, goroutines)

	runtime.GC()
	runtime.ReadMemStats(&after)
	perClient := float64(int64(after.HeapInuse)-int64(before.HeapInuse)) / fleetSize

	for i, c := range f.clients {
		if !c.IsLive() {
			tb.Errorf("client %d not live", i)
		}
		c.Disconnect()
		f.clients[i] = nil
	}
	return perClient
}

func TestMemoryPerConnectedClient(t *testing.T) {
	if testing.Short() {
		t.Skip("connects 1,000 clients")
	}
	perClient := newFleet(t).connectAll(t)
	t.Logf("%d connected sim clients: %.0f bytes of Go heap each", fleetSize, perClient)
	if perClient > maxBytesPerClient {
		t.Errorf("%.0f bytes per connected client, want ≤ %d", perClient, maxBytesPerClient)
	}
}

// BenchmarkConnectedClients connects 1,000 paired clients per iteration and
// reports the Go heap each holds once connected (B/client).
func BenchmarkConnectedClients(b *testing.B) {
	f := newFleet(b)
	var total float64
	var runs int
	b.ResetTimer()
	for b.Loop() {
		total += f.connectAll(b)
		runs++
	}
	b.ReportMetric(total/float64(runs), "B/client")
}
