package sqlite_test

import (
	"context"
	"testing"
	"time"

	wagate "github.com/wagate/wagate/shared"
	"github.com/wagate/wagate/shared/sqlite"
)

// TestDeliveryStoreSharedWakeup checks that a WaitDue on one DeliveryStore
// wakes for a delivery created through another store of the same DB (the
// deliverer and the HTTP API's replay routes hold different ones).
func TestDeliveryStoreSharedWakeup(t *testing.T) {
	t.Parallel()
	db := MustOpenDB(t)
	waiter, writer := sqlite.NewDeliveryStore(db), sqlite.NewDeliveryStore(db)
	other := sqlite.NewDeliveryStore(MustOpenDB(t))
	done := make(chan time.Time, 1)
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		waiter.WaitDue(ctx, 5*time.Second)
		done <- time.Now()
	}()
	time.Sleep(100 * time.Millisecond)
	d := &wagate.WebhookDelivery{EventID: "e1", EventType: "session.connected", SessionID: "s1", Target: wagate.TargetSession}
	if err := other.CreateDeliveries(t.Context(), []*wagate.WebhookDelivery{{EventID: "e1", Target: wagate.TargetSession}}); err != nil {
		t.Fatal(err)
	}
	select {
	case <-done:
		t.Fatal("WaitDue woke for a delivery created in another database")
	case <-time.After(100 * time.Millisecond):
	}
	created := time.Now()
	if err := writer.CreateDeliveries(t.Context(), []*wagate.WebhookDelivery{d}); err != nil {
		t.Fatal(err)
	}
	if woke := (<-done).Sub(created); woke > 250*time.Millisecond {
		t.Fatalf("WaitDue woke %v after CreateDeliveries on another store of the DB", woke)
	}
	if d.ID == "" || d.Status != wagate.DeliveryPending || d.CreatedAt.IsZero() {
		t.Fatalf("CreateDeliveries left %+v; want the id, status and times filled in", d)
	}
}
