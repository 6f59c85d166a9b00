package metrics

import (
	"context"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/wagate/wagate/events"
	wagate "github.com/wagate/wagate/shared"
)

var (
	_ wagate.CommandQueue  = (*Queue)(nil)
	_ wagate.EventBus      = (*Bus)(nil)
	_ wagate.DeliveryStore = (*Deliveries)(nil)
)

// maxInFlight bounds the receipts Queue remembers between receive and ack.
const maxInFlight = 10000

// Queue counts the commands through a CommandQueue and the queue lag (the
// time from enqueue to receive).
type Queue struct {
	wagate.CommandQueue
	R *Registry

	mu    sync.Mutex
	types map[string]string // receipt → command type, while in flight
}

// Receive counts the received commands by type and records the lag of the
// oldest.
func (q *Queue) Receive(ctx context.Context, limit int, visibility time.Duration) ([]wagate.Delivery, error) {
	ds, err := q.CommandQueue.Receive(ctx, limit, visibility)
	if len(ds) == 0 {
		return ds, err
	}
	now, lag := time.Now(), time.Duration(0)
	q.mu.Lock()
	if q.types == nil {
		q.types = map[string]string{}
	}
	if len(q.types) > maxInFlight { // receipts never settled (visibility ended): forget them
		clear(q.types)
	}
	for _, d := range ds {
		q.types[d.Receipt] = d.Command.Type
		q.R.Counter(Commands, "type", d.Command.Type, "outcome", "received").Inc()
		if d.Attempt == 1 && !d.Command.CreatedAt.IsZero() {
			lag = max(lag, now.Sub(d.Command.CreatedAt))
		}
	}
	q.mu.Unlock()
	q.R.Gauge(QueueLag).Set(lag.Seconds())
	return ds, err
}

// Ack counts an acked command.
func (q *Queue) Ack(ctx context.Context, receipt string) error {
	err := q.CommandQueue.Ack(ctx, receipt)
	q.done(receipt, "acked", err)
	return err
}

// Nack counts a nacked command.
func (q *Queue) Nack(ctx context.Context, receipt string, delay time.Duration) error {
	err := q.CommandQueue.Nack(ctx, receipt, delay)
	q.done(receipt, "nacked", err)
	return err
}

func (q *Queue) done(receipt, outcome string, err error) {
	if err != nil {
		return
	}
	q.mu.Lock()
	typ, ok := q.types[receipt]
	delete(q.types, receipt)
	q.mu.Unlock()
	if ok {
		q.R.Counter(Commands, "type", typ, "outcome", outcome).Inc()
	}
}

// Bus counts what is published: events by type, sends and their
// failures, inbound messages, and the sessions connected (by their
// session.* events; meaningful in the process that hosts them).
type Bus struct {
	wagate.EventBus
	R *Registry

	mu        sync.Mutex
	connected map[string]bool
}

// Publish publishes and, once that succeeded, counts.
func (b *Bus) Publish(ctx context.Context, evs ...events.Event) error {
	if err := b.EventBus.Publish(ctx, evs...); err != nil {
		return err
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.connected == nil {
		b.connected = map[string]bool{}
	}
	for _, ev := range evs {
		b.R.Counter(EventsPublished, "type", ev.Type).Inc()
		switch ev.Type {
		case events.EvMessageSent:
			b.R.Counter(Sends, "result", "sent").Inc()
		case events.EvMessageFailed:
			b.R.Counter(Sends, "result", "failed").Inc()
		case events.EvMessageReceived:
			b.R.Counter(Inbound).Inc()
		case events.EvSessionConnected:
			b.connected[ev.SessionID] = true
		case events.EvSessionDisconnected, events.EvSessionLoggedOut, events.EvSessionQR, events.EvSessionConnecting:
			delete(b.connected, ev.SessionID)
		}
	}
	b.R.Gauge(SessionsConnected).Set(float64(len(b.connected)))
	return nil
}

// Deliveries counts webhook attempts (and those that did not deliver) as
// the deliverer records them.
type Deliveries struct {
	wagate.DeliveryStore
	R *Registry
}

// Record records and counts an attempt.
func (d *Deliveries) Record(ctx context.Context, id string, out wagate.DeliveryOutcome) error {
	err := d.DeliveryStore.Record(ctx, id, out)
	CountAttempt(d.R, out.Status == wagate.DeliveryDelivered)
	return err
}

// CountAttempt counts one webhook attempt.
func CountAttempt(r *Registry, delivered bool) {
	r.Counter(WebhookAttempts).Inc()
	if !delivered {
		r.Counter(WebhookFailures).Inc()
	}
}

// Middleware counts the requests h answers by status class ("2xx", …).
func Middleware(r *Registry, h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		sw := &statusWriter{ResponseWriter: w}
		h.ServeHTTP(sw, req)
		code := sw.code
		if code == 0 {
			code = http.StatusOK
		}
		r.Counter(Requests, "status", strconv.Itoa(code/100)+"xx").Inc()
	})
}

type statusWriter struct {
	http.ResponseWriter
	code int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.code == 0 {
		w.code = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.code == 0 {
		w.code = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
