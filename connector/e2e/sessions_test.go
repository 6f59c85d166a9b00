package e2e_test

import (
	"strings"
	"testing"
	"time"
)

// TestSessionLifecycleSurvivesCrashes walks a session through its whole life
// with the process SIGKILLed and restarted between steps.
func TestSessionLifecycleSurvivesCrashes(t *testing.T) {
	p := startWagate(t)

	// create → QR
	r := p.api("POST", "/api/sessions", map[string]any{"sessionId": "e2e_one", "sessionName": "E2E one", "phoneNumber": "34600000001"})
	expectStatus(t, r, 201)
	d := r.data()
	sess, _ := d["session"].(map[string]any)
	if d["sessionId"] != "e2e_one" || d["status"] != "qr_code" || sess["sessionId"] != "e2e_one" || sess["status"] != "qr_code" {
		t.Fatalf("create answer: %s", r.Raw)
	}
	id, _ := d["id"].(float64)
	if id < 1 || sess["id"] != id {
		t.Fatalf("numeric id missing or differs: %s", r.Raw)
	}
	if qr, _ := d["qrCode"].(string); !strings.HasPrefix(qr, "data:image/png;base64,") {
		t.Fatalf("qrCode is not a PNG data URL: %.80s", qr)
	}
	qr := p.api("GET", "/api/sessions/e2e_one/qr", nil)
	expectStatus(t, qr, 200)
	exp, err := time.Parse(time.RFC3339, qr.data()["expiresAt"].(string))
	if err != nil || !exp.After(time.Now()) {
		t.Fatalf("qr expiresAt: %s", qr.Raw)
	}

	// crash while showing the QR: the session is back and shows a QR again
	p.crashRestart()
	p.waitStatus("e2e_one", "qr_code")

	// scan → connected, addressed by the numeric id
	numeric := "1"
	expectStatus(t, p.api("POST", "/api/_sim/sessions/"+numeric+"/scan", map[string]any{"phoneNumber": "34600000001", "pushName": "Ana"}), 200)
	st := p.waitStatus(numeric, "connected")
	if st["isConnected"] != true || st["phoneNumber"] != "34600000001" || st["hasQR"] != false || st["lastActivity"] == nil {
		t.Fatalf("connected status: %v", st)
	}
	expectError(t, p.api("GET", "/api/sessions/e2e_one/qr", nil), 404, "NOT_FOUND")

	// crash while connected: reconnects by itself from stored credentials
	p.crashRestart()
	p.waitStatus("e2e_one", "connected")
	get := p.api("GET", "/api/sessions/e2e_one", nil)
	expectStatus(t, get, 200)
	if prof := get.data()["session"].(map[string]any)["profile"].(map[string]any); prof["name"] != "Ana" {
		t.Fatalf("profile after restart: %s", get.Raw)
	}

	// disconnect: stays down across a crash
	r = p.api("POST", "/api/sessions/e2e_one/disconnect", nil)
	expectStatus(t, r, 200)
	if r.data()["status"] != "disconnected" {
		t.Fatalf("disconnect answer: %s", r.Raw)
	}
	p.crashRestart()
	time.Sleep(300 * time.Millisecond)
	if s := p.waitStatus("e2e_one", "disconnected"); s["reason"] != "user_request" {
		t.Fatalf("reason after disconnect: %v", s)
	}

	// connect: paired, so no QR this time
	r = p.api("POST", "/api/sessions/e2e_one/connect", nil)
	expectStatus(t, r, 200)
	p.waitStatus("e2e_one", "connected")

	// restart
	expectStatus(t, p.api("POST", "/api/sessions/e2e_one/restart", nil), 200)
	p.waitStatus("e2e_one", "connected")
	p.crashRestart()
	p.waitStatus("e2e_one", "connected")

	// delete: gone, also after a crash; the numeric id is never reused
	expectStatus(t, p.api("DELETE", "/api/sessions/e2e_one", nil), 200)
	expectError(t, p.api("GET", "/api/sessions/e2e_one/status", nil), 404, "SESSION_NOT_FOUND")
	p.crashRestart()
	expectError(t, p.api("GET", "/api/sessions/e2e_one", nil), 404, "SESSION_NOT_FOUND")
	r = p.api("POST", "/api/sessions", map[string]any{"sessionId": "e2e_two"})
	expectStatus(t, r, 201)
	if r.data()["id"].(float64) <= id {
		t.Fatalf("numeric id reused: %s", r.Raw)
	}
}

// TestPhoneLogoutAndGracefulStop: the phone unlinks the device; SIGTERM
// stops the process cleanly and the next start resumes the live sessions.
func TestPhoneLogoutAndGracefulStop(t *testing.T) {
	p := startWagate(t)
	for _, id := range []string{"a1", "a2"} {
		expectStatus(t, p.api("POST", "/api/sessions", map[string]any{"sessionId": id}), 201)
		expectStatus(t, p.api("POST", "/api/_sim/sessions/"+id+"/scan", nil), 200)
		p.waitStatus(id, "connected")
	}
	expectStatus(t, p.api("POST", "/api/_sim/sessions/a1/logout", nil), 200)
	if s := p.waitStatus("a1", "disconnected"); s["reason"] != "logged_out" {
		t.Fatalf("reason after phone logout: %v", s)
	}
	expectStatus(t, p.api("POST", "/api/_sim/sessions/a2/drop", nil), 200)
	p.waitStatus("a2", "connected")

	if err := p.stop(); err != nil {
		t.Fatalf("graceful stop: %v\n%s", err, p.out)
	}
	p.start()
	p.waitStatus("a2", "connected")
	// a logged-out session needs a new QR scan
	expectStatus(t, p.api("POST", "/api/sessions/a1/connect", nil), 200)
	p.waitStatus("a1", "qr_code")
}
