package porttest

import (
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	wagate "github.com/wagate/wagate/shared"
)

// deliveryLease is the lease the DeliveryStore suite claims with.
const deliveryLease = time.Minute

// DeliveryStore runs the conformance suite of wagate.DeliveryStore. Leases
// and due times are checked by passing later instants to ClaimDue, so the
// suite sleeps only to watch WaitDue.
func DeliveryStore(t *testing.T, open func(t *testing.T) wagate.DeliveryStore) {
	t.Run("OK", func(t *testing.T) {
		st := open(t)
		d := newDelivery("d1", "e1", "s1", wagate.TargetSession, at(0))
		before := time.Now()
		must(t, st.CreateDeliveries(t.Context(), []*wagate.WebhookDelivery{d, newDelivery("d2", "e1", "s1", wagate.TargetFrappe, at(1))}))
		got, attempts, err := st.FindDelivery(t.Context(), "d1")
		must(t, err)
		want := *newDelivery("d1", "e1", "s1", wagate.TargetSession, at(0))
		want.Status, want.NextAttemptAt = wagate.DeliveryPending, got.NextAttemptAt
		compareDelivery(t, got, &want)
		if got.NextAttemptAt.Before(before.Add(-timeTolerance)) || got.NextAttemptAt.After(time.Now().Add(timeTolerance)) {
			t.Fatalf("NextAttemptAt = %v, want the time of CreateDeliveries (due now)", got.NextAttemptAt)
		}
		if len(attempts) != 0 {
			t.Fatalf("attempts = %+v, want none", attempts)
		}
	})

	t.Run("Dedupe", func(t *testing.T) {
		st := open(t)
		must(t, st.CreateDeliveries(t.Context(), []*wagate.WebhookDelivery{newDelivery("d1", "e1", "s1", wagate.TargetSession, at(0))}))
		must(t, st.CreateDeliveries(t.Context(), []*wagate.WebhookDelivery{
			newDelivery("d1bis", "e1", "s1", wagate.TargetSession, at(1)), // same event and target
			newDelivery("d2", "e1", "s1", wagate.TargetFrappe, at(2)),
		}))
		wantList(t, st, wagate.DeliveryFilter{}, "d2", "d1")
	})

	t.Run("ErrInvalid", func(t *testing.T) {
		st := open(t)
		for _, d := range []*wagate.WebhookDelivery{
			newDelivery("d1", "", "s1", wagate.TargetSession, at(0)),
			newDelivery("d1", "e1", "s1", "", at(0)),
		} {
			wantCode(t, st.CreateDeliveries(t.Context(), []*wagate.WebhookDelivery{d}), wagate.EINVALID)
		}
		must(t, st.CreateDeliveries(t.Context(), nil))
		_, err := st.ClaimDue(t.Context(), time.Now(), 1, 0, nil)
		wantCode(t, err, wagate.EINVALID)
	})

	t.Run("ErrNotFound", func(t *testing.T) {
		st := open(t)
		_, _, err := st.FindDelivery(t.Context(), "nope")
		wantCode(t, err, wagate.ENOTFOUND)
		_, err = st.Replay(t.Context(), "nope", time.Now())
		wantCode(t, err, wagate.ENOTFOUND)
		wantCode(t, st.Record(t.Context(), "nope", wagate.DeliveryOutcome{Status: wagate.DeliveryDead}), wagate.ENOTFOUND)
	})

	t.Run("ClaimLease", func(t *testing.T) {
		st := open(t)
		createDeliveries(t, st, "s1", 3)
		now := time.Now()
		wantClaim(t, st, now, 2, nil, "d1", "d2")
		wantClaim(t, st, now, 10, nil, "d3")
		wantClaim(t, st, now.Add(deliveryLease/2), 10, nil)
		// A lease that ends unrecorded (the claimer died) makes the delivery due again.
		wantClaim(t, st, now.Add(deliveryLease+time.Second), 10, nil, "d1", "d2", "d3")
	})

	t.Run("ClaimSkip", func(t *testing.T) {
		st := open(t)
		createDeliveries(t, st, "s1", 2)
		must(t, st.CreateDeliveries(t.Context(), []*wagate.WebhookDelivery{newDelivery("x1", "ex1", "s2", wagate.TargetSession, at(5))}))
		now := time.Now()
		wantClaim(t, st, now, 10, []string{"s1", "s9"}, "x1")
		wantClaim(t, st, now, 10, []string{"s2"}, "d1", "d2")
	})

	t.Run("RecordPending", func(t *testing.T) {
		st := open(t)
		createDeliveries(t, st, "s1", 1)
		now := time.Now()
		wantClaim(t, st, now, 1, nil, "d1")
		next := now.Add(30 * time.Second)
		a := wagate.WebhookAttempt{N: 1, At: now, URL: "https://crm.example/hook", StatusCode: 503, Latency: 42 * time.Millisecond, Error: "HTTP 503: busy"}
		must(t, st.Record(t.Context(), "d1", wagate.DeliveryOutcome{Attempt: a, Status: wagate.DeliveryPending, NextAttemptAt: next}))
		got, attempts, err := st.FindDelivery(t.Context(), "d1")
		must(t, err)
		if got.Status != wagate.DeliveryPending || got.Attempts != 1 || !sameTime(got.NextAttemptAt, next) ||
			got.LastURL != a.URL || got.LastCode != 503 || got.LastError != a.Error {
			t.Fatalf("after a failed attempt: %+v", got)
		}
		wantAttempts(t, attempts, a)
		wantClaim(t, st, next.Add(-time.Second), 10, nil)
		wantClaim(t, st, next, 10, nil, "d1") // the lease ended with Record
	})

	t.Run("RecordDelivered", func(t *testing.T) {
		st := open(t)
		createDeliveries(t, st, "s1", 1)
		now := time.Now()
		wantClaim(t, st, now, 1, nil, "d1")
		a := wagate.WebhookAttempt{N: 1, At: now, URL: "https://crm.example/hook", StatusCode: 200, Latency: 3 * time.Millisecond}
		must(t, st.Record(t.Context(), "d1", wagate.DeliveryOutcome{Attempt: a, Status: wagate.DeliveryDelivered}))
		got, attempts, err := st.FindDelivery(t.Context(), "d1")
		must(t, err)
		if got.Status != wagate.DeliveryDelivered || got.Attempts != 1 || !sameTime(got.DeliveredAt, now) || got.LastCode != 200 {
			t.Fatalf("after delivery: %+v", got)
		}
		wantAttempts(t, attempts, a)
		wantClaim(t, st, now.Add(2*deliveryLease), 10, nil)
	})

	t.Run("DeadAndReplay", func(t *testing.T) {
		st := open(t)
		createDeliveries(t, st, "s1", 1)
		now := time.Now()
		wantClaim(t, st, now, 1, nil, "d1")
		a1 := wagate.WebhookAttempt{N: 1, At: now, URL: "https://crm.example/a", StatusCode: 400, Error: "HTTP 400: bad"}
		must(t, st.Record(t.Context(), "d1", wagate.DeliveryOutcome{Attempt: a1, Status: wagate.DeliveryDead}))
		wantClaim(t, st, now.Add(2*deliveryLease), 10, nil)
		replayAt := now.Add(time.Second)
		got, err := st.Replay(t.Context(), "d1", replayAt)
		must(t, err)
		if got.Status != wagate.DeliveryPending || got.Attempts != 0 || !sameTime(got.NextAttemptAt, replayAt) {
			t.Fatalf("replayed: %+v; want pending, a new round (Attempts 0), due at the replay", got)
		}
		wantClaim(t, st, replayAt, 10, nil, "d1")
		a2 := wagate.WebhookAttempt{N: 2, At: replayAt, URL: "https://crm.example/b", StatusCode: 204}
		must(t, st.Record(t.Context(), "d1", wagate.DeliveryOutcome{Attempt: a2, Status: wagate.DeliveryDelivered}))
		_, attempts, err := st.FindDelivery(t.Context(), "d1")
		must(t, err)
		wantAttempts(t, attempts, a1, a2)
	})

	t.Run("ReplayDead", func(t *testing.T) {
		st := open(t)
		createDeliveries(t, st, "s1", 3)
		must(t, st.CreateDeliveries(t.Context(), []*wagate.WebhookDelivery{newDelivery("x1", "ex1", "s2", wagate.TargetSession, at(5))}))
		now := time.Now()
		wantClaim(t, st, now, 10, nil, "d1", "d2", "d3", "x1")
		for id, status := range map[string]wagate.DeliveryStatus{"d1": wagate.DeliveryDead, "d2": wagate.DeliveryDelivered, "d3": wagate.DeliveryDead, "x1": wagate.DeliveryDead} {
			must(t, st.Record(t.Context(), id, wagate.DeliveryOutcome{Attempt: wagate.WebhookAttempt{At: now, StatusCode: 410}, Status: status}))
		}
		n, err := st.ReplayDead(t.Context(), wagate.DeliveryFilter{SessionID: "s1"}, now)
		must(t, err)
		if n != 2 {
			t.Fatalf("ReplayDead replayed %d, want 2 (d1, d3)", n)
		}
		got, err := st.ClaimDue(t.Context(), now.Add(time.Second), 10, deliveryLease, nil)
		must(t, err)
		ids := webhookDeliveryIDs(got)
		if slices.Sort(ids); !sameStrings(ids, []string{"d1", "d3"}) {
			t.Fatalf("claimed %v after ReplayDead, want d1, d3", ids)
		}
		wantList(t, st, wagate.DeliveryFilter{Status: wagate.DeliveryDead}, "x1")
	})

	t.Run("List", func(t *testing.T) { deliveryList(t, open(t)) })

	t.Run("WaitDue", func(t *testing.T) {
		st := open(t)
		start := time.Now()
		st.WaitDue(ctxTimeout(t, waitTimeout), quiet)
		if waited := time.Since(start); waited < quiet-early || waited > quiet+wakeLatency {
			t.Fatalf("WaitDue(%v) on an empty store returned after %v", quiet, waited)
		}
		for _, step := range []struct {
			name string
			act  func()
		}{
			{"CreateDeliveries", func() { createDeliveries(t, st, "s1", 1) }},
			{"Replay", func() { _, err := st.Replay(t.Context(), "d1", time.Now()); must(t, err) }},
			{"ReplayDead", func() {
				must(t, st.Record(t.Context(), "d1", wagate.DeliveryOutcome{Status: wagate.DeliveryDead}))
				_, err := st.ReplayDead(t.Context(), wagate.DeliveryFilter{}, time.Now())
				must(t, err)
			}},
		} {
			done := make(chan time.Time, 1)
			go func() { st.WaitDue(ctxTimeout(t, waitTimeout), waitTimeout); done <- time.Now() }()
			time.Sleep(quiet)
			acted := time.Now()
			step.act()
			if woke := (<-done).Sub(acted); woke > wakeLatency {
				t.Fatalf("WaitDue returned %v after %s, want within %v", woke, step.name, wakeLatency)
			}
			wantClaim(t, st, time.Now(), 10, nil, "d1") // leave d1 leased for the next step
		}
	})

	t.Run("ConcurrentRecords", func(t *testing.T) {
		st := open(t)
		const n = 24
		createDeliveries(t, st, "s1", n)
		now := time.Now()
		if got, err := st.ClaimDue(t.Context(), now, n, deliveryLease, nil); err != nil || len(got) != n {
			t.Fatalf("ClaimDue = %d deliveries, %v; want %d", len(got), err, n)
		}
		var wg sync.WaitGroup
		for i := range n + 4 {
			wg.Go(func() {
				id := fmt.Sprintf("d%d", i+1)
				err := st.Record(t.Context(), id, wagate.DeliveryOutcome{Attempt: wagate.WebhookAttempt{At: now, StatusCode: 200 + i}, Status: wagate.DeliveryDelivered})
				want := "" // d1…dN exist, the rest do not
				if i >= n {
					want = wagate.ENOTFOUND
				}
				if wagate.ErrorCode(err) != want {
					t.Errorf("Record(%s) = %v, want code %q", id, err, want)
				}
			})
		}
		wg.Wait()
		for i := range n {
			d, attempts, err := st.FindDelivery(t.Context(), fmt.Sprintf("d%d", i+1))
			must(t, err)
			if d.Status != wagate.DeliveryDelivered || len(attempts) != 1 || attempts[0].StatusCode != 200+i || attempts[0].N != 1 {
				t.Fatalf("d%d = %+v with attempts %+v", i+1, d, attempts)
			}
		}
	})

	t.Run("ConcurrentClaims", func(t *testing.T) {
		st := open(t)
		const n, claimers = 30, 4
		createDeliveries(t, st, "s1", n)
		var (
			mu   sync.Mutex
			seen = map[string]int{}
			wg   sync.WaitGroup
		)
		now := time.Now()
		for range claimers {
			wg.Go(func() {
				for {
					got, err := st.ClaimDue(t.Context(), now, 4, deliveryLease, nil)
					if err != nil {
						t.Errorf("ClaimDue: %v", err)
					}
					if len(got) == 0 {
						return
					}
					mu.Lock()
					for _, d := range got {
						seen[d.ID]++
					}
					mu.Unlock()
				}
			})
		}
		wg.Wait()
		for i := range n {
			if id := fmt.Sprintf("d%d", i+1); seen[id] != 1 {
				t.Errorf("delivery %s claimed %d times, want once", id, seen[id])
			}
		}
	})
}
