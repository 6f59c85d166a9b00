package awsrt_test

import (
	"encoding/json"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/wagate/wagate/events"
	wagate "github.com/wagate/wagate/shared"
	"github.com/wagate/wagate/shared/awsrt"
	"github.com/wagate/wagate/shared/sqlite"
	"github.com/wagate/wagate/shared/webhook"
)

// clock is a settable time for a handler (its claims, records and
// schedule).
type clock struct {
	mu  sync.Mutex
	now time.Time
}

// fakeClock starts a second ahead: the stores stamp new deliveries due at
// the real now, which must not be after the handler's.
func fakeClock(h *awsrt.WebhookHandler) *clock {
	c := &clock{now: time.Now().Add(time.Second)}
	h.Now = c.get
	return c
}

func (c *clock) get() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

// scheduled is the tick of the schedule rule.
var scheduled = awsrt.Envelope{ID: "tick-1", Source: awsrt.ScheduledSource, DetailType: awsrt.ScheduledDetailType,
	Resources: []string{"arn:aws:events:eu-west-1:111122223333:rule/wagate-dev-webhook-sweep"}, Detail: json.RawMessage(`{}`)}

// deliveryOf reads the session target's delivery of the fixture's event.
func deliveryOf(t *testing.T, db *sqlite.DB, env awsrt.Envelope) (*wagate.WebhookDelivery, []wagate.WebhookAttempt) {
	t.Helper()
	var ev events.Event
	if err := json.Unmarshal(env.Detail, &ev); err != nil {
		t.Fatal(err)
	}
	d, attempts, err := sqlite.NewDeliveryStore(db).FindDelivery(t.Context(), awsrt.DeliveryID(ev, wagate.TargetSession))
	if err != nil {
		t.Fatal(err)
	}
	return d, attempts
}

func TestWebhookSweep(t *testing.T) {
	t.Run("CarriesTheSchedule", func(t *testing.T) {
		// The CRM is down for longer than Lambda's retries: the sweeps
		// make the later attempts when they fall due.
		rcv := &receiver{codes: []int{503, 503, 503}}
		h, env, db := fixture(t, rcv, webhook.Schedule{time.Second, time.Minute, time.Hour})
		clock := fakeClock(h)
		if err := h.Handle(t.Context(), env); !errors.Is(err, awsrt.ErrRetry) {
			t.Fatalf("Handle = %v, want ErrRetry", err)
		}
		res, err := h.Invoke(t.Context(), scheduled)
		if err != nil || res == nil || *res != (webhook.SweepResult{}) {
			t.Fatalf("sweep before the retry is due = %+v, %v; want nothing done", res, err)
		}
		for i, wait := range []time.Duration{2 * time.Second, 2 * time.Minute} {
			clock.add(wait)
			if res, err := h.Sweep(t.Context()); err != nil || res.Retrying != 1 {
				t.Fatalf("sweep %d = %+v, %v; want a failed attempt, retried later", i+1, res, err)
			}
		}
		clock.add(2 * time.Hour) // the last attempt of the schedule
		if res, err := h.Sweep(t.Context()); err != nil || res.Delivered != 1 {
			t.Fatalf("last sweep = %+v, %v; want it delivered", res, err)
		}
		d, attempts := deliveryOf(t, db, env)
		if d.Status != wagate.DeliveryDelivered || len(attempts) != 4 || rcv.count() != 4 {
			t.Fatalf("delivery %+v, %d attempts, %d posts; want delivered at the 4th", d, len(attempts), rcv.count())
		}
		// Lambda hands the event over again: nothing more is sent.
		if err := h.Handle(t.Context(), env); err != nil || rcv.count() != 4 {
			t.Fatalf("redelivery after: %v, %d posts", err, rcv.count())
		}
	})

	t.Run("DeadAfterTheSchedule", func(t *testing.T) {
		rcv := &receiver{codes: []int{500, 500}}
		h, env, db := fixture(t, rcv, webhook.Schedule{time.Second})
		clock := fakeClock(h)
		if err := h.Handle(t.Context(), env); !errors.Is(err, awsrt.ErrRetry) {
			t.Fatalf("Handle = %v, want ErrRetry", err)
		}
		clock.add(2 * time.Second)
		if res, err := h.Sweep(t.Context()); err != nil || res.Dead != 1 {
			t.Fatalf("sweep = %+v, %v; want the last attempt to make it dead", res, err)
		}
		if d, _ := deliveryOf(t, db, env); d.Status != wagate.DeliveryDead {
			t.Fatalf("status %s, want dead", d.Status)
		}
	})

	t.Run("ReplayedDead", func(t *testing.T) {
		rcv := &receiver{codes: []int{410}}
		h, env, db := fixture(t, rcv, nil)
		fakeClock(h)
		if err := h.Handle(t.Context(), env); err != nil {
			t.Fatalf("a 410 is dead at once: %v", err)
		}
		d, _ := deliveryOf(t, db, env)
		// POST /api/webhooks/deliveries/{id}/replay: due now, for the sweep.
		if _, err := sqlite.NewDeliveryStore(db).Replay(t.Context(), d.ID, h.Now()); err != nil {
			t.Fatal(err)
		}
		if res, err := h.Sweep(t.Context()); err != nil || res.Delivered != 1 || rcv.count() != 2 {
			t.Fatalf("sweep after the replay = %+v, %v (%d posts); want it delivered", res, err, rcv.count())
		}
	})

	t.Run("HeldBySweepNotSentTwice", func(t *testing.T) {
		rcv := &receiver{codes: []int{503}}
		h, env, db := fixture(t, rcv, webhook.Schedule{time.Second})
		clock := fakeClock(h)
		if err := h.Handle(t.Context(), env); !errors.Is(err, awsrt.ErrRetry) {
			t.Fatalf("Handle = %v, want ErrRetry", err)
		}
		clock.add(2 * time.Second)
		// A sweep has claimed the due retry and is attempting it: Lambda's
		// retry of the event leaves it alone.
		held, err := sqlite.NewDeliveryStore(db).ClaimDue(t.Context(), h.Now(), 10, webhook.AttemptLease, nil)
		if err != nil || len(held) != 1 {
			t.Fatalf("ClaimDue = %v, %v", held, err)
		}
		if err := h.Handle(t.Context(), env); err != nil || rcv.count() != 1 {
			t.Fatalf("Handle while the sweep holds it: %v, %d posts; want nil and no post", err, rcv.count())
		}
	})

	t.Run("NoStore", func(t *testing.T) {
		h, _, _ := fixture(t, &receiver{}, nil)
		h.Deliveries = nil
		if res, err := h.Sweep(t.Context()); err != nil || res != (webhook.SweepResult{}) {
			t.Fatalf("sweep without a store = %+v, %v", res, err)
		}
	})
}

func TestEnvelopeScheduled(t *testing.T) {
	raw := `{"version":"0","id":"53dc4d37-cffa-4f76-80c9-8b7d4a4d2eaa","detail-type":"Scheduled Event","source":"aws.events",` +
		`"account":"123456789012","time":"2026-10-08T16:53:06Z","region":"us-east-1",` +
		`"resources":["arn:aws:events:us-east-1:123456789012:rule/wagate-dev-webhook-sweep"],"detail":{}}`
	var env awsrt.Envelope
	if err := json.Unmarshal([]byte(raw), &env); err != nil || !env.Scheduled() {
		t.Fatalf("the schedule rule's event %+v (%v) is not recognised", env, err)
	}
	env.Source = "wagate"
	if env.Scheduled() {
		t.Fatal("a wagate event taken for a tick")
	}
}
