package e2e_test

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"
)

// mp4Bytes is the start of an MP4 file: enough to be sniffed as video/mp4.
var mp4Bytes = []byte("\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom")

// TestStatuses: statuses received from contacts are listed and can be
// viewed (the read receipt reaches the poster); statuses posted through the
// API go through the send pipeline to status@broadcast.
func TestStatuses(t *testing.T) {
	clip := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "video/mp4")
		_, _ = w.Write(mp4Bytes)
	}))
	defer clip.Close()
	p := startWagate(t, "WAGATE_SEND_RATE=0", "WAGATE_ALLOW_PRIVATE_URLS=true")
	p.connected("s1", "34600000001")
	const ana = "34600000002"
	img := pngBytes(t)

	textID := p.inbound("s1", map[string]any{"from": ana, "pushName": "Ana", "type": "text", "content": "mi día", "status": true})
	imgID := p.inbound("s1", map[string]any{"from": ana, "type": "image", "content": "playa", "status": true,
		"media": map[string]any{"base64": base64.StdEncoding.EncodeToString(img), "mimetype": "image/png"}})
	list := p.waitTotal("/api/status/sessions/s1", 2)
	expectStatus(t, list, 200)

	t.Run("Received", func(t *testing.T) {
		byID := statusesByID(list)
		txt, im := byID[textID], byID[imgID]
		if txt == nil || im == nil {
			t.Fatalf("list: %s", list.Raw)
		}
		if txt["from"] != ana+"@s.whatsapp.net" || txt["fromMe"] != false || txt["type"] != "text" || txt["body"] != "mi día" ||
			txt["active"] != true || txt["viewed"] != false || txt["senderName"] != "Ana" || txt["media"] != nil {
			t.Fatalf("text status: %v", txt)
		}
		media, _ := im["media"].(map[string]any)
		if im["hasMedia"] != true || media["mimetype"] != "image/png" || media["url"] == nil {
			t.Fatalf("image status: %v", im)
		}
		got := p.raw("GET", strings.TrimPrefix(localURL(media["url"].(string)), p.url("")), "", "", nil)
		if got.Status != 200 || !bytes.Equal(got.Body, img) {
			t.Fatalf("status media link: %d", got.Status)
		}
		exp, _ := time.Parse(time.RFC3339, txt["expiresAt"].(string))
		ts, _ := time.Parse(time.RFC3339, txt["timestamp"].(string))
		if exp.Sub(ts) != 24*time.Hour {
			t.Fatalf("expiresAt %v is not 24 h after %v", exp, ts)
		}
		active := p.api("GET", "/api/status/sessions/s1/active", nil)
		expectStatus(t, active, 200)
		if active.data()["total"] != float64(2) {
			t.Fatalf("active: %s", active.Raw)
		}
		// statuses are not chat messages
		if r := p.api("GET", "/api/messages/s1", nil); r.data()["total"] != float64(0) {
			t.Fatalf("statuses listed as messages: %s", r.Raw)
		}
	})

	t.Run("View", func(t *testing.T) {
		r := p.api("POST", "/api/status/sessions/s1/statuses/"+textID+"/view", nil)
		expectStatus(t, r, 200)
		if st := r.data()["status"].(map[string]any); st["viewed"] != true || st["whatsappMessageId"] != textID {
			t.Fatalf("view: %s", r.Raw)
		}
		numeric := strconv.Itoa(int(statusesByID(list)[imgID]["id"].(float64)))
		expectStatus(t, p.api("POST", "/api/status/sessions/s1/statuses/"+numeric+"/view", map[string]any{}), 200)
		reads := p.waitReads("s1", 2)
		for i, want := range []string{textID, imgID} {
			rc := reads[i].(map[string]any)
			ids := rc["ids"].([]any)
			if rc["chatId"] != "status@broadcast" || rc["senderJid"] != ana+"@s.whatsapp.net" || len(ids) != 1 || ids[0] != want {
				t.Fatalf("receipt %d: %v", i, rc)
			}
		}
		if st := statusesByID(p.api("GET", "/api/status/sessions/s1", nil))[textID]; st["viewed"] != true {
			t.Fatalf("not stored as viewed: %v", st)
		}
	})

	var postedID string
	t.Run("PostText", func(t *testing.T) {
		r := p.api("POST", "/api/status/sessions/s1", map[string]any{"type": "text", "text": "Hola a todos", "backgroundColor": "#FF0000", "font": 2})
		expectStatus(t, r, 200)
		st, msg := r.data()["status"].(map[string]any), r.data()["message"].(map[string]any)
		postedID, _ = st["whatsappMessageId"].(string)
		if st["fromMe"] != true || st["type"] != "text" || st["body"] != "Hola a todos" || st["from"] != "34600000001@s.whatsapp.net" ||
			msg["status"] != "sent" || msg["chatId"] != "status@broadcast" || msg["whatsappMessageId"] != postedID {
			t.Fatalf("post: %s", r.Raw)
		}
		sent := p.api("GET", "/api/_sim/sessions/s1/sent", nil)
		found := false
		for _, x := range sent.data()["messages"].([]any) {
			if m := x.(map[string]any); m["whatsappMessageId"] == postedID && m["chatId"] == "status@broadcast" && m["body"] == "Hola a todos" {
				found = true
			}
		}
		if !found {
			t.Fatalf("the network did not carry the status: %s", sent.Raw)
		}
		if mine := statusesByID(p.api("GET", "/api/status/sessions/s1", nil))[postedID]; mine == nil || mine["fromMe"] != true {
			t.Fatalf("posted status not listed")
		}
	})
	t.Run("PostMedia", func(t *testing.T) {
		up := p.upload("s1", "file", "foto.png", img)
		expectStatus(t, up, 201)
		mediaID := up.data()["media"].(map[string]any)["id"].(string)
		for name, body := range map[string]map[string]any{
			"Base64":   {"type": "image", "base64": base64.StdEncoding.EncodeToString(img), "caption": "Mi estado"},
			"MediaID":  {"type": "image", "mediaId": mediaID, "caption": "subida"},
			"MediaURL": {"type": "video", "mediaUrl": clip.URL + "/clip.mp4", "caption": "vídeo"},
		} {
			t.Run(name, func(t *testing.T) {
				r := p.api("POST", "/api/status/sessions/s1", body)
				expectStatus(t, r, 200)
				st, msg := r.data()["status"].(map[string]any), r.data()["message"].(map[string]any)
				if msg["status"] != "sent" || st["type"] != body["type"] || st["body"] != body["caption"] || st["hasMedia"] != true {
					t.Fatalf("post: %s", r.Raw)
				}
			})
		}
	})
	t.Run("Idempotent", func(t *testing.T) {
		post := func() reply {
			return p.post("/api/status/sessions/s1", "status-key-1", map[string]any{"text": "una vez"})
		}
		a, b := post(), post()
		expectStatus(t, a, 200)
		expectStatus(t, b, 200)
		if a.data()["status"].(map[string]any)["id"] != b.data()["status"].(map[string]any)["id"] {
			t.Fatalf("a repeated post made a second status:\n%s\n%s", a.Raw, b.Raw)
		}
	})
	t.Run("Reactions", func(t *testing.T) {
		for _, method := range []string{"POST", "DELETE"} {
			r := p.api(method, "/api/status/sessions/s1/statuses/"+textID+"/reactions", map[string]any{"reaction": "👍"})
			expectError(t, r, 501, "NOT_SUPPORTED")
			if !strings.Contains(r.Body["message"].(string), "every recipient") {
				t.Fatalf("the refusal does not say why: %s", r.Raw)
			}
		}
	})
	t.Run("Errors", func(t *testing.T) {
		expectStatus(t, p.api("POST", "/api/sessions", map[string]any{"sessionId": "s2"}), 201)
		for name, tc := range map[string]struct {
			method, path string
			body         any
			status       int
			code         string
		}{
			"UnknownStatus":   {"POST", "/api/status/sessions/s1/statuses/NOPE/view", nil, 404, "NOT_FOUND"},
			"UnknownSession":  {"GET", "/api/status/sessions/nope", nil, 404, "SESSION_NOT_FOUND"},
			"UnknownSession2": {"GET", "/api/status/sessions/nope/active", nil, 404, "SESSION_NOT_FOUND"},
			"PostNoSession":   {"POST", "/api/status/sessions/nope", map[string]any{"text": "x"}, 404, "SESSION_NOT_FOUND"},
			"NotConnected":    {"POST", "/api/status/sessions/s2", map[string]any{"text": "x"}, 400, "SESSION_NOT_CONNECTED"},
			"BadType":         {"POST", "/api/status/sessions/s1", map[string]any{"type": "audio", "mediaUrl": clip.URL}, 400, "VALIDATION_ERROR"},
			"NoText":          {"POST", "/api/status/sessions/s1", map[string]any{"type": "text"}, 400, "VALIDATION_ERROR"},
			"EmptyBody":       {"POST", "/api/status/sessions/s1", nil, 400, "VALIDATION_ERROR"},
			"BadFont":         {"POST", "/api/status/sessions/s1", map[string]any{"text": "x", "font": 9}, 400, "VALIDATION_ERROR"},
			"BadColour":       {"POST", "/api/status/sessions/s1", map[string]any{"text": "x", "backgroundColor": "red"}, 400, "VALIDATION_ERROR"},
			"FileNoType":      {"POST", "/api/status/sessions/s1", map[string]any{"mediaUrl": clip.URL}, 400, "VALIDATION_ERROR"},
			"TwoFiles":        {"POST", "/api/status/sessions/s1", map[string]any{"type": "image", "mediaUrl": clip.URL, "mediaId": "x"}, 400, "VALIDATION_ERROR"},
			"WrongFileType":   {"POST", "/api/status/sessions/s1", map[string]any{"type": "image", "base64": base64.StdEncoding.EncodeToString(mp4Bytes)}, 400, "VALIDATION_ERROR"},
			"UnknownMediaID":  {"POST", "/api/status/sessions/s1", map[string]any{"type": "image", "mediaId": "nope"}, 404, "NOT_FOUND"},
			"BadPage":         {"GET", "/api/status/sessions/s1?page=0", nil, 400, "VALIDATION_ERROR"},
		} {
			t.Run(name, func(t *testing.T) {
				expectError(t, p.api(tc.method, tc.path, tc.body), tc.status, tc.code)
			})
		}
		expectError(t, p.do("GET", "/api/status/sessions/s1", "", nil), 401, "MISSING_API_KEY")
	})
	t.Run("SurvivesRestart", func(t *testing.T) {
		p.crashRestart()
		p.waitStatus("s1", "connected")
		r := p.api("GET", "/api/status/sessions/s1?limit=2", nil)
		expectStatus(t, r, 200)
		if pg := r.data()["pagination"].(map[string]any); pg["total"] != float64(7) || pg["pages"] != float64(4) || len(r.data()["statuses"].([]any)) != 2 {
			t.Fatalf("after restart: %s", r.Raw)
		}
		if st := statusesByID(p.api("GET", "/api/status/sessions/s1?limit=100", nil))[postedID]; st == nil {
			t.Fatal("posted status lost in the restart")
		}
	})
}

// statusesByID indexes a status list answer by WhatsApp id.
func statusesByID(r reply) map[string]map[string]any {
	out := map[string]map[string]any{}
	list, _ := r.data()["statuses"].([]any)
	for _, x := range list {
		st := x.(map[string]any)
		out[st["whatsappMessageId"].(string)] = st
	}
	return out
}

// waitReads polls the sim's read receipts until there are want of them.
func (p *proc) waitReads(session string, want int) []any {
	p.t.Helper()
	var r reply
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		r = p.api("GET", "/api/_sim/sessions/"+session+"/reads", nil)
		if list, _ := r.data()["receipts"].([]any); len(list) >= want {
			return list
		}
	}
	p.t.Fatalf("want %d read receipts: %s", want, r.Raw)
	return nil
}

// post sends a JSON POST with an Idempotency-Key header (recorded like do).
func (p *proc) post(path, key string, body any) reply {
	p.t.Helper()
	b, _ := json.Marshal(body)
	req, _ := http.NewRequest("POST", p.url(path), bytes.NewReader(b))
	req.Header.Set("X-API-Key", apiKey)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Idempotency-Key", key)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		p.t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	record(p.t.Name(), req, resp, raw)
	return rawReply{Status: resp.StatusCode, Header: resp.Header, Body: raw}.json(p.t)
}
