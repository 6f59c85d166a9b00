package webhook_test

import (
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/wagate/wagate/events"
	wagate "github.com/wagate/wagate/shared"
	"github.com/wagate/wagate/shared/webhook"
)

func TestDeliverer(t *testing.T) {
	t.Parallel()

	t.Run("OK", func(t *testing.T) {
		h := newHarness(t)
		rc := newReceiver(t, nil)
		h.session(t, "s1", wagate.WebhookConfig{URL: rc.URL + "/hook", Secret: "s3cret"})
		run(t, h.deliverer())
		h.publish(t, "s1", "e1")
		d, attempts := h.await(t, "e1", wagate.TargetSession, wagate.DeliveryDelivered)
		if d.Attempts != 1 || len(attempts) != 1 || attempts[0].StatusCode != 200 || d.LastURL != rc.URL+"/hook" {
			t.Fatalf("delivered %+v after %+v", d, attempts)
		}
		got := rc.got()
		if len(got) != 1 {
			t.Fatalf("receiver got %d requests, want 1", len(got))
		}
		want := `{"event":"session.connected","data":{"sessionId":"s1","session_db_id":1,"status":"connected"}}`
		if string(got[0].body) != want {
			t.Fatalf("body %s, want %s", got[0].body, want)
		}
		hd := got[0].header
		if !seedVerify(got[0].body, hd.Get("X-Webhook-Signature"), "s3cret") || hd.Get("X-Hub-Signature-256") != hd.Get("X-Webhook-Signature") ||
			hd.Get("X-Webhook-Id") != "e1" || hd.Get("X-Webhook-Event") != "session.connected" || hd.Get("X-Webhook-Session") != "s1" ||
			hd.Get("X-Webhook-Timestamp") == "" {
			t.Fatalf("headers %v", hd)
		}
	})

	t.Run("Frappe", func(t *testing.T) {
		h := newHarness(t)
		own, frappe := newReceiver(t, nil), newReceiver(t, nil)
		h.session(t, "s1", wagate.WebhookConfig{URL: own.URL, Events: []string{"message"}, SendToFrappe: true})
		run(t, h.deliverer(func(dl *webhook.Deliverer) { dl.Frappe = webhook.Frappe{URL: frappe.URL, Secret: "fsecret"} }))
		h.publish(t, "s1", "e1") // session.connected: not a "message" for the session's own URL
		h.await(t, "e1", wagate.TargetFrappe, wagate.DeliveryDelivered)
		got := frappe.got()
		if len(got) != 1 || !seedVerify(got[0].body, got[0].header.Get("X-Webhook-Signature"), "fsecret") {
			t.Fatalf("Frappe got %d requests; want one signed with FRAPPE_WEBHOOK_SECRET", len(got))
		}
		if n := len(own.got()); n != 0 {
			t.Fatalf("the session's own URL got %d requests for an event it did not subscribe to", n)
		}
	})

	t.Run("UnsignedSecretIsEmptyKey", func(t *testing.T) {
		h := newHarness(t)
		rc := newReceiver(t, nil)
		h.session(t, "s1", wagate.WebhookConfig{URL: rc.URL})
		run(t, h.deliverer())
		h.publish(t, "s1", "e1")
		h.await(t, "e1", wagate.TargetSession, wagate.DeliveryDelivered)
		if got := rc.got(); !seedVerify(got[0].body, got[0].header.Get("X-Webhook-Signature"), "") {
			t.Fatal("a session without a secret must still sign, with the empty key")
		}
	})

	t.Run("MediaURL", func(t *testing.T) {
		h := newHarness(t)
		rc := newReceiver(t, nil)
		h.session(t, "s1", wagate.WebhookConfig{URL: rc.URL})
		run(t, h.deliverer(func(dl *webhook.Deliverer) { dl.Blobs = fakeBlobs{} }))
		ev := received(t, &events.MediaPayload{Filename: "a.jpg", Filesize: 10, Mimetype: "image/jpeg", MediaID: "m1"})
		if err := h.outbox.Publish(t.Context(), ev); err != nil {
			t.Fatal(err)
		}
		h.await(t, ev.ID, wagate.TargetSession, wagate.DeliveryDelivered)
		var body struct{ Data events.MessageData }
		if err := json.Unmarshal(rc.got()[0].body, &body); err != nil {
			t.Fatal(err)
		}
		if m := body.Data.Message.Media; m == nil || m.URL != "https://files.example/media/s1/m1?name=a.jpg" {
			t.Fatalf("media = %+v; want a fresh link to media/s1/m1", m)
		}
	})

	t.Run("DeletedSession", func(t *testing.T) {
		h := newHarness(t)
		rc := newReceiver(t, nil)
		h.session(t, "s1", wagate.WebhookConfig{URL: rc.URL})
		run(t, h.deliverer())
		h.publish(t, "gone", "e0")
		h.publish(t, "s1", "e1")
		h.await(t, "e1", wagate.TargetSession, wagate.DeliveryDelivered)
		if list, total, err := h.store.ListDeliveries(t.Context(), wagate.DeliveryFilter{}); err != nil || total != 1 {
			t.Fatalf("deliveries %d (%v), %v; want only e1's", total, list, err)
		}
	})

	t.Run("TestPing", func(t *testing.T) {
		h := newHarness(t)
		rc := newReceiver(t, statuses(http.StatusAccepted))
		sess := h.session(t, "s1", wagate.WebhookConfig{URL: rc.URL, Secret: "s3cret"})
		dl := h.deliverer()
		a, err := dl.Test(t.Context(), sess)
		if err != nil || a.StatusCode != http.StatusAccepted {
			t.Fatalf("Test = %+v, %v", a, err)
		}
		got := rc.got()
		if len(got) != 1 || got[0].header.Get("X-Webhook-Event") != webhook.EvWebhookTest ||
			!seedVerify(got[0].body, got[0].header.Get("X-Webhook-Signature"), "s3cret") {
			t.Fatalf("receiver got %+v", got)
		}
		if _, total, _ := h.store.ListDeliveries(t.Context(), wagate.DeliveryFilter{}); total != 0 {
			t.Fatalf("Test stored %d deliveries", total)
		}
		_, err = dl.Test(t.Context(), &wagate.Session{SessionID: "s2"})
		if wagate.ErrorCode(err) != wagate.EINVALID {
			t.Fatalf("Test without a webhook URL: %v, want %s", err, wagate.EINVALID)
		}
	})

	t.Run("Restart", func(t *testing.T) {
		h := newHarness(t)
		rc := newReceiver(t, func(n int, w http.ResponseWriter, r *http.Request) {
			if n == 1 {
				w.WriteHeader(http.StatusServiceUnavailable)
			}
		})
		h.session(t, "s1", wagate.WebhookConfig{URL: rc.URL})
		slow := func(dl *webhook.Deliverer) { dl.Schedule = webhook.Schedule{300 * time.Millisecond} }
		stop := run(t, h.deliverer(slow))
		h.publish(t, "s1", "e1")
		h.await(t, "e1", wagate.TargetSession, wagate.DeliveryPending)
		for len(rc.got()) == 0 {
			time.Sleep(time.Millisecond)
		}
		stop()
		if err := h.db.Close(); err != nil {
			t.Fatal(err)
		}
		h.open(t) // a new process on the same file
		h.publish(t, "s1", "e2")
		run(t, h.deliverer(slow))
		d, attempts := h.await(t, "e1", wagate.TargetSession, wagate.DeliveryDelivered)
		if d.Attempts != 2 || len(attempts) != 2 || attempts[0].StatusCode != 503 || attempts[1].StatusCode != 200 {
			t.Fatalf("after restart: %+v, attempts %+v", d, attempts)
		}
		h.await(t, "e2", wagate.TargetSession, wagate.DeliveryDelivered)
	})
}
