package e2e_test

import (
	"strings"
	"testing"
)

// TestAPIContract checks authentication, envelopes, validation and the
// session routes' shapes from the seed and client-compat documents.
func TestAPIContract(t *testing.T) {
	p := startWagate(t)

	t.Run("HealthWithoutKey", func(t *testing.T) {
		expectStatus(t, p.do("GET", "/health", "", nil), 200)
	})
	t.Run("MissingKey", func(t *testing.T) {
		expectError(t, p.do("GET", "/api/sessions", "", nil), 401, "MISSING_API_KEY")
	})
	t.Run("WrongKey", func(t *testing.T) {
		expectError(t, p.do("GET", "/api/sessions", "nope", nil), 401, "AUTHENTICATION_FAILED")
	})
	t.Run("UnknownRoute", func(t *testing.T) {
		expectError(t, p.api("GET", "/api/nothing-here", nil), 404, "NOT_FOUND")
	})
	t.Run("UnknownSession", func(t *testing.T) {
		for _, path := range []string{"/api/sessions/nope", "/api/sessions/nope/status", "/api/sessions/999/qr", "/api/sessions/nope/frappe/status"} {
			expectError(t, p.api("GET", path, nil), 404, "SESSION_NOT_FOUND")
		}
		expectError(t, p.api("POST", "/api/sessions/nope/connect", nil), 404, "SESSION_NOT_FOUND")
		expectError(t, p.api("DELETE", "/api/sessions/nope", nil), 404, "SESSION_NOT_FOUND")
	})
	t.Run("ValidationChangesNothing", func(t *testing.T) {
		for name, body := range map[string]any{
			"badSessionId": map[string]any{"sessionId": "../x"},
			"badPhone":     map[string]any{"sessionId": "v1", "phoneNumber": "abc"},
			"badWebhook":   map[string]any{"sessionId": "v1", "webhookUrl": "ftp://x"},
			"badEvents":    map[string]any{"sessionId": "v1", "webhookEvents": []string{"nope"}},
			"wrongType":    map[string]any{"sessionId": 12},
		} {
			t.Run(name, func(t *testing.T) {
				expectError(t, p.api("POST", "/api/sessions", body), 400, "VALIDATION_ERROR")
			})
		}
		r := p.api("GET", "/api/sessions", nil)
		if total := r.data()["pagination"].(map[string]any)["total"]; total != float64(0) {
			t.Fatalf("a rejected create left something: %s", r.Raw)
		}
	})

	t.Run("FrappeCreateAndList", func(t *testing.T) {
		r := p.do("POST", "/api/sessions", apiKey, map[string]any{"sessionId": "crm_1", "sessionName": "CRM", "fromFrappe": true})
		expectStatus(t, r, 201)
		expectError(t, p.api("POST", "/api/sessions", map[string]any{"sessionId": "crm_1"}), 409, "SESSION_EXISTS")
		fs := p.api("GET", "/api/sessions/crm_1/frappe/status", nil)
		if fs.data()["sendToFrappe"] != true || fs.data()["sessionName"] != "CRM" {
			t.Fatalf("frappe status: %s", fs.Raw)
		}
		expectStatus(t, p.api("POST", "/api/sessions", map[string]any{"sessionName": "Generated"}), 201)
		list := p.api("GET", "/api/sessions?page=1&limit=200", nil)
		expectStatus(t, list, 200)
		pg := list.data()["pagination"].(map[string]any)
		if pg["limit"] != float64(100) || pg["total"] != float64(2) || pg["pages"] != float64(1) {
			t.Fatalf("pagination: %s", list.Raw)
		}
		ss := list.data()["sessions"].([]any)
		first := ss[0].(map[string]any)
		for _, k := range []string{"id", "sessionId", "status", "phoneNumber", "lastActivity", "isConnected", "hasQR", "sessionName"} {
			if _, ok := first[k]; !ok {
				t.Fatalf("list item lacks %s: %s", k, list.Raw)
			}
		}
		expectStatus(t, p.api("GET", "/api/sessions?status=connected", nil), 200)
		expectError(t, p.api("GET", "/api/sessions?status=bogus", nil), 400, "VALIDATION_ERROR")
		expectError(t, p.api("GET", "/api/sessions?page=0", nil), 400, "VALIDATION_ERROR")
	})

	t.Run("WebhookSettings", func(t *testing.T) {
		r := p.api("PUT", "/api/sessions/crm_1/webhook", map[string]any{"webhookUrl": "https://crm.example.com/hook", "webhookSecret": "s3cret"})
		expectStatus(t, r, 200)
		if r.data()["webhookUrl"] != "https://crm.example.com/hook" || r.data()["hasWebhookSecret"] != true {
			t.Fatalf("webhook answer: %s", r.Raw)
		}
		get := p.api("GET", "/api/sessions/crm_1", nil)
		if string(get.Raw) == "" || strings.Contains(string(get.Raw), "s3cret") {
			t.Fatalf("the webhook secret must never be returned: %s", get.Raw)
		}
		off := p.api("POST", "/api/sessions/crm_1/frappe/configure", map[string]any{"sendToFrappe": false})
		if off.data()["sendToFrappe"] != false {
			t.Fatalf("frappe configure: %s", off.Raw)
		}
		expectError(t, p.api("PUT", "/api/sessions/crm_1/webhook", map[string]any{"webhookUrl": "not a url"}), 400, "VALIDATION_ERROR")
	})

	t.Run("ContactsAndEmptyBodies", func(t *testing.T) {
		c := p.api("GET", "/api/sessions/crm_1/contacts", nil)
		expectStatus(t, c, 200)
		if _, ok := c.data()["contacts"].([]any); !ok || c.data()["source"] != "whatsapp" {
			t.Fatalf("contacts: %s", c.Raw)
		}
		// POST with Content-Type: application/json and no body at all
		expectStatus(t, p.api("POST", "/api/sessions/crm_1/restart", nil), 200)
		expectStatus(t, p.api("POST", "/api/sessions/crm_1/connect", nil), 200)
	})

	t.Run("PairingCode", func(t *testing.T) {
		expectStatus(t, p.api("POST", "/api/sessions", map[string]any{"sessionId": "pair_1"}), 201)
		expectError(t, p.api("POST", "/api/sessions/pair_1/pairing-code", map[string]any{"phoneNumber": "12"}), 400, "VALIDATION_ERROR")
		r := p.api("POST", "/api/sessions/pair_1/pairing-code", map[string]any{"phoneNumber": "34600000077"})
		expectStatus(t, r, 200)
		if code, _ := r.data()["pairingCode"].(string); len(code) < 8 {
			t.Fatalf("pairing code: %s", r.Raw)
		}
		p.waitStatus("pair_1", "connected")
	})
}
