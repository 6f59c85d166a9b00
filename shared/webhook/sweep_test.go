package webhook_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"github.com/wagate/wagate/events"
	wagate "github.com/wagate/wagate/shared"
	"github.com/wagate/wagate/shared/webhook"
)

// stored stores one delivery per event id to the session's own target, as
// the aws webhook function does (no outbox).
func (h *harness) stored(t testing.TB, sessionID string, ids ...string) {
	t.Helper()
	var ds []*wagate.WebhookDelivery
	for _, id := range ids {
		ev, err := events.NewEvent(id, events.EvSessionConnected, sessionID, 1, time.Now(),
			events.SessionEvent{SessionID: sessionID, SessionDBID: 1, Status: "connected"})
		if err != nil {
			t.Fatal(err)
		}
		raw, err := json.Marshal(ev)
		if err != nil {
			t.Fatal(err)
		}
		ds = append(ds, &wagate.WebhookDelivery{EventID: id, EventType: ev.Type, SessionID: sessionID,
			Target: wagate.TargetSession, Event: raw})
	}
	if err := h.store.CreateDeliveries(context.Background(), ds); err != nil {
		t.Fatal(err)
	}
}

// TestSweep is not parallel with the other tests: their timing bounds
// (HangingEndpointIsolated) assume an otherwise idle deliverer process.
func TestSweep(t *testing.T) {

	t.Run("RetriesOnTheSchedule", func(t *testing.T) {
		t.Parallel()
		h := newHarness(t)
		rc := newReceiver(t, statuses(503))
		h.session(t, "s1", wagate.WebhookConfig{URL: rc.URL})
		dl := h.deliverer(func(dl *webhook.Deliverer) { dl.Schedule = webhook.Schedule{200 * time.Millisecond} })
		h.stored(t, "s1", "e1")
		res, err := dl.Sweep(t.Context(), 0)
		if err != nil || res != (webhook.SweepResult{Claimed: 1, Attempted: 1, Retrying: 1}) {
			t.Fatalf("first sweep = %+v, %v; want one failed attempt", res, err)
		}
		// Not due yet: the next sweep finds nothing and returns at once.
		if res, err := dl.Sweep(t.Context(), 0); err != nil || res != (webhook.SweepResult{}) {
			t.Fatalf("sweep before the retry is due = %+v, %v; want nothing", res, err)
		}
		time.Sleep(300 * time.Millisecond) // 200 ms ± 20 %
		if res, err := dl.Sweep(t.Context(), 0); err != nil || res.Delivered != 1 {
			t.Fatalf("sweep once due = %+v, %v; want it delivered", res, err)
		}
		h.await(t, "e1", wagate.TargetSession, wagate.DeliveryDelivered)
		if n := len(rc.got()); n != 2 {
			t.Fatalf("receiver got %d requests, want 2", n)
		}
	})

	t.Run("PerTargetCapAndLimit", func(t *testing.T) {
		t.Parallel()
		h := newHarness(t)
		var running, most atomic.Int32
		rc := newReceiver(t, func(int, http.ResponseWriter, *http.Request) {
			n := running.Add(1)
			defer running.Add(-1)
			for m := most.Load(); n > m && !most.CompareAndSwap(m, n); m = most.Load() {
			}
			time.Sleep(20 * time.Millisecond)
		})
		h.session(t, "s1", wagate.WebhookConfig{URL: rc.URL})
		dl := h.deliverer() // 8 workers, 2 per session
		var ids []string
		for i := range 9 {
			ids = append(ids, fmt.Sprintf("e%d", i))
		}
		h.stored(t, "s1", ids...)
		res, err := dl.Sweep(t.Context(), 6)
		if err != nil || res.Claimed != 6 || res.Delivered != 6 {
			t.Fatalf("sweep with limit 6 = %+v, %v; want 6 claimed and delivered", res, err)
		}
		if res, err = dl.Sweep(t.Context(), 0); err != nil || res.Delivered != 3 {
			t.Fatalf("next sweep = %+v, %v; want the 3 left", res, err)
		}
		if m := most.Load(); m > 2 {
			t.Fatalf("%d attempts of one session at once, want at most PerTarget (2)", m)
		}
	})

	t.Run("DeadAndReplayed", func(t *testing.T) {
		t.Parallel()
		h := newHarness(t)
		rc := newReceiver(t, statuses(410))
		h.session(t, "s1", wagate.WebhookConfig{URL: rc.URL})
		dl := h.deliverer()
		h.stored(t, "s1", "e1")
		if res, err := dl.Sweep(t.Context(), 0); err != nil || res.Dead != 1 {
			t.Fatalf("sweep = %+v, %v; want the refused delivery dead", res, err)
		}
		d, _ := h.await(t, "e1", wagate.TargetSession, wagate.DeliveryDead)
		if _, err := h.store.Replay(t.Context(), d.ID, time.Now()); err != nil {
			t.Fatal(err)
		}
		if res, err := dl.Sweep(t.Context(), 0); err != nil || res.Delivered != 1 {
			t.Fatalf("sweep after the replay = %+v, %v; want it delivered", res, err)
		}
	})

	t.Run("StoreError", func(t *testing.T) {
		t.Parallel()
		h := newHarness(t)
		boom := errors.New("table unavailable")
		dl := h.deliverer(func(dl *webhook.Deliverer) { dl.Store = failingClaims{h.store, boom} })
		if _, err := dl.Sweep(t.Context(), 0); !errors.Is(err, boom) {
			t.Fatalf("Sweep = %v, want the store's error", err)
		}
	})

	t.Run("EndsWithContext", func(t *testing.T) {
		t.Parallel()
		h := newHarness(t)
		rc := newReceiver(t, func(int, http.ResponseWriter, *http.Request) { time.Sleep(50 * time.Millisecond) })
		h.session(t, "s1", wagate.WebhookConfig{URL: rc.URL})
		dl := h.deliverer(func(dl *webhook.Deliverer) { dl.PerTarget = 1 })
		h.stored(t, "s1", "e1", "e2", "e3", "e4", "e5", "e6")
		ctx, cancel := context.WithTimeout(t.Context(), 120*time.Millisecond)
		defer cancel()
		res, err := dl.Sweep(ctx, 0)
		if err != nil || res.Attempted == 0 || res.Attempted >= 6 || res.Claimed != 6 {
			t.Fatalf("sweep cut short = %+v, %v; want some of the 6 claimed attempted", res, err)
		}
	})
}

// failingClaims is a store whose claims fail.
type failingClaims struct {
	wagate.DeliveryStore
	err error
}

func (f failingClaims) ClaimDue(context.Context, time.Time, int, time.Duration, []string) ([]*wagate.WebhookDelivery, error) {
	return nil, f.err
}
