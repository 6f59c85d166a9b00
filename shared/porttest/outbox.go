package porttest

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/wagate/wagate/events"
	wagate "github.com/wagate/wagate/shared"
)

// Outbox runs the conformance suite of wagate.Outbox.
func Outbox(t *testing.T, open func(t *testing.T) wagate.Outbox) {
	t.Run("OK", func(t *testing.T) {
		o := open(t)
		evs := newEvents(t, "e", 4)
		must(t, o.Publish(t.Context(), evs[:3]...))
		must(t, o.Publish(t.Context(), evs[3]))
		got := claimN(t, o, 4, 10, visibility)
		for i := range evs {
			compareEvent(t, got[i], evs[i])
		}
		must(t, o.Ack(t.Context(), eventIDs(got)...))
		expectNoEvent(t, o, quiet)
	})

	t.Run("PublishNothing", func(t *testing.T) {
		o := open(t)
		must(t, o.Publish(t.Context()))
		expectNoEvent(t, o, quiet)
	})

	t.Run("PublishOrder", func(t *testing.T) {
		o := open(t)
		evs := newEvents(t, "e", 5)
		for _, ev := range evs {
			must(t, o.Publish(t.Context(), ev))
		}
		got := claimN(t, o, 5, 2, 10*visibility)
		if ids := eventIDs(got); !sameStrings(ids, eventIDs(evs)) {
			t.Fatalf("claimed %v, want publish order %v", ids, eventIDs(evs))
		}
	})

	t.Run("Lease", func(t *testing.T) {
		o := open(t)
		evs := newEvents(t, "e", 2)
		must(t, o.Publish(t.Context(), evs...))
		start := time.Now()
		if got := claim(t, o, 1, visibility); got[0].ID != "e1" {
			t.Fatalf("claimed %v, want e1", eventIDs(got))
		}
		if got := claim(t, o, 10, 10*visibility); len(got) != 1 || got[0].ID != "e2" {
			t.Fatalf("claimed %v while e1 is leased, want only e2", eventIDs(got))
		}
		must(t, o.Ack(t.Context(), "e2"))
		expectNoEvent(t, o, visibility/2)
		got := claim(t, o, 10, visibility)
		if len(got) != 1 || got[0].ID != "e1" {
			t.Fatalf("after the lease claimed %v, want e1 again", eventIDs(got))
		}
		if waited := time.Since(start); waited < visibility-early {
			t.Fatalf("e1 claimed again after %v, before its lease %v ended", waited, visibility)
		}
	})

	t.Run("AckPartial", func(t *testing.T) {
		o := open(t)
		must(t, o.Publish(t.Context(), newEvents(t, "e", 3)...))
		claimN(t, o, 3, 10, visibility)
		must(t, o.Ack(t.Context(), "e2"))
		got := claimN(t, o, 2, 10, 10*visibility)
		if ids := eventIDs(got); !sameStrings(ids, []string{"e1", "e3"}) {
			t.Fatalf("after the lease claimed %v, want e1, e3", ids)
		}
	})

	t.Run("AckIdempotent", func(t *testing.T) {
		o := open(t)
		must(t, o.Publish(t.Context(), newEvents(t, "e", 1)...))
		claim(t, o, 1, visibility)
		must(t, o.Ack(t.Context(), "e1"))
		must(t, o.Ack(t.Context(), "e1"))
		must(t, o.Ack(t.Context(), "never-published"))
		must(t, o.Ack(t.Context()))
	})

	t.Run("ClaimBlocks", func(t *testing.T) {
		o := open(t)
		start := time.Now()
		expectNoEvent(t, o, quiet)
		if waited := time.Since(start); waited < quiet-early {
			t.Fatalf("Claim on an empty outbox returned after %v, want it to wait for ctx (%v)", waited, quiet)
		}
	})

	t.Run("WakesOnPublish", func(t *testing.T) {
		o := open(t)
		done := make(chan time.Time, 1)
		go func() {
			got, err := o.Claim(ctxTimeout(t, waitTimeout), 10, visibility)
			if err != nil || len(got) != 1 {
				t.Errorf("waiting Claim = %v, %v; want e1", eventIDs(got), err)
			}
			done <- time.Now()
		}()
		time.Sleep(quiet)
		published := time.Now()
		must(t, o.Publish(t.Context(), newEvents(t, "e", 1)...))
		if woke := (<-done).Sub(published); woke > wakeLatency {
			t.Fatalf("Claim returned %v after Publish, want within %v", woke, wakeLatency)
		}
	})

	t.Run("ConcurrentClaims", func(t *testing.T) { outboxConcurrent(t, open(t)) })
}

// outboxConcurrent drains 40 events with 4 claimers and checks each event is
// handed out once while its lease runs.
func outboxConcurrent(t *testing.T, o wagate.Outbox) {
	const n, claimers = 40, 4
	must(t, o.Publish(t.Context(), newEvents(t, "e", n)...))
	var (
		mu   sync.Mutex
		seen = map[string]int{}
	)
	ctx, cancel := context.WithTimeout(t.Context(), waitTimeout)
	defer cancel()
	var wg sync.WaitGroup
	for range claimers {
		wg.Go(func() {
			for ctx.Err() == nil {
				got, err := o.Claim(ctx, 3, 10*waitTimeout)
				if err != nil && ctx.Err() == nil {
					t.Errorf("Claim: %v", err)
					return
				}
				mu.Lock()
				for _, ev := range got {
					seen[ev.ID]++
				}
				if len(seen) == n {
					cancel()
				}
				mu.Unlock()
				if len(got) > 0 {
					if err := o.Ack(context.WithoutCancel(ctx), eventIDs(got)...); err != nil {
						t.Errorf("Ack: %v", err)
					}
				}
			}
		})
	}
	wg.Wait()
	for i := range n {
		if id := fmt.Sprintf("e%d", i+1); seen[id] != 1 {
			t.Errorf("event %s claimed %d times, want once", id, seen[id])
		}
	}
}

// newEvents returns n events with ids prefix1…prefixN.
func newEvents(t *testing.T, prefix string, n int) []events.Event {
	t.Helper()
	var evs []events.Event
	for i := range n {
		ev, err := events.NewEvent(fmt.Sprintf("%s%d", prefix, i+1), "session.connected", "s1", 7, time.Now(),
			events.SessionEvent{SessionID: "s1", SessionDBID: 7, Status: "connected"})
		must(t, err)
		evs = append(evs, ev)
	}
	return evs
}

// claim waits for events (at most max).
func claim(t *testing.T, o wagate.Outbox, max int, lease time.Duration) []events.Event {
	t.Helper()
	got, err := o.Claim(ctxTimeout(t, waitTimeout), max, lease)
	must(t, err)
	if len(got) == 0 || len(got) > max {
		t.Fatalf("Claim(max %d) returned %d events", max, len(got))
	}
	return got
}

// claimN collects n events over as many claims as it takes.
func claimN(t *testing.T, o wagate.Outbox, n, max int, lease time.Duration) []events.Event {
	t.Helper()
	var all []events.Event
	for len(all) < n {
		all = append(all, claim(t, o, min(max, n-len(all)), lease)...)
	}
	return all
}

// expectNoEvent fails t if an event is claimed within d.
func expectNoEvent(t *testing.T, o wagate.Outbox, d time.Duration) {
	t.Helper()
	ctx := ctxTimeout(t, d)
	got, err := o.Claim(ctx, 10, visibility)
	if len(got) > 0 {
		t.Fatalf("unexpected claim of %v", eventIDs(got))
	}
	if err != nil && !errors.Is(err, ctx.Err()) {
		t.Fatalf("Claim on an empty outbox: %v", err)
	}
}

func eventIDs(evs []events.Event) []string {
	var ids []string
	for _, ev := range evs {
		ids = append(ids, ev.ID)
	}
	return ids
}

// compareEvent fails t unless got equals want (Time within timeTolerance,
// Data as JSON).
func compareEvent(t *testing.T, got, want events.Event) {
	t.Helper()
	if got.ID != want.ID || got.Type != want.Type || got.SessionID != want.SessionID ||
		got.SessionDBID != want.SessionDBID || !sameTime(got.Time, want.Time) || !sameJSON(got.Data, want.Data) {
		t.Fatalf("event:\n got  %+v (data %s)\n want %+v (data %s)", got, got.Data, want, want.Data)
	}
}
