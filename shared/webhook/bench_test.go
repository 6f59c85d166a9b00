package webhook_test

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/wagate/wagate/events"
	wagate "github.com/wagate/wagate/shared"
	"github.com/wagate/wagate/shared/webhook"
)

// benchSessions is how many sessions the benchmark events are spread over
// (each may have DefaultPerTarget attempts in flight).
const benchSessions = 32

// benchRig is a Deliverer with default settings on SQLite, delivering to
// one local receiver that notes when each event arrives.
type benchRig struct {
	h       *harness
	mu      sync.Mutex
	arrived map[string]time.Time
	count   atomic.Int64
	want    atomic.Int64
	all     chan struct{}
}

func newBenchRig(b *testing.B) *benchRig {
	b.Helper()
	r := &benchRig{h: newHarness(b), arrived: map[string]time.Time{}, all: make(chan struct{})}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		id, now := req.Header.Get(webhook.HeaderID), time.Now()
		r.mu.Lock()
		if _, dup := r.arrived[id]; !dup {
			r.arrived[id] = now
			if r.count.Add(1) == r.want.Load() {
				close(r.all)
			}
		}
		r.mu.Unlock()
	}))
	b.Cleanup(srv.Close)
	for i := range benchSessions {
		r.h.session(b, fmt.Sprint("s", i), wagate.WebhookConfig{URL: srv.URL + "/hook", Secret: "s3cret"})
	}
	run(b, &webhook.Deliverer{
		Outbox: r.h.outbox, Store: r.h.store, Sessions: r.h.sessions,
		Log: slog.New(slog.DiscardHandler),
	})
	return r
}

// event is the n-th benchmark event: a text message.received.
func benchEvent(b *testing.B, n int) events.Event {
	sid := fmt.Sprint("s", n%benchSessions)
	data := events.MessageData{SessionID: sid, SessionDBID: int64(n%benchSessions + 1), Message: events.MessagePayload{
		WhatsAppMessageID: fmt.Sprintf("3EB0%012d", n), Content: "Hola, este es un mensaje recibido",
		ChatID: "34657032985@s.whatsapp.net", From: "34657032985@s.whatsapp.net", To: sid,
		Timestamp: time.Now().Unix(), Type: "text", MessageID: fmt.Sprintf("3EB0%012d", n),
	}}
	ev, err := events.NewEvent(fmt.Sprint("ev", n), events.EvMessageReceived, sid, int64(n%benchSessions+1), time.Now(), data)
	if err != nil {
		b.Fatal(err)
	}
	return ev
}

func (r *benchRig) wait(b *testing.B) {
	b.Helper()
	select {
	case <-r.all:
	case <-time.After(2 * time.Minute):
		b.Fatalf("%d of %d events delivered", r.count.Load(), r.want.Load())
	}
}

// BenchmarkDeliver pushes b.N events through Outbox → Deliverer → a local
// receiver, published in batches of 100 as fast as the outbox takes them,
// and reports deliveries per second.
func BenchmarkDeliver(b *testing.B) {
	r := newBenchRig(b)
	evs := make([]events.Event, b.N)
	for i := range evs {
		evs[i] = benchEvent(b, i)
	}
	r.want.Store(int64(b.N))
	b.ResetTimer()
	start := time.Now()
	for batch := range slices.Chunk(evs, 100) {
		if err := r.h.outbox.Publish(context.Background(), batch...); err != nil {
			b.Fatal(err)
		}
	}
	r.wait(b)
	elapsed := time.Since(start)
	b.StopTimer()
	b.ReportMetric(float64(b.N)/elapsed.Seconds(), "deliveries/s")
}

// BenchmarkDeliverLatency publishes b.N events at 500 a second, one at a
// time, and reports the publish → received latency (p50, p99, max).
func BenchmarkDeliverLatency(b *testing.B) {
	const rate = 500
	r := newBenchRig(b)
	r.want.Store(int64(b.N))
	published := make(map[string]time.Time, b.N)
	b.ResetTimer()
	tick := time.NewTicker(time.Second / rate)
	defer tick.Stop()
	for i := range b.N {
		ev := benchEvent(b, i)
		published[ev.ID] = time.Now()
		if err := r.h.outbox.Publish(context.Background(), ev); err != nil {
			b.Fatal(err)
		}
		<-tick.C
	}
	r.wait(b)
	b.StopTimer()
	r.mu.Lock()
	defer r.mu.Unlock()
	lat := make([]time.Duration, 0, b.N)
	for id, at := range published {
		lat = append(lat, r.arrived[id].Sub(at))
	}
	slices.Sort(lat)
	pct := func(p float64) float64 { return float64(lat[int(p*float64(len(lat)-1))]) / float64(time.Millisecond) }
	b.ReportMetric(pct(0.50), "p50-ms")
	b.ReportMetric(pct(0.99), "p99-ms")
	b.ReportMetric(pct(1), "max-ms")
	b.ReportMetric(0, "ns/op")
}
