package e2e_test

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"image"
	"image/color"
	"image/png"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// connected starts a session and scans its QR code.
func (p *proc) connected(id, phone string) {
	p.t.Helper()
	expectStatus(p.t, p.api("POST", "/api/sessions", map[string]any{"sessionId": id}), 201)
	expectStatus(p.t, p.api("POST", "/api/_sim/sessions/"+id+"/scan", map[string]any{"phoneNumber": phone}), 200)
	p.waitStatus(id, "connected")
}

func pngBytes(t *testing.T) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 8, 8))
	img.Set(1, 1, color.RGBA{255, 0, 0, 255})
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// oggOpus is the start of an Ogg Opus file: enough to be sniffed as ogg.
var oggOpus = append([]byte("OggS\x00\x02\x00\x00\x00\x00\x00\x00\x00\x00\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x01\x13OpusHead\x01\x01\x38\x01\x80\xbb\x00\x00\x00\x00\x00"), make([]byte, 64)...)

// webpBytes is a minimal RIFF/WEBP header.
var webpBytes = append([]byte("RIFF\x24\x00\x00\x00WEBPVP8 \x18\x00\x00\x00"), make([]byte, 32)...)

func TestSendEveryType(t *testing.T) {
	docServer := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/pdf")
		_, _ = w.Write([]byte("%PDF-1.4\n%âãÏÓ\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"))
	}))
	defer docServer.Close()
	p := startWagate(t, "WAGATE_SEND_RATE=0", "WAGATE_ALLOW_PRIVATE_URLS=true")
	p.connected("s1", "34600000001")
	img := base64.StdEncoding.EncodeToString(pngBytes(t))
	vcard := "BEGIN:VCARD\nVERSION:3.0\nFN:Juan Pérez\nTEL;TYPE=CELL:+34612345678\nEND:VCARD"
	for name, body := range map[string]map[string]any{
		"text":     {"to": "34657032985@s.whatsapp.net", "message": "Hola, este es un mensaje de prueba", "type": "text"},
		"textBare": {"to": "34657032985", "message": "sin tipo"},
		"image":    {"to": "34657032985@s.whatsapp.net", "type": "image", "message": map[string]any{"image": map[string]any{"base64": img, "mimetype": "image/png"}, "caption": "Imagen desde base64"}},
		"video":    {"to": "34657032985", "type": "video", "message": map[string]any{"video": map[string]any{"base64": base64.StdEncoding.EncodeToString([]byte("\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom")), "mimetype": "video/mp4"}, "caption": "v"}},
		"voice":    {"to": "34657032985", "type": "audio", "message": map[string]any{"audio": map[string]any{"base64": base64.StdEncoding.EncodeToString(oggOpus), "mimetype": "audio/ogg; codecs=opus"}, "ptt": true}},
		"document": {"to": "34657032985", "type": "document", "message": map[string]any{"document": map[string]any{"url": docServer.URL + "/doc.pdf", "fileName": "documento.pdf", "mimetype": "application/pdf"}, "caption": "Descripción"}},
		"location": {"to": "34657032985", "type": "location", "message": map[string]any{"location": map[string]any{"degreesLatitude": 40.4168, "degreesLongitude": -3.7038, "name": "Madrid", "address": "Plaza Mayor"}}},
		"locShort": {"to": "34657032985", "type": "location", "message": map[string]any{"lat": 40.4168, "lng": -3.7038, "name": "Madrid"}},
		"contact":  {"to": "34657032985", "type": "contact", "message": map[string]any{"contacts": map[string]any{"displayName": "Juan Pérez", "contacts": []any{map[string]any{"vcard": vcard}}}}},
		"contacts": {"to": "34657032985", "type": "contact", "message": map[string]any{"contacts": map[string]any{"displayName": "Two", "contacts": []any{map[string]any{"vcard": vcard}, map[string]any{"vcard": vcard}}}}},
		"sticker":  {"to": "34657032985", "type": "sticker", "message": map[string]any{"sticker": map[string]any{"base64": base64.StdEncoding.EncodeToString(webpBytes), "mimetype": "image/webp"}}},
		"group":    {"to": "120363025246125486@g.us", "message": "al grupo"},
		"lid":      {"to": "123456789012345@lid", "message": "a un LID"},
	} {
		t.Run(name, func(t *testing.T) {
			r := p.api("POST", "/api/messages/s1/send", body)
			expectStatus(t, r, 200)
			m := r.data()["message"].(map[string]any)
			wid, _ := m["whatsappMessageId"].(string)
			if m["status"] != "sent" || !strings.HasPrefix(wid, "3EB0") || m["fromMe"] != true || m["id"].(float64) < 1 {
				t.Fatalf("send answer: %s", r.Raw)
			}
			for _, k := range []string{"chatId", "body", "type", "timestamp"} {
				if _, ok := m[k]; !ok {
					t.Fatalf("message lacks %s: %s", k, r.Raw)
				}
			}
		})
	}
	list := p.api("GET", "/api/messages/s1?fromMe=true&limit=100", nil)
	if total := list.data()["pagination"].(map[string]any)["total"]; total != float64(13) {
		t.Fatalf("stored sends: %v", total)
	}
}

func TestSendValidation(t *testing.T) {
	p := startWagate(t, "WAGATE_SEND_RATE=0")
	p.connected("s1", "34600000001")
	expectStatus(t, p.api("POST", "/api/sessions", map[string]any{"sessionId": "down"}), 201)
	for name, tc := range map[string]struct {
		session string
		body    map[string]any
		status  int
		code    string
	}{
		"noTo":         {"s1", map[string]any{"message": "x"}, 400, "VALIDATION_ERROR"},
		"badTo":        {"s1", map[string]any{"to": "hello", "message": "x"}, 400, "VALIDATION_ERROR"},
		"tooLong":      {"s1", map[string]any{"to": "34657032985", "message": strings.Repeat("a", 4097)}, 400, "VALIDATION_ERROR"},
		"badType":      {"s1", map[string]any{"to": "34657032985", "message": "x", "type": "poll"}, 400, "VALIDATION_ERROR"},
		"noSource":     {"s1", map[string]any{"to": "34657032985", "type": "image", "message": map[string]any{"image": map[string]any{}}}, 400, "VALIDATION_ERROR"},
		"pttMp3":       {"s1", map[string]any{"to": "34657032985", "type": "audio", "message": map[string]any{"audio": map[string]any{"base64": "SUQzAwAAAAAAAA==", "mimetype": "audio/mpeg"}, "ptt": true}}, 400, "VALIDATION_ERROR"},
		"stickerPng":   {"s1", map[string]any{"to": "34657032985", "type": "sticker", "message": map[string]any{"sticker": map[string]any{"base64": base64.StdEncoding.EncodeToString(pngBytes(t)), "mimetype": "image/png"}}}, 400, "VALIDATION_ERROR"},
		"privateURL":   {"s1", map[string]any{"to": "34657032985", "type": "image", "message": map[string]any{"image": map[string]any{"url": "http://169.254.169.254/latest/meta-data"}}}, 400, "VALIDATION_ERROR"},
		"badLat":       {"s1", map[string]any{"to": "34657032985", "type": "location", "message": map[string]any{"lat": 91, "lng": 0}}, 400, "VALIDATION_ERROR"},
		"pathOff":      {"s1", map[string]any{"to": "34657032985", "type": "image", "message": map[string]any{"image": map[string]any{"path": "../../etc/passwd"}}}, 400, "VALIDATION_ERROR"},
		"unknownMedia": {"s1", map[string]any{"to": "34657032985", "type": "image", "message": map[string]any{"image": map[string]any{"mediaId": "nope"}}}, 404, "NOT_FOUND"},
		"notConnected": {"down", map[string]any{"to": "34657032985", "message": "x"}, 400, "SESSION_NOT_CONNECTED"},
		"noSession":    {"ghost", map[string]any{"to": "34657032985", "message": "x"}, 404, "SESSION_NOT_FOUND"},
	} {
		t.Run(name, func(t *testing.T) {
			expectError(t, p.api("POST", "/api/messages/"+tc.session+"/send", tc.body), tc.status, tc.code)
		})
	}
	list := p.api("GET", "/api/messages/s1", nil)
	if total := list.data()["pagination"].(map[string]any)["total"]; total != float64(0) {
		t.Fatalf("a rejected send stored something: %s", list.Raw)
	}
}

// sendWithKey posts a text with an Idempotency-Key header.
func (p *proc) sendWithKey(session, key, text string) reply {
	p.t.Helper()
	req, _ := http.NewRequest("POST", p.url("/api/messages/"+session+"/send"), strings.NewReader(`{"to":"34657032985","message":"`+text+`"}`))
	req.Header.Set("X-API-Key", apiKey)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Idempotency-Key", key)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		p.t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	r := reply{Status: resp.StatusCode, Raw: raw}
	_ = json.Unmarshal(raw, &r.Body)
	return r
}

func TestIdempotentSend(t *testing.T) {
	p := startWagate(t, "WAGATE_SEND_RATE=0")
	p.connected("s1", "34600000001")
	a := p.sendWithKey("s1", "order-42", "once")
	b := p.sendWithKey("s1", "order-42", "once")
	expectStatus(t, a, 200)
	expectStatus(t, b, 200)
	ma, mb := a.data()["message"].(map[string]any), b.data()["message"].(map[string]any)
	if ma["id"] != mb["id"] || ma["whatsappMessageId"] != mb["whatsappMessageId"] {
		t.Fatalf("a repeated request made a new message: %s vs %s", a.Raw, b.Raw)
	}
	c := p.api("POST", "/api/messages/s1/send", map[string]any{"to": "34657032985", "message": "once", "messageId": "order-42"})
	if c.data()["message"].(map[string]any)["id"] != ma["id"] {
		t.Fatalf("body messageId not honoured: %s", c.Raw)
	}
	sent := p.api("GET", "/api/_sim/sessions/s1/sent", nil)
	expectStatus(t, sent, 200)
	if n := sent.data()["count"]; n != float64(1) {
		t.Fatalf("the network got %v messages, want 1: %s", n, sent.Raw)
	}
}

// TestCrashBetweenQueueAndSend: paced sends wait in the queue; the process
// is killed; after the restart each is sent exactly once.
func TestCrashBetweenQueueAndSend(t *testing.T) {
	p := startWagate(t, "WAGATE_SEND_RATE=0.5", "WAGATE_SEND_BURST=1", "WAGATE_SEND_WAIT=0")
	p.connected("s1", "34600000001")
	var ids []string
	for i := 0; i < 4; i++ {
		r := p.api("POST", "/api/messages/s1/send", map[string]any{"to": "34657032985", "message": "paced " + string(rune('a'+i))})
		expectStatus(t, r, 200)
		ids = append(ids, r.data()["message"].(map[string]any)["whatsappMessageId"].(string))
	}
	pending := p.api("GET", "/api/messages/s1?fromMe=true", nil)
	if !strings.Contains(string(pending.Raw), `"status":"pending"`) {
		t.Fatalf("nothing waited in the queue: %s", pending.Raw)
	}
	p.crashRestart()
	p.waitStatus("s1", "connected")
	deadline := time.Now().Add(20 * time.Second)
	for {
		r := p.api("GET", "/api/messages/s1?fromMe=true", nil)
		if !strings.Contains(string(r.Raw), `"status":"pending"`) {
			if strings.Count(string(r.Raw), `"status":"sent"`) != 4 {
				t.Fatalf("after restart: %s", r.Raw)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("queued sends never left: %s", r.Raw)
		}
		time.Sleep(100 * time.Millisecond)
	}
	sent := p.api("GET", "/api/_sim/sessions/s1/sent", nil)
	for _, id := range ids {
		if c := strings.Count(string(sent.Raw), id); c > 1 {
			t.Fatalf("%s reached the network %d times: %s", id, c, sent.Raw)
		}
	}
}
