package dynamo_test

import (
	"encoding/json"
	"testing"
	"time"

	wagate "github.com/wagate/wagate/shared"
	"github.com/wagate/wagate/shared/dynamo"
)

// wakeLatency is what porttest allows a WaitDue to notice a new delivery.
const wakeLatency = 250 * time.Millisecond

// A WaitDue in one process notices a delivery created in another: there is
// no in-process wake-up across processes, so it polls the due index.
func TestDeliveryStoreWaitDueAcrossStores(t *testing.T) {
	t.Parallel()
	name := MustCreateTable(t)
	waiter := dynamo.NewDeliveryStore(dynamo.NewTable(newClient(t), name))
	writer := dynamo.NewDeliveryStore(dynamo.NewTable(newClient(t), name))
	ctx := t.Context()
	if got, err := waiter.ClaimDue(ctx, time.Now(), 10, time.Minute, nil); err != nil || len(got) != 0 {
		t.Fatalf("ClaimDue on an empty table = %v, %v", got, err)
	}
	done := make(chan time.Time, 1)
	go func() { waiter.WaitDue(ctx, 10*time.Second); done <- time.Now() }()
	time.Sleep(300 * time.Millisecond)
	created := time.Now()
	ev, _ := json.Marshal(map[string]string{"id": "e1"})
	d := &wagate.WebhookDelivery{ID: "d1", EventID: "e1", EventType: "message.received", SessionID: "s1", Target: wagate.TargetSession, Event: ev}
	if err := writer.CreateDeliveries(ctx, []*wagate.WebhookDelivery{d}); err != nil {
		t.Fatal(err)
	}
	if woke := (<-done).Sub(created); woke > wakeLatency {
		t.Fatalf("WaitDue returned %v after another store created a delivery, want within %v", woke, wakeLatency)
	}
	got, err := waiter.ClaimDue(ctx, time.Now(), 10, time.Minute, nil)
	if err != nil || len(got) != 1 || got[0].ID != "d1" {
		t.Fatalf("ClaimDue after the wake-up = %v, %v; want d1", got, err)
	}
}

// A delivery that is due but skipped (its session saturated) does not keep
// waking WaitDue: only deliveries falling due after the last claim do.
func TestDeliveryStoreWaitDueIgnoresSkipped(t *testing.T) {
	t.Parallel()
	st := dynamo.NewDeliveryStore(MustOpenTable(t))
	ctx := t.Context()
	ev, _ := json.Marshal(map[string]string{"id": "e1"})
	d := &wagate.WebhookDelivery{ID: "d1", EventID: "e1", EventType: "message.received", SessionID: "s1", Target: wagate.TargetSession, Event: ev}
	if err := st.CreateDeliveries(ctx, []*wagate.WebhookDelivery{d}); err != nil {
		t.Fatal(err)
	}
	time.Sleep(400 * time.Millisecond) // d1 falls due well before the claim's window
	if got, err := st.ClaimDue(ctx, time.Now(), 10, time.Minute, []string{"s1"}); err != nil || len(got) != 0 {
		t.Fatalf("ClaimDue skipping s1 = %v, %v; want nothing", got, err)
	}
	const d2 = 400 * time.Millisecond
	start := time.Now()
	st.WaitDue(ctx, d2)
	if waited := time.Since(start); waited < d2-50*time.Millisecond {
		t.Fatalf("WaitDue(%v) returned after %v with only a skipped delivery due", d2, waited)
	}
}
