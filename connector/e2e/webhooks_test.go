package e2e_test

import (
	"encoding/json"
	"fmt"
	"testing"
	"time"
)

// webhookEnv starts wagate with a short retry schedule and loopback targets.
func webhookEnv(t *testing.T, extra ...string) *proc {
	env := append([]string{"WAGATE_SEND_RATE=0", "WAGATE_WEBHOOK_ALLOW_LOOPBACK=true", "WAGATE_WEBHOOK_SCHEDULE=100ms,200ms,300ms,400ms,500ms,500ms,500ms,500ms,500ms,500ms,1s,1s,1s,1s,1s"}, extra...)
	return startWagate(t, env...)
}

func (p *proc) setWebhook(session, url, secret string, events ...string) {
	p.t.Helper()
	body := map[string]any{"webhookUrl": url, "webhookSecret": secret}
	if len(events) > 0 {
		body["webhookEvents"] = events
	}
	expectStatus(p.t, p.api("PUT", "/api/sessions/"+session+"/webhook", body), 200)
}

func (p *proc) inboundN(session string, n int, prefix string) []string {
	var ids []string
	for i := 0; i < n; i++ {
		ids = append(ids, p.inbound(session, map[string]any{"from": "34611111111", "type": "text", "content": fmt.Sprintf("%s %d", prefix, i)}))
	}
	return ids
}

// TestWebhooksLoseNothing: a receiver that fails half the requests and then
// is down for a while still gets every event, duplicates carry the same
// X-Webhook-Id, every request is signed.
func TestWebhooksLoseNothing(t *testing.T) {
	rcv := newReceiver(t, map[string]string{"/crm": "s3cret"})
	p := webhookEnv(t)
	p.connected("s1", "34600000001")
	p.setWebhook("s1", rcv.url("/crm"), "s3cret", "message")
	rcv.set("/crm", "flaky")
	ids := p.inboundN("s1", 40, "flaky")
	rcv.set("/crm", "down")
	ids = append(ids, p.inboundN("s1", 20, "down")...)
	time.Sleep(time.Second)
	rcv.set("/crm", "ok")
	seen := rcv.waitIDs("/crm", "message.received", ids, 30*time.Second)
	rcv.checkSignatures()
	for id, hs := range seen {
		for _, h := range hs[1:] {
			if h.ID != hs[0].ID || string(h.Body) != string(hs[0].Body) {
				t.Fatalf("duplicate deliveries of %s differ: %s vs %s", id, hs[0].ID, h.ID)
			}
		}
	}
	// the body is the seed's shape
	var body struct {
		Event string `json:"event"`
		Data  struct {
			SessionID   string         `json:"sessionId"`
			SessionDBID int64          `json:"session_db_id"`
			Message     map[string]any `json:"message"`
		} `json:"data"`
	}
	h := seen[ids[0]][0]
	if err := json.Unmarshal(h.Body, &body); err != nil || body.Event != "message.received" || body.Data.SessionID != "s1" || body.Data.SessionDBID < 1 {
		t.Fatalf("body: %s", h.Body)
	}
	for _, k := range []string{"whatsappMessageId", "content", "chatId", "from", "to", "timestamp", "type", "has_attachment", "media", "id", "messageId"} {
		if _, ok := body.Data.Message[k]; !ok {
			t.Fatalf("data.message lacks %s: %s", k, h.Body)
		}
	}
	if h.Session != "s1" || h.Event != "message.received" {
		t.Fatalf("headers: %+v", h)
	}
	// subscriptions: only "message" was asked for
	if n := len(rcv.accepted("/crm", "session.connected")); n != 0 {
		t.Fatalf("got %d session events without subscribing", n)
	}
}

// TestWebhooksSurviveCrash: the runtime is SIGKILLed while deliveries are
// in flight; after the restart every event still arrives.
func TestWebhooksSurviveCrash(t *testing.T) {
	rcv := newReceiver(t, map[string]string{"/crm": ""})
	p := webhookEnv(t)
	p.connected("s1", "34600000001")
	p.setWebhook("s1", rcv.url("/crm"), "")
	rcv.set("/crm", "down")
	ids := p.inboundN("s1", 30, "crash")
	time.Sleep(300 * time.Millisecond)
	p.crashRestart()
	rcv.set("/crm", "ok")
	rcv.waitIDs("/crm", "message.received", ids, 30*time.Second)
	rcv.checkSignatures() // signed even without a secret
}

// TestSlowEndpointIsolated: one session's endpoint hangs past the 7 s
// timeout; another session's deliveries are not held up.
func TestSlowEndpointIsolated(t *testing.T) {
	rcv := newReceiver(t, map[string]string{"/slow": "a", "/fast": "b"})
	p := webhookEnv(t)
	p.connected("slow", "34600000001")
	p.connected("fast", "34600000002")
	p.setWebhook("slow", rcv.url("/slow"), "a", "message")
	p.setWebhook("fast", rcv.url("/fast"), "b", "message")
	rcv.set("/slow", "hang")
	p.inboundN("slow", 20, "stuck")
	time.Sleep(200 * time.Millisecond)
	start := time.Now()
	ids := p.inboundN("fast", 20, "quick")
	rcv.waitIDs("/fast", "message.received", ids, 5*time.Second)
	if took := time.Since(start); took > 5*time.Second {
		t.Fatalf("the fast session waited %v behind the slow one", took)
	}
}

// TestDeadLetterReplay: exhausted retries dead-letter; the API shows the
// attempts and replays them.
func TestDeadLetterReplay(t *testing.T) {
	rcv := newReceiver(t, map[string]string{"/crm": "k"})
	p := startWagate(t, "WAGATE_WEBHOOK_ALLOW_LOOPBACK=true", "WAGATE_WEBHOOK_SCHEDULE=50ms,50ms")
	p.connected("s1", "34600000001")
	p.setWebhook("s1", rcv.url("/crm"), "k", "message")
	rcv.set("/crm", "down")
	ids := p.inboundN("s1", 3, "dead")
	var dead reply
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		dead = p.api("GET", "/api/webhooks/deliveries?sessionId=s1&status=dead", nil)
		if dead.data()["pagination"].(map[string]any)["total"] == float64(3) {
			break
		}
	}
	list := dead.data()["deliveries"].([]any)
	if len(list) != 3 {
		t.Fatalf("dead deliveries: %s", dead.Raw)
	}
	one := list[0].(map[string]any)
	detail := p.api("GET", "/api/webhooks/deliveries/"+one["id"].(string), nil)
	expectStatus(t, detail, 200)
	log := detail.data()["delivery"].(map[string]any)["attemptLog"].([]any)
	if len(log) != 3 || log[0].(map[string]any)["statusCode"] != float64(503) {
		t.Fatalf("attempt log: %s", detail.Raw)
	}
	rcv.set("/crm", "ok")
	expectStatus(t, p.api("POST", "/api/webhooks/deliveries/"+one["id"].(string)+"/replay", nil), 200)
	r := p.api("POST", "/api/webhooks/replay", map[string]any{"sessionId": "s1"})
	expectStatus(t, r, 200)
	rcv.waitIDs("/crm", "message.received", ids, 10*time.Second)
	expectError(t, p.api("GET", "/api/webhooks/deliveries/nope", nil), 404, "NOT_FOUND")
	expectError(t, p.api("GET", "/api/webhooks/deliveries?status=bogus", nil), 400, "VALIDATION_ERROR")
}

// TestWebhookEventsAndTargets: status and session events, the Frappe
// target, the test ping, our own sends never reported as received.
func TestWebhookEventsAndTargets(t *testing.T) {
	rcv := newReceiver(t, map[string]string{"/crm": "k", "/frappe": "fr"})
	p := webhookEnv(t, "FRAPPE_WEBHOOK_URL="+rcv.url("/frappe"), "FRAPPE_WEBHOOK_SECRET=fr")
	expectStatus(t, p.do("POST", "/api/sessions", apiKey, map[string]any{"sessionId": "s1", "fromFrappe": true, "webhookUrl": rcv.url("/crm"), "webhookSecret": "k", "webhookEvents": []string{"message_status", "session", "qr"}}), 201)
	expectStatus(t, p.api("POST", "/api/_sim/sessions/s1/scan", nil), 200)
	p.waitStatus("s1", "connected")
	r := p.api("POST", "/api/messages/s1/send", map[string]any{"to": "34657032985", "message": "hola"})
	id := r.data()["message"].(map[string]any)["whatsappMessageId"].(string)
	expectStatus(t, p.api("POST", "/api/_sim/sessions/s1/receipt", map[string]any{"whatsappMessageId": id, "status": "read"}), 200)
	in := p.inbound("s1", map[string]any{"from": "34611111111", "type": "text", "content": "hi"})
	p.inbound("s1", map[string]any{"from": "34611111111", "type": "text", "content": "old", "history": true})

	rcv.waitIDs("/crm", "message.sent", []string{id}, 10*time.Second)
	rcv.waitIDs("/crm", "message.read", []string{id}, 10*time.Second)
	rcv.waitIDs("/frappe", "message.received", []string{in}, 10*time.Second)
	time.Sleep(300 * time.Millisecond)
	if n := len(rcv.accepted("/crm", "message.received")); n != 0 {
		t.Fatalf("session webhook got %d message.received without subscribing", n)
	}
	for _, ev := range []string{"session.qr", "session.connected"} {
		hs := rcv.accepted("/crm", ev)
		if len(hs) == 0 || !json.Valid(hs[0].Body) {
			t.Fatalf("no %s on the session webhook", ev)
		}
		var b struct {
			Data map[string]any `json:"data"`
		}
		_ = json.Unmarshal(hs[0].Body, &b)
		if b.Data["status"] == nil || (ev == "session.qr" && b.Data["qrCode"] == nil) {
			t.Fatalf("%s body: %s", ev, hs[0].Body)
		}
	}
	received := rcv.accepted("/frappe", "message.received")
	if len(received) != 1 {
		t.Fatalf("frappe got %d message.received (own send or history leaked?)", len(received))
	}
	rcv.checkSignatures()

	ping := p.api("POST", "/api/sessions/s1/webhook/test", nil)
	expectStatus(t, ping, 200)
	if ping.data()["delivered"] != true {
		t.Fatalf("test webhook: %s", ping.Raw)
	}
	expectStatus(t, p.api("POST", "/api/sessions", map[string]any{"sessionId": "nohook"}), 201)
	expectError(t, p.api("POST", "/api/sessions/nohook/webhook/test", nil), 400, "VALIDATION_ERROR")
}
