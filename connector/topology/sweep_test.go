package topology_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/wagate/wagate/connector/topology"
)

// sweepSchedule is the webhook function's retry schedule in the topology:
// retries due within about a second, so the sweep has something to do
// without waiting for the default 10 s.
const sweepSchedule = "1s,1s,1s,1s,1s,1s,1s,1s"

// delivery is an item of GET /api/webhooks/deliveries.
type delivery struct {
	ID, EventID, Status string
	Attempts            int
	NextAttemptAt       *string
	LastStatusCode      int
}

// testSweep checks the webhook function's sweep (kumo stores the schedule
// rule but never fires it, so the test invokes the function with the
// rule's event, as EventBridge does every minute): a delivery whose
// attempt failed while the CRM was down is delivered by the next sweep
// once it is back (Lambda's own retries of the event, a few hundred ms
// later in kumo, find its retry not due yet and leave it); a delivery the
// CRM refused (dead at once), replayed through the API, is delivered by
// the next sweep.
func testSweep(t *testing.T, ctx context.Context, top *topology.Topology) {
	rcv := top.Receiver
	step := func(name string, do func(ctx context.Context) error) {
		t.Helper()
		sctx, cancel := context.WithTimeout(ctx, 20*time.Second)
		defer cancel()
		s := time.Now()
		if err := do(sctx); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		t.Logf("%s: %v", name, time.Since(s).Round(time.Millisecond))
	}
	inbound := func(ctx context.Context, text string) (string, error) {
		var out struct{ WhatsAppMessageID string }
		body := map[string]string{"from": "34600000003", "type": "text", "content": text}
		err := top.CallJSON(ctx, "POST", "/api/_sim/sessions/demo/inbound", body, http.StatusOK, &out)
		return out.WhatsAppMessageID, err
	}
	// await waits until the message.received delivery of message waID is
	// in state (status, attempts) and returns it.
	await := func(ctx context.Context, waID, status string, attempts int) (d delivery, err error) {
		q := url.Values{"sessionId": {"demo"}, "event": {"message.received"}}
		err = topology.Eventually(ctx, func(ctx context.Context) error {
			var list struct{ Deliveries []delivery }
			if err := top.CallJSON(ctx, "GET", "/api/webhooks/deliveries?"+q.Encode(), nil, http.StatusOK, &list); err != nil {
				return err
			}
			for _, d = range list.Deliveries {
				if d.EventID == "msg-demo-"+waID {
					if d.Status != status || d.Attempts != attempts {
						return fmt.Errorf("delivery %+v, want %s after %d attempts", d, status, attempts)
					}
					return nil
				}
			}
			return fmt.Errorf("no delivery of message %s", waID)
		})
		return d, err
	}
	sweep := func(ctx context.Context, waID string) error {
		res, err := top.Sweep(ctx)
		if err != nil {
			return err
		}
		if res.Delivered < 1 {
			return fmt.Errorf("the sweep did %+v, want a delivery", res)
		}
		h, err := rcv.WaitFor(ctx, "message.received", waID)
		if err == nil && !h.Signed {
			err = fmt.Errorf("the swept webhook is not signed (%q)", h.Signature)
		}
		return err
	}

	var downID string
	var failed delivery
	step("inbound while the CRM is down: the attempt fails, pending", func(ctx context.Context) (err error) {
		rcv.Refuse(http.StatusServiceUnavailable)
		if downID, err = inbound(ctx, "while the CRM is down"); err != nil {
			return err
		}
		failed, err = await(ctx, downID, "pending", 1)
		if err == nil && (failed.LastStatusCode != http.StatusServiceUnavailable || failed.NextAttemptAt == nil) {
			err = fmt.Errorf("delivery %+v: want a 503 and a next attempt", failed)
		}
		return err
	})
	step("the CRM is back: the next sweep delivers it", func(ctx context.Context) error {
		rcv.Refuse(0)
		due, err := time.Parse(time.RFC3339Nano, *failed.NextAttemptAt)
		if err != nil {
			return err
		}
		select { // the sweep takes deliveries that are due
		case <-time.After(time.Until(due) + 50*time.Millisecond):
		case <-ctx.Done():
			return ctx.Err()
		}
		if err := sweep(ctx, downID); err != nil {
			return err
		}
		_, err = await(ctx, downID, "delivered", 2) // one attempt each: the event's, the sweep's
		return err
	})

	var refusedID string
	var dead delivery
	step("inbound the CRM rejects: dead at once", func(ctx context.Context) (err error) {
		rcv.Refuse(http.StatusGone)
		if refusedID, err = inbound(ctx, "rejected"); err != nil {
			return err
		}
		dead, err = await(ctx, refusedID, "dead", 1)
		return err
	})
	step("replayed through the API: the next sweep delivers it", func(ctx context.Context) error {
		rcv.Refuse(0)
		var out struct{ Delivery delivery }
		if err := top.CallJSON(ctx, "POST", "/api/webhooks/deliveries/"+dead.ID+"/replay", nil, http.StatusOK, &out); err != nil {
			return err
		}
		if out.Delivery.Status != "pending" {
			return fmt.Errorf("replayed delivery %+v, want pending", out.Delivery)
		}
		if err := sweep(ctx, refusedID); err != nil {
			return err
		}
		if _, err := await(ctx, refusedID, "delivered", 1); err != nil { // the count starts again at a replay
			return err
		}
		var got struct {
			Delivery struct{ AttemptLog []struct{ StatusCode int } }
		}
		if err := top.CallJSON(ctx, "GET", "/api/webhooks/deliveries/"+dead.ID, nil, http.StatusOK, &got); err != nil {
			return err
		}
		if log := got.Delivery.AttemptLog; len(log) != 2 || log[0].StatusCode != http.StatusGone || log[1].StatusCode != http.StatusOK {
			return fmt.Errorf("attempt log %+v, want the 410 then the 200", log)
		}
		return nil
	})
	if n := rcv.Refused(); n != 2 {
		t.Errorf("the receiver turned away %d webhooks, want 2 (one attempt each before the sweep)", n)
	}
}
