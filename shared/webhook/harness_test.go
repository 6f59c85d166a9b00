package webhook_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/wagate/wagate/events"
	wagate "github.com/wagate/wagate/shared"
	"github.com/wagate/wagate/shared/sqlite"
	"github.com/wagate/wagate/shared/webhook"
)

// waitFor bounds every wait for something that must happen.
const waitFor = 10 * time.Second

// harness is a deliverer on a fresh SQLite file, with its stores.
type harness struct {
	path     string
	db       *sqlite.DB
	sessions *sqlite.SessionStore
	outbox   *sqlite.Outbox
	store    *sqlite.DeliveryStore
}

func newHarness(t testing.TB) *harness {
	t.Helper()
	h := &harness{path: filepath.Join(t.TempDir(), "wagate.db")}
	h.open(t)
	return h
}

// open opens (or reopens) the database file and builds the stores.
func (h *harness) open(t testing.TB) {
	t.Helper()
	db, err := sqlite.Open(context.Background(), h.path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	h.db, h.sessions, h.outbox, h.store = db, sqlite.NewSessionStore(db), sqlite.NewOutbox(db), sqlite.NewDeliveryStore(db)
}

// deliverer returns a Deliverer on the harness with test-sized timings.
func (h *harness) deliverer(opts ...func(*webhook.Deliverer)) *webhook.Deliverer {
	dl := &webhook.Deliverer{
		Outbox: h.outbox, Store: h.store, Sessions: h.sessions,
		Sender:   &webhook.Sender{Client: &http.Client{Timeout: 300 * time.Millisecond}},
		Schedule: webhook.Schedule{20 * time.Millisecond, 20 * time.Millisecond, 20 * time.Millisecond},
		Workers:  8, PerTarget: 2,
		Log: testLog(),
	}
	for _, o := range opts {
		o(dl)
	}
	return dl
}

// run starts dl and returns a function that stops it and waits for Run.
func run(t testing.TB, dl *webhook.Deliverer) (stop func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- dl.Run(ctx) }()
	var once sync.Once
	stop = func() {
		once.Do(func() {
			cancel()
			select {
			case err := <-done:
				if err != nil {
					t.Errorf("Run: %v", err)
				}
			case <-time.After(waitFor):
				t.Error("Run did not return after stop")
			}
		})
	}
	t.Cleanup(stop)
	return stop
}

func (h *harness) session(t testing.TB, id string, cfg wagate.WebhookConfig) *wagate.Session {
	t.Helper()
	s := &wagate.Session{SessionID: id, Webhook: cfg}
	if err := h.sessions.CreateSession(context.Background(), s); err != nil {
		t.Fatal(err)
	}
	return s
}

// publish publishes one session.connected event per id.
func (h *harness) publish(t testing.TB, sessionID string, ids ...string) {
	t.Helper()
	var evs []events.Event
	for _, id := range ids {
		ev, err := events.NewEvent(id, events.EvSessionConnected, sessionID, 1, time.Now(),
			events.SessionEvent{SessionID: sessionID, SessionDBID: 1, Status: "connected"})
		if err != nil {
			t.Fatal(err)
		}
		evs = append(evs, ev)
	}
	if err := h.outbox.Publish(context.Background(), evs...); err != nil {
		t.Fatal(err)
	}
}

// await polls the deliveries matching f until one of event eventID to
// target has status, and returns it with its attempts.
func (h *harness) await(t testing.TB, eventID, target string, status wagate.DeliveryStatus) (*wagate.WebhookDelivery, []wagate.WebhookAttempt) {
	t.Helper()
	deadline := time.Now().Add(waitFor)
	var last *wagate.WebhookDelivery
	for time.Now().Before(deadline) {
		list, _, err := h.store.ListDeliveries(context.Background(), wagate.DeliveryFilter{Limit: 1000})
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range list {
			if d.EventID == eventID && d.Target == target {
				last = d
				if d.Status == status {
					_, attempts, err := h.store.FindDelivery(context.Background(), d.ID)
					if err != nil {
						t.Fatal(err)
					}
					return d, attempts
				}
			}
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Fatalf("delivery of %s to %s never became %s (last %+v)", eventID, target, status, last)
	return nil, nil
}

// hit is one request a receiver got.
type hit struct {
	header http.Header
	body   []byte
	at     time.Time
}

// receiver is a webhook endpoint that answers with respond(n) for its n-th
// request (from 1) and keeps what it got.
type receiver struct {
	*httptest.Server
	mu      sync.Mutex
	hits    []hit
	respond func(n int, w http.ResponseWriter, r *http.Request)
}

func newReceiver(t testing.TB, respond func(n int, w http.ResponseWriter, r *http.Request)) *receiver {
	t.Helper()
	rc := &receiver{respond: respond}
	rc.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		rc.mu.Lock()
		rc.hits = append(rc.hits, hit{header: r.Header.Clone(), body: body, at: time.Now()})
		n := len(rc.hits)
		rc.mu.Unlock()
		if respond != nil {
			respond(n, w, r)
		}
	}))
	t.Cleanup(rc.Close)
	return rc
}

// statuses answers the listed codes in turn, then 200.
func statuses(codes ...int) func(int, http.ResponseWriter, *http.Request) {
	return func(n int, w http.ResponseWriter, _ *http.Request) {
		if n <= len(codes) {
			w.WriteHeader(codes[n-1])
		}
	}
}

func (rc *receiver) got() []hit {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return append([]hit(nil), rc.hits...)
}

// fakeBlobs makes predictable media links.
type fakeBlobs struct{ wagate.BlobStore }

func (fakeBlobs) PresignGet(_ context.Context, key, filename string, ttl time.Duration) (string, error) {
	if ttl != webhook.MediaLinkTTL {
		return "", errors.New("unexpected ttl")
	}
	return "https://files.example/" + key + "?name=" + filename, nil
}

func testLog() *slog.Logger {
	if os.Getenv("WEBHOOK_TEST_LOG") != "" {
		return slog.New(slog.NewTextHandler(os.Stderr, nil))
	}
	return slog.New(slog.DiscardHandler)
}
