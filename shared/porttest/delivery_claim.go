package porttest

import (
	"sync"
	"sync/atomic"
	"testing"
	"time"

	wagate "github.com/wagate/wagate/shared"
)

// DeliveryClaimer runs the conformance suite of ClaimDelivery: the lease
// of one delivery by id, exclusive with ClaimDue's.
func DeliveryClaimer(t *testing.T, open func(t *testing.T) wagate.DeliveryClaimer) {
	create := func(t *testing.T, st wagate.DeliveryClaimer) time.Time {
		t.Helper()
		must(t, st.CreateDeliveries(t.Context(), []*wagate.WebhookDelivery{newDelivery("d1", "e1", "s1", wagate.TargetSession, at(0))}))
		return time.Now().Add(time.Millisecond) // due at creation
	}
	claim := func(t *testing.T, st wagate.DeliveryClaimer, now time.Time, want bool) {
		t.Helper()
		d, err := st.ClaimDelivery(t.Context(), "d1", now, deliveryLease)
		must(t, err)
		if got := d != nil; got != want || (d != nil && (d.ID != "d1" || d.Status != wagate.DeliveryPending)) {
			t.Fatalf("ClaimDelivery(d1) = %+v, want claimed: %v", d, want)
		}
	}

	t.Run("OnceUntilTheLeaseEnds", func(t *testing.T) {
		st := open(t)
		now := create(t, st)
		claim(t, st, now, true)
		claim(t, st, now, false)
		wantClaim(t, st, now, 10, nil) // ClaimDue sees it held too
		claim(t, st, now.Add(deliveryLease+time.Second), true)
	})

	t.Run("HeldByClaimDue", func(t *testing.T) {
		st := open(t)
		now := create(t, st)
		wantClaim(t, st, now, 10, nil, "d1")
		claim(t, st, now, false)
		claim(t, st, now.Add(deliveryLease+time.Second), true)
	})

	t.Run("DueAndFinal", func(t *testing.T) {
		st := open(t)
		now := create(t, st)
		claim(t, st, now, true)
		next := now.Add(time.Hour)
		a := wagate.WebhookAttempt{At: now, URL: "https://crm.example/hook", StatusCode: 503, Error: "HTTP 503"}
		// Record ends the lease; the retry is not due before next.
		must(t, st.Record(t.Context(), "d1", wagate.DeliveryOutcome{Attempt: a, Status: wagate.DeliveryPending, NextAttemptAt: next}))
		claim(t, st, now.Add(time.Minute), false)
		claim(t, st, next.Add(time.Millisecond), true)
		a.StatusCode, a.Error = 200, ""
		must(t, st.Record(t.Context(), "d1", wagate.DeliveryOutcome{Attempt: a, Status: wagate.DeliveryDelivered}))
		claim(t, st, next.Add(24*time.Hour), false)
		if d, err := st.ClaimDelivery(t.Context(), "nope", now, deliveryLease); err != nil || d != nil {
			t.Fatalf("ClaimDelivery(unknown) = %+v, %v; want nil, nil", d, err)
		}
		_, err := st.ClaimDelivery(t.Context(), "d1", now, 0)
		wantCode(t, err, wagate.EINVALID)
	})

	t.Run("Concurrent", func(t *testing.T) {
		st := open(t)
		now := create(t, st)
		var won atomic.Int32
		var wg sync.WaitGroup
		for i := range 8 {
			wg.Go(func() {
				if i%2 == 0 {
					d, err := st.ClaimDelivery(t.Context(), "d1", now, deliveryLease)
					if err != nil {
						t.Errorf("ClaimDelivery: %v", err)
					}
					if d != nil {
						won.Add(1)
					}
					return
				}
				ds, err := st.ClaimDue(t.Context(), now, 10, deliveryLease, nil)
				if err != nil {
					t.Errorf("ClaimDue: %v", err)
				}
				won.Add(int32(len(ds)))
			})
		}
		wg.Wait()
		if n := won.Load(); n != 1 {
			t.Fatalf("d1 claimed %d times by concurrent ClaimDelivery and ClaimDue, want once", n)
		}
	})
}
