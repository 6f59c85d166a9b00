package porttest

import (
	"encoding/json"
	"fmt"
	"slices"
	"testing"
	"time"

	wagate "github.com/wagate/wagate/shared"
)

// deliveryList checks ListDeliveries: filters, newest-first order, pages
// and totals.
func deliveryList(t *testing.T, st wagate.DeliveryStore) {
	for _, d := range []*wagate.WebhookDelivery{
		newDelivery("d1", "e1", "s1", wagate.TargetSession, at(0)),
		newDelivery("d2", "e2", "s1", wagate.TargetSession, at(1)),
		newDelivery("d3", "e3", "s2", wagate.TargetFrappe, at(2)),
		newDelivery("d4", "e4", "s1", wagate.TargetSession, at(3)),
	} {
		if d.ID == "d2" {
			d.EventType = "session.connected"
		}
		must(t, st.CreateDeliveries(t.Context(), []*wagate.WebhookDelivery{d}))
	}
	wantClaim(t, st, time.Now(), 10, []string{"s2"}, "d1", "d2", "d4")
	must(t, st.Record(t.Context(), "d2", wagate.DeliveryOutcome{Status: wagate.DeliveryDead}))
	for _, tc := range []struct {
		name string
		f    wagate.DeliveryFilter
		want []string
		tot  int
	}{
		{"All", wagate.DeliveryFilter{}, []string{"d4", "d3", "d2", "d1"}, 4},
		{"Session", wagate.DeliveryFilter{SessionID: "s1"}, []string{"d4", "d2", "d1"}, 3},
		{"Status", wagate.DeliveryFilter{Status: wagate.DeliveryDead}, []string{"d2"}, 1},
		{"EventType", wagate.DeliveryFilter{EventType: "message.received"}, []string{"d4", "d3", "d1"}, 3},
		{"SessionAndType", wagate.DeliveryFilter{SessionID: "s1", EventType: "message.received"}, []string{"d4", "d1"}, 2},
		{"Range", wagate.DeliveryFilter{Since: at(1), Until: at(2)}, []string{"d3", "d2"}, 2},
		{"Page", wagate.DeliveryFilter{Offset: 1, Limit: 2}, []string{"d3", "d2"}, 4},
		{"PastEnd", wagate.DeliveryFilter{Offset: 10, Limit: 2}, nil, 4},
		{"NoMatch", wagate.DeliveryFilter{SessionID: "s9"}, nil, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			list, total, err := st.ListDeliveries(t.Context(), tc.f)
			must(t, err)
			if ids := webhookDeliveryIDs(list); !sameStrings(ids, tc.want) || total != tc.tot {
				t.Fatalf("ListDeliveries(%+v) = %v, total %d; want %v, total %d", tc.f, ids, total, tc.want, tc.tot)
			}
		})
	}
}

// newDelivery returns a message.received delivery of event eventID.
func newDelivery(id, eventID, sessionID, target string, created time.Time) *wagate.WebhookDelivery {
	ev, _ := json.Marshal(map[string]any{"id": eventID, "type": "message.received", "sessionId": sessionID,
		"data": map[string]any{"sessionId": sessionID, "message": map[string]any{"whatsappMessageId": "3EB0" + eventID}}})
	return &wagate.WebhookDelivery{ID: id, EventID: eventID, EventType: "message.received", SessionID: sessionID,
		Target: target, Event: ev, CreatedAt: created}
}

// createDeliveries creates d1…dN (events e1…eN) of a session, one call and
// a few milliseconds apart each, so they fall due in that order.
func createDeliveries(t *testing.T, st wagate.DeliveryStore, sessionID string, n int) {
	t.Helper()
	for i := range n {
		d := newDelivery(fmt.Sprint("d", i+1), fmt.Sprint("e", i+1), sessionID, wagate.TargetSession, at(i))
		must(t, st.CreateDeliveries(t.Context(), []*wagate.WebhookDelivery{d}))
		time.Sleep(3 * time.Millisecond)
	}
}

// wantClaim claims at now and fails t unless exactly want come back, in
// that order.
func wantClaim(t *testing.T, st wagate.DeliveryStore, now time.Time, limit int, skip []string, want ...string) {
	t.Helper()
	got, err := st.ClaimDue(t.Context(), now, limit, deliveryLease, skip)
	must(t, err)
	if ids := webhookDeliveryIDs(got); !sameStrings(ids, want) {
		if slices.Sort(ids); sameStrings(ids, want) {
			t.Fatalf("ClaimDue returned %v out of due order, want %v", webhookDeliveryIDs(got), want)
		}
		t.Fatalf("ClaimDue(limit %d, skip %v) = %v, want %v", limit, skip, webhookDeliveryIDs(got), want)
	}
}

// wantAttempts fails t unless got logs want, in order.
func wantAttempts(t *testing.T, got []wagate.WebhookAttempt, want ...wagate.WebhookAttempt) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("attempts = %+v, want %+v", got, want)
	}
	for i, w := range want {
		g := got[i]
		if g.N != w.N || !sameTime(g.At, w.At) || g.URL != w.URL || g.StatusCode != w.StatusCode ||
			(g.Latency-w.Latency).Abs() > timeTolerance || g.Error != w.Error {
			t.Fatalf("attempt %d:\n got  %+v\n want %+v", i+1, g, w)
		}
	}
}

// compareDelivery fails t unless got equals want (times within
// timeTolerance, Event as JSON).
func compareDelivery(t *testing.T, got, want *wagate.WebhookDelivery) {
	t.Helper()
	if got.ID != want.ID || got.EventID != want.EventID || got.EventType != want.EventType || got.SessionID != want.SessionID ||
		got.Target != want.Target || !sameJSON(got.Event, want.Event) || got.Status != want.Status ||
		got.Attempts != want.Attempts || !sameTime(got.NextAttemptAt, want.NextAttemptAt) || got.LastURL != want.LastURL ||
		got.LastCode != want.LastCode || got.LastError != want.LastError || !sameTime(got.CreatedAt, want.CreatedAt) ||
		got.UpdatedAt.IsZero() || !sameTime(got.DeliveredAt, want.DeliveredAt) {
		t.Fatalf("delivery:\n got  %+v (event %s)\n want %+v (event %s)", got, got.Event, want, want.Event)
	}
}

func wantList(t *testing.T, st wagate.DeliveryStore, f wagate.DeliveryFilter, want ...string) {
	t.Helper()
	list, total, err := st.ListDeliveries(t.Context(), f)
	must(t, err)
	if ids := webhookDeliveryIDs(list); !sameStrings(ids, want) || total != len(want) {
		t.Fatalf("ListDeliveries(%+v) = %v, total %d; want %v", f, ids, total, want)
	}
}

func webhookDeliveryIDs(ds []*wagate.WebhookDelivery) []string {
	var ids []string
	for _, d := range ds {
		ids = append(ids, d.ID)
	}
	return ids
}
