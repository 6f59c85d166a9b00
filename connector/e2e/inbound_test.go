package e2e_test

import (
	"bytes"
	"encoding/base64"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

// waitTotal polls a list route until its pagination.total reaches want
// (inbound messages are stored asynchronously) and returns the last answer.
func (p *proc) waitTotal(path string, want float64) reply {
	p.t.Helper()
	var r reply
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		r = p.api("GET", path, nil)
		if pg, ok := r.data()["pagination"].(map[string]any); ok && pg["total"].(float64) >= want {
			time.Sleep(50 * time.Millisecond) // let stragglers (duplicates) land too
			return p.api("GET", path, nil)
		}
	}
	return r
}

func (p *proc) inbound(session string, body map[string]any) string {
	p.t.Helper()
	r := p.api("POST", "/api/_sim/sessions/"+session+"/inbound", body)
	expectStatus(p.t, r, 200)
	return r.data()["whatsappMessageId"].(string)
}

// TestReceiveEveryKind: inbound messages of every kind are stored with
// their media; duplicates and history do not double count; edits, revokes
// and reactions land on the right message.
func TestReceiveEveryKind(t *testing.T) {
	p := startWagate(t, "WAGATE_SEND_RATE=0")
	p.connected("s1", "34600000001")
	img := pngBytes(t)
	ana := "34611111111"
	textID := p.inbound("s1", map[string]any{"from": ana, "pushName": "Ana", "type": "text", "content": "hola"})
	imgID := p.inbound("s1", map[string]any{"from": ana, "type": "image", "content": "foto", "media": map[string]any{"base64": base64.StdEncoding.EncodeToString(img), "mimetype": "image/png", "filename": "f.png"}, "viewOnce": true})
	p.inbound("s1", map[string]any{"from": ana, "type": "audio", "ptt": true, "media": map[string]any{"base64": base64.StdEncoding.EncodeToString(oggOpus), "mimetype": "audio/ogg; codecs=opus"}, "ephemeral": true})
	p.inbound("s1", map[string]any{"from": ana, "type": "document", "content": "pdf", "media": map[string]any{"base64": base64.StdEncoding.EncodeToString([]byte("%PDF-1.4 x")), "mimetype": "application/pdf", "filename": "a.pdf"}})
	p.inbound("s1", map[string]any{"from": ana, "type": "video", "media": map[string]any{"base64": base64.StdEncoding.EncodeToString([]byte("\x00\x00\x00\x18ftypmp42")), "mimetype": "video/mp4"}})
	p.inbound("s1", map[string]any{"from": ana, "type": "sticker", "media": map[string]any{"base64": base64.StdEncoding.EncodeToString(webpBytes), "mimetype": "image/webp"}})
	p.inbound("s1", map[string]any{"from": ana, "type": "location", "location": map[string]any{"degreesLatitude": 40.4, "degreesLongitude": -3.7, "name": "Madrid"}})
	p.inbound("s1", map[string]any{"from": ana, "type": "contact", "contacts": []any{map[string]any{"displayName": "Juan", "vcard": "BEGIN:VCARD\nVERSION:3.0\nFN:Juan\nEND:VCARD"}}})
	p.inbound("s1", map[string]any{"from": ana, "type": "reaction", "content": "👍", "targetId": textID})
	p.inbound("s1", map[string]any{"from": "34622222222", "fromLid": "987654321@lid", "type": "text", "content": "via lid"})
	p.inbound("s1", map[string]any{"from": "34633333333", "group": "120363025246125486@g.us", "type": "text", "content": "en grupo"})
	p.inbound("s1", map[string]any{"from": ana, "type": "text", "content": "viejo", "history": true})
	p.inbound("s1", map[string]any{"id": textID, "from": ana, "type": "text", "content": "hola"}) // duplicate
	p.inbound("s1", map[string]any{"from": ana, "type": "text", "content": "hola editado", "edit": true, "targetId": textID})
	p.inbound("s1", map[string]any{"from": ana, "type": "text", "content": "mi estado", "status": true})

	all := p.waitTotal("/api/messages/s1?limit=100", 12)
	if total := all.data()["pagination"].(map[string]any)["total"]; total != float64(12) {
		t.Fatalf("stored %v messages, want 12 (duplicate, edit and status not stored as messages): %s", total, all.Raw)
	}
	byID := map[string]map[string]any{}
	for _, m := range all.data()["messages"].([]any) {
		mm := m.(map[string]any)
		byID[mm["whatsappMessageId"].(string)] = mm
	}
	if m := byID[textID]; m["body"] != "hola editado" || m["edited"] != true || m["from"] != ana+"@s.whatsapp.net" || m["status"] != "received" {
		t.Fatalf("edited text: %v", m)
	}
	im := byID[imgID]
	if im["type"] != "image" || im["hasMedia"] != true || im["has_attachment"] != true {
		t.Fatalf("image: %v", im)
	}

	// the media link downloads the same bytes without the API key
	link := p.api("GET", "/api/messages/s1/"+imgID+"/media", nil)
	expectStatus(t, link, 200)
	url := link.data()["url"].(string)
	if link.data()["mimetype"] != "image/png" || !strings.Contains(url, "/files/") {
		t.Fatalf("media link: %s", link.Raw)
	}
	resp, err := http.Get(strings.Replace(url, "http://localhost:", "http://127.0.0.1:", 1))
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !bytes.Equal(got, img) || resp.Header.Get("Content-Type") != "image/png" {
		t.Fatalf("download: %d %q %d bytes", resp.StatusCode, resp.Header.Get("Content-Type"), len(got))
	}
	// same link with a tampered token is refused
	bad, _ := http.Get(strings.Replace(url, "http://localhost:", "http://127.0.0.1:", 1) + "x")
	if bad.StatusCode != 404 {
		t.Fatalf("tampered link answered %d", bad.StatusCode)
	}
	bad.Body.Close()

	t.Run("Filters", func(t *testing.T) {
		for q, want := range map[string]float64{
			"type=image":                     1,
			"fromMe=false":                   12,
			"fromMe=true":                    0,
			"chatId=" + ana:                  10,
			"chatId=120363025246125486@g.us": 1,
			"startDate=2000-01-01&endDate=2000-01-02":            0,
			"startDate=" + time.Now().UTC().Format("2006-01-02"): 12,
		} {
			r := p.api("GET", "/api/messages/s1?"+q, nil)
			expectStatus(t, r, 200)
			if got := r.data()["pagination"].(map[string]any)["total"]; got != want {
				t.Errorf("%s: total %v, want %v", q, got, want)
			}
		}
		chat := p.api("GET", "/api/messages/s1/"+ana+"@s.whatsapp.net?limit=3", nil)
		if n := len(chat.data()["messages"].([]any)); n != 3 {
			t.Errorf("chat route page: %d", n)
		}
	})
	t.Run("ChatsUnreadRead", func(t *testing.T) {
		chats := p.api("GET", "/api/messages/s1/chats?limit=200", nil)
		expectStatus(t, chats, 200)
		var anaChat map[string]any
		for _, c := range chats.data()["chats"].([]any) {
			if c.(map[string]any)["chatId"] == ana+"@s.whatsapp.net" {
				anaChat = c.(map[string]any)
			}
		}
		lm, _ := anaChat["lastMessage"].(map[string]any)
		if anaChat == nil || anaChat["unreadCount"].(float64) < 1 || anaChat["name"] != "Ana" || lm == nil {
			t.Fatalf("chat: %s", chats.Raw)
		}
		if ts, ok := lm["timestamp"].(float64); !ok || ts < 1.7e9 {
			t.Fatalf("lastMessage.timestamp must be unix seconds: %v", lm)
		}
		unread := p.api("GET", "/api/messages/unread", nil)
		before := unread.data()["pagination"].(map[string]any)["total"].(float64)
		r := p.api("PUT", "/api/messages/s1/"+ana+"@s.whatsapp.net/read", map[string]any{})
		expectStatus(t, r, 200)
		if r.Body["message"] == "" {
			t.Fatalf("mark read: %s", r.Raw)
		}
		after := p.api("GET", "/api/messages/unread", nil).data()["pagination"].(map[string]any)["total"].(float64)
		if before-after < 1 {
			t.Fatalf("unread %v → %v", before, after)
		}
	})
	t.Run("Stats", func(t *testing.T) {
		r := p.api("GET", "/api/messages/s1/stats?startDate=2000-01-01&endDate=2100-01-01", nil)
		expectStatus(t, r, 200)
		st := r.data()["stats"].(map[string]any)
		if st["total"] != float64(12) || st["received"] != float64(12) || st["byType"].(map[string]any)["image"] != float64(1) {
			t.Fatalf("stats: %s", r.Raw)
		}
	})
}

// TestReceiptsMoveForward: delivered → read; a late delivered keeps read.
func TestReceiptsMoveForward(t *testing.T) {
	p := startWagate(t, "WAGATE_SEND_RATE=0")
	p.connected("s1", "34600000001")
	r := p.api("POST", "/api/messages/s1/send", map[string]any{"to": "34657032985", "message": "hola"})
	id := r.data()["message"].(map[string]any)["whatsappMessageId"].(string)
	status := func() string {
		m := p.api("GET", "/api/messages/s1?fromMe=true", nil).data()["messages"].([]any)[0].(map[string]any)
		return m["status"].(string)
	}
	for _, step := range []struct{ send, want string }{{"delivered", "delivered"}, {"read", "read"}, {"delivered", "read"}, {"played", "played"}} {
		expectStatus(t, p.api("POST", "/api/_sim/sessions/s1/receipt", map[string]any{"whatsappMessageId": id, "status": step.send}), 200)
		deadline := time.Now().Add(3 * time.Second)
		for status() != step.want && time.Now().Before(deadline) {
			time.Sleep(10 * time.Millisecond)
		}
		if got := status(); got != step.want {
			t.Fatalf("after %s receipt: %s, want %s", step.send, got, step.want)
		}
	}
	expectError(t, p.api("POST", "/api/_sim/sessions/s1/receipt", map[string]any{"whatsappMessageId": "nope", "status": "read"}), 404, "NOT_FOUND")
}
