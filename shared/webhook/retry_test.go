package webhook_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	wagate "github.com/wagate/wagate/shared"
	"github.com/wagate/wagate/shared/webhook"
)

func TestDelivererRetries(t *testing.T) {
	t.Parallel()

	for _, tc := range []struct {
		name     string
		respond  func(int, http.ResponseWriter, *http.Request)
		status   wagate.DeliveryStatus
		attempts []int // status codes of the attempts, 0 = no answer
	}{
		{"Retry500", statuses(500), wagate.DeliveryDelivered, []int{500, 200}},
		{"Retry429", statuses(429, 503), wagate.DeliveryDelivered, []int{429, 503, 200}},
		{"Retry408", statuses(408), wagate.DeliveryDelivered, []int{408, 200}},
		{"RetryTimeout", func(n int, w http.ResponseWriter, r *http.Request) {
			if n == 1 {
				<-r.Context().Done() // hang past the client timeout
			}
		}, wagate.DeliveryDelivered, []int{0, 200}},
		{"DeadAt400", statuses(400), wagate.DeliveryDead, []int{400}},
		{"DeadAt404", statuses(404), wagate.DeliveryDead, []int{404}},
		{"Exhausted", statuses(500, 502, 503, 504, 500), wagate.DeliveryDead, []int{500, 502, 503, 504}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t)
			rc := newReceiver(t, tc.respond)
			h.session(t, "s1", wagate.WebhookConfig{URL: rc.URL})
			run(t, h.deliverer()) // three retries 20 ms apart, 300 ms timeout
			h.publish(t, "s1", "e1")
			d, attempts := h.await(t, "e1", wagate.TargetSession, tc.status)
			var codes []int
			for _, a := range attempts {
				codes = append(codes, a.StatusCode)
			}
			if fmt.Sprint(codes) != fmt.Sprint(tc.attempts) || d.Attempts != len(tc.attempts) {
				t.Fatalf("attempts %v (Attempts %d), want %v", codes, d.Attempts, tc.attempts)
			}
			for i, a := range attempts {
				if a.N != i+1 || a.URL != rc.URL || (a.StatusCode != 200 && a.Error == "") {
					t.Fatalf("attempt %d = %+v", i+1, a)
				}
			}
			if got := rc.got(); len(got) != len(tc.attempts) || got[0].header.Get("X-Webhook-Id") != got[len(got)-1].header.Get("X-Webhook-Id") {
				t.Fatalf("receiver got %d requests, want %d with one X-Webhook-Id", len(got), len(tc.attempts))
			}
		})
	}

	t.Run("GuardRefused", func(t *testing.T) {
		t.Parallel()
		h := newHarness(t)
		rc := newReceiver(t, nil)
		h.session(t, "s1", wagate.WebhookConfig{URL: rc.URL})
		run(t, h.deliverer(func(dl *webhook.Deliverer) {
			dl.Sender = &webhook.Sender{Guard: func(string) error { return errors.New("loopback address") }}
		}))
		h.publish(t, "s1", "e1")
		_, attempts := h.await(t, "e1", wagate.TargetSession, wagate.DeliveryDead)
		if len(attempts) != 1 || !strings.Contains(attempts[0].Error, "loopback address") || len(rc.got()) != 0 {
			t.Fatalf("attempts %+v, %d requests; want one refused attempt and no request", attempts, len(rc.got()))
		}
	})

	t.Run("TargetRemoved", func(t *testing.T) {
		t.Parallel()
		h := newHarness(t)
		rc := newReceiver(t, func(_ int, w http.ResponseWriter, _ *http.Request) {
			empty := ""
			if _, err := h.sessions.UpdateSession(context.Background(), "s1", wagate.SessionUpdate{WebhookURL: &empty}); err != nil {
				t.Error(err)
			}
			w.WriteHeader(http.StatusServiceUnavailable)
		})
		h.session(t, "s1", wagate.WebhookConfig{URL: rc.URL})
		run(t, h.deliverer())
		h.publish(t, "s1", "e1")
		_, attempts := h.await(t, "e1", wagate.TargetSession, wagate.DeliveryDead)
		if len(attempts) != 2 || attempts[1].StatusCode != 0 || !strings.Contains(attempts[1].Error, "no longer configured") {
			t.Fatalf("attempts %+v; want the retry dead because the webhookUrl was removed", attempts)
		}
	})

	t.Run("SettingsChange", func(t *testing.T) {
		t.Parallel()
		h := newHarness(t)
		second := newReceiver(t, nil)
		first := newReceiver(t, func(_ int, w http.ResponseWriter, _ *http.Request) {
			url, secret := second.URL, "new"
			if _, err := h.sessions.UpdateSession(context.Background(), "s1", wagate.SessionUpdate{WebhookURL: &url, WebhookSecret: &secret}); err != nil {
				t.Error(err)
			}
			w.WriteHeader(http.StatusBadGateway)
		})
		h.session(t, "s1", wagate.WebhookConfig{URL: first.URL, Secret: "old"})
		run(t, h.deliverer())
		h.publish(t, "s1", "e1")
		d, attempts := h.await(t, "e1", wagate.TargetSession, wagate.DeliveryDelivered)
		if len(attempts) != 2 || attempts[0].URL != first.URL || attempts[1].URL != second.URL || d.LastURL != second.URL {
			t.Fatalf("attempts %+v; want the retry on the new URL", attempts)
		}
		got := second.got()
		if len(got) != 1 || !seedVerify(got[0].body, got[0].header.Get("X-Webhook-Signature"), "new") {
			t.Fatal("the retry must be signed with the new secret")
		}
	})

	t.Run("Replay", func(t *testing.T) {
		t.Parallel()
		h := newHarness(t)
		rc := newReceiver(t, statuses(400))
		h.session(t, "s1", wagate.WebhookConfig{URL: rc.URL})
		run(t, h.deliverer())
		h.publish(t, "s1", "e1")
		d, _ := h.await(t, "e1", wagate.TargetSession, wagate.DeliveryDead)
		if _, err := h.store.Replay(t.Context(), d.ID, time.Now()); err != nil {
			t.Fatal(err)
		}
		_, attempts := h.await(t, "e1", wagate.TargetSession, wagate.DeliveryDelivered)
		if len(attempts) != 2 || attempts[0].StatusCode != 400 || attempts[1].StatusCode != 200 || attempts[1].N != 2 {
			t.Fatalf("attempts after replay %+v", attempts)
		}
	})

	t.Run("CrashMidAttempt", func(t *testing.T) {
		t.Parallel()
		h := newHarness(t)
		rc := newReceiver(t, nil)
		h.session(t, "s1", wagate.WebhookConfig{URL: rc.URL})
		ev := []*wagate.WebhookDelivery{{EventID: "e1", EventType: "session.connected", SessionID: "s1", Target: wagate.TargetSession,
			Event: []byte(`{"id":"e1","type":"session.connected","sessionId":"s1","time":"2025-01-01T00:00:00Z","data":{}}`)}}
		if err := h.store.CreateDeliveries(t.Context(), ev); err != nil {
			t.Fatal(err)
		}
		// A process claimed it and died before recording anything.
		lease := 300 * time.Millisecond
		if ds, err := h.store.ClaimDue(t.Context(), time.Now(), 10, lease, nil); err != nil || len(ds) != 1 {
			t.Fatalf("ClaimDue = %d, %v", len(ds), err)
		}
		start := time.Now()
		run(t, h.deliverer())
		h.await(t, "e1", wagate.TargetSession, wagate.DeliveryDelivered)
		if waited := time.Since(start); waited < lease-50*time.Millisecond {
			t.Fatalf("retried after %v, before the lease (%v) ended", waited, lease)
		}
	})

	t.Run("HangingEndpointIsolated", func(t *testing.T) {
		t.Parallel()
		h := newHarness(t)
		release := make(chan struct{})
		var inFlight, peak atomic.Int32
		hanging := newReceiver(t, func(_ int, _ http.ResponseWriter, r *http.Request) {
			n := inFlight.Add(1)
			defer inFlight.Add(-1)
			for p := peak.Load(); n > p && !peak.CompareAndSwap(p, n); p = peak.Load() {
			}
			select { // sleeps past the client timeout
			case <-release:
			case <-r.Context().Done():
			}
		})
		defer close(release)
		fine := newReceiver(t, nil)
		h.session(t, "a", wagate.WebhookConfig{URL: hanging.URL})
		h.session(t, "b", wagate.WebhookConfig{URL: fine.URL})
		run(t, h.deliverer(func(dl *webhook.Deliverer) {
			dl.Sender = &webhook.Sender{Client: &http.Client{Timeout: 2 * time.Second}}
			dl.Schedule = webhook.Schedule{time.Millisecond, time.Millisecond, time.Millisecond}
		}))
		var aIDs, bIDs []string
		for i := range 30 {
			aIDs, bIDs = append(aIDs, fmt.Sprint("a", i)), append(bIDs, fmt.Sprint("b", i))
		}
		h.publish(t, "a", aIDs...) // a's flood first
		start := time.Now()
		h.publish(t, "b", bIDs...)
		for _, id := range bIDs {
			h.await(t, id, wagate.TargetSession, wagate.DeliveryDelivered)
		}
		var took time.Duration
		for _, hit := range fine.got() {
			took = max(took, hit.at.Sub(start))
		}
		if took > time.Second {
			t.Fatalf("b's 30 deliveries took %v while a's endpoint hangs", took)
		}
		if n := peak.Load(); n > 2 {
			t.Fatalf("a's hanging endpoint held %d requests at once, want at most PerTarget (2)", n)
		}
		list, _, err := h.store.ListDeliveries(t.Context(), wagate.DeliveryFilter{SessionID: "a", Status: wagate.DeliveryDelivered})
		if err != nil || len(list) != 0 {
			t.Fatalf("a delivered %d, %v; want none while it hangs", len(list), err)
		}
		t.Logf("b delivered in %v while a hangs", took)
	})
}
