package awsrt_test

import (
	"encoding/json"
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
	"github.com/wagate/wagate/shared/awsrt"
	"github.com/wagate/wagate/shared/metrics"
	"github.com/wagate/wagate/shared/sqlite"
	"github.com/wagate/wagate/shared/webhook"
)

// receiver is a CRM endpoint that answers with the next status of codes
// (200 once they run out) and keeps what it got.
type receiver struct {
	mu     sync.Mutex
	codes  []int
	bodies [][]byte
	sigs   []string
}

func (r *receiver) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	body, _ := io.ReadAll(req.Body)
	r.mu.Lock()
	defer r.mu.Unlock()
	r.bodies = append(r.bodies, body)
	r.sigs = append(r.sigs, req.Header.Get(webhook.HeaderSignature))
	code := http.StatusOK
	if len(r.codes) > 0 {
		code, r.codes = r.codes[0], r.codes[1:]
	}
	w.WriteHeader(code)
}

func (r *receiver) count() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.bodies)
}

// fixture returns a handler on sqlite stores (the local adapters of the
// same ports) whose session "demo" posts to rcv, and the EventBridge event
// of testdata.
func fixture(t *testing.T, rcv *receiver, schedule webhook.Schedule) (*awsrt.WebhookHandler, awsrt.Envelope, *sqlite.DB) {
	t.Helper()
	srv := httptest.NewServer(rcv)
	t.Cleanup(srv.Close)
	db, err := sqlite.Open(t.Context(), filepath.Join(t.TempDir(), "wagate.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	sessions := sqlite.NewSessionStore(db)
	if err := sessions.CreateSession(t.Context(), &wagate.Session{SessionID: "demo",
		Webhook: wagate.WebhookConfig{URL: srv.URL + "/hook", Secret: "s3cret"}}); err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile("testdata/eventbridge-session-connected.json")
	if err != nil {
		t.Fatal(err)
	}
	var env awsrt.Envelope
	if err := json.Unmarshal(raw, &env); err != nil {
		t.Fatal(err)
	}
	h := &awsrt.WebhookHandler{
		Sessions: sessions, Deliveries: sqlite.NewDeliveryStore(db),
		Sender: &webhook.Sender{}, Schedule: schedule, Metrics: metrics.New(),
		Log: slog.New(slog.NewJSONHandler(io.Discard, nil)),
	}
	return h, env, db
}

func TestWebhookHandler(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		rcv := &receiver{}
		h, env, _ := fixture(t, rcv, nil)
		if err := h.Handle(t.Context(), env); err != nil {
			t.Fatal(err)
		}
		if rcv.count() != 1 || !webhook.Verify("s3cret", rcv.bodies[0], rcv.sigs[0]) {
			t.Fatalf("receiver got %d posts (signature ok: %v), want 1 signed", rcv.count(), rcv.count() == 1 && webhook.Verify("s3cret", rcv.bodies[0], rcv.sigs[0]))
		}
		var body struct {
			Event string `json:"event"`
		}
		if err := json.Unmarshal(rcv.bodies[0], &body); err != nil || body.Event != events.EvSessionConnected {
			t.Fatalf("body %s: want a session.connected webhook", rcv.bodies[0])
		}
		// EventBridge hands the same event over again: nothing is sent twice.
		if err := h.Handle(t.Context(), env); err != nil || rcv.count() != 1 {
			t.Fatalf("redelivery: %v, %d posts; want nil and still 1", err, rcv.count())
		}
	})

	t.Run("RetryThenDeliver", func(t *testing.T) {
		rcv := &receiver{codes: []int{503}}
		h, env, db := fixture(t, rcv, webhook.Schedule{time.Second})
		clock := fakeClock(h)
		err := h.Handle(t.Context(), env)
		if !errors.Is(err, awsrt.ErrRetry) {
			t.Fatalf("Handle after a 503 = %v, want ErrRetry (Lambda retries)", err)
		}
		// Handed over again before the retry is due: nothing is sent.
		if err := h.Handle(t.Context(), env); err != nil || rcv.count() != 1 {
			t.Fatalf("early redelivery: %v, %d posts; want nil and still 1", err, rcv.count())
		}
		clock.add(2 * time.Second)
		if err := h.Handle(t.Context(), env); err != nil {
			t.Fatal(err)
		}
		var ev events.Event
		_ = json.Unmarshal(env.Detail, &ev)
		d, attempts, err := sqlite.NewDeliveryStore(db).FindDelivery(t.Context(), awsrt.DeliveryID(ev, wagate.TargetSession))
		if err != nil || d.Status != wagate.DeliveryDelivered || len(attempts) != 2 {
			t.Fatalf("delivery %+v, %d attempts, %v; want delivered after 2", d, len(attempts), err)
		}
	})

	t.Run("DeadAfterSchedule", func(t *testing.T) {
		rcv := &receiver{codes: []int{500, 500, 500}}
		h, env, _ := fixture(t, rcv, webhook.Schedule{time.Second})
		clock := fakeClock(h)
		if err := h.Handle(t.Context(), env); !errors.Is(err, awsrt.ErrRetry) {
			t.Fatalf("first attempt: %v, want ErrRetry", err)
		}
		clock.add(2 * time.Second)
		if err := h.Handle(t.Context(), env); err != nil {
			t.Fatalf("last attempt of the schedule: %v, want nil (dead, no more retries)", err)
		}
		clock.add(time.Hour)
		if err := h.Handle(t.Context(), env); err != nil || rcv.count() != 2 {
			t.Fatalf("after dead: %v, %d posts; want nil and no third post", err, rcv.count())
		}
	})

	t.Run("Refused", func(t *testing.T) {
		rcv := &receiver{codes: []int{400}}
		h, env, _ := fixture(t, rcv, nil)
		if err := h.Handle(t.Context(), env); err != nil {
			t.Fatalf("a 400 is not retried: %v", err)
		}
	})

	t.Run("SessionGone", func(t *testing.T) {
		h, env, _ := fixture(t, &receiver{}, nil)
		env.Detail = json.RawMessage(`{"id":"e9","type":"session.connected","sessionId":"nobody","data":{}}`)
		if err := h.Handle(t.Context(), env); err != nil {
			t.Fatal(err)
		}
	})
}
