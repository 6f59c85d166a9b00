package e2e_test

import (
	"testing"
)

// TestContacts: the contact routes of the seed and client-compat on the
// simulated network, whose accounts know three seeded contacts (Ana, Bruno,
// the business "Tienda Carla") plus everyone who writes to them; numbers
// ending in 404 are not on WhatsApp.
func TestContacts(t *testing.T) {
	p := startWagate(t, "WAGATE_SEND_RATE=0")
	p.connected("c1", "34600000001")
	p.inbound("c1", map[string]any{"from": "34611111111", "pushName": "Zoe", "type": "text", "content": "hola"})

	t.Run("List", func(t *testing.T) {
		r := p.waitTotal("/api/contacts/c1?limit=200", 4)
		expectStatus(t, r, 200)
		d := r.data()
		if pg := d["pagination"].(map[string]any); pg["total"] != float64(4) || pg["limit"] != float64(100) || d["total"] != float64(4) {
			t.Fatalf("pagination: %s", r.Raw)
		}
		first := d["contacts"].([]any)[0].(map[string]any)
		for _, k := range []string{"id", "name", "notify", "verifiedName", "imgUrl", "isUser", "isGroup", "isWAContact", "phone"} {
			if _, ok := first[k]; !ok {
				t.Fatalf("contact lacks %s: %v", k, first)
			}
		}
		if first["name"] != "Ana García" || first["isUser"] != true || first["isGroup"] != false || first["phone"] != "34600000101" {
			t.Fatalf("first contact (by name): %v", first)
		}
		for search, want := range map[string]float64{"zoe": 1, "%2B34%20611": 1, "tienda": 1, "nobody": 0} {
			got := p.api("GET", "/api/contacts/c1?search="+search, nil)
			if got.data()["total"] != want {
				t.Errorf("search %q: %s", search, got.Raw)
			}
		}
		s := p.api("GET", "/api/sessions/c1/contacts", nil)
		if s.data()["total"] != float64(4) || s.data()["source"] != "whatsapp" || len(s.data()["contacts"].([]any)) != 4 {
			t.Fatalf("session contacts: %s", s.Raw)
		}
	})

	t.Run("Search", func(t *testing.T) {
		known := p.api("GET", "/api/contacts/c1/search/34600000101", nil)
		c, _ := known.data()["contact"].(map[string]any)
		if known.data()["exists"] != true || c["name"] != "Ana García" || c["id"] != "34600000101@s.whatsapp.net" {
			t.Fatalf("known number: %s", known.Raw)
		}
		live := p.api("GET", "/api/contacts/c1/search/+34600000777", nil)
		if live.data()["exists"] != true || live.data()["contact"].(map[string]any)["id"] != "34600000777@s.whatsapp.net" {
			t.Fatalf("number checked live: %s", live.Raw)
		}
		none := p.api("GET", "/api/contacts/c1/search/34600000404", nil)
		expectStatus(t, none, 200)
		if none.data()["exists"] != false || none.data()["contact"] != nil {
			t.Fatalf("number not on WhatsApp: %s", none.Raw)
		}
		expectError(t, p.api("GET", "/api/contacts/c1/search/12ab", nil), 400, "VALIDATION_ERROR")
	})

	t.Run("Info", func(t *testing.T) {
		r := p.api("GET", "/api/contacts/c1/info/34600000103", nil)
		expectStatus(t, r, 200)
		c := r.data()["contact"].(map[string]any)
		biz, _ := c["businessProfile"].(map[string]any)
		if c["id"] != "34600000103@s.whatsapp.net" || c["verifiedName"] != "Tienda Carla SL" || c["status"] != "Abierto de 9 a 21" ||
			c["lastSeen"] != nil || biz["email"] != "hola@tiendacarla.example" {
			t.Fatalf("info: %s", r.Raw)
		}
		pic, _ := r.data()["profilePicUrl"].(string)
		if pic == "" || c["imgUrl"] != pic {
			t.Fatalf("profilePicUrl under data and imgUrl in the contact: %s", r.Raw)
		}
		again := p.api("GET", "/api/contacts/c1/info/34600000103@s.whatsapp.net", nil)
		if again.data()["contact"].(map[string]any)["fetchedAt"] != c["fetchedAt"] {
			t.Fatalf("a second look-up within the TTL asked WhatsApp again: %s", again.Raw)
		}
		plain := p.api("GET", "/api/contacts/c1/info/34611111111", nil)
		if pc := plain.data()["contact"].(map[string]any); pc["notify"] != "Zoe" || pc["status"] != "Hey there! I am using WhatsApp." || plain.data()["profilePicUrl"] != nil {
			t.Fatalf("plain user: %s", plain.Raw)
		}
		expectError(t, p.api("GET", "/api/contacts/c1/info/34600000404", nil), 404, "NOT_FOUND")
		expectError(t, p.api("GET", "/api/contacts/c1/info/120363000000000001@g.us", nil), 400, "VALIDATION_ERROR")
	})

	t.Run("Stats", func(t *testing.T) {
		r := p.api("GET", "/api/contacts/c1/stats", nil)
		st := r.data()["stats"].(map[string]any)
		// the look-up of 34600000777 (search) is not cached as a contact; the
		// info look-ups of 34600000103 and 34611111111 are (already contacts)
		want := map[string]float64{"total": 4, "users": 4, "groups": 0, "wAContacts": 4, "withNames": 2, "withProfilePics": 1}
		for k, v := range want {
			if st[k] != v {
				t.Fatalf("stats.%s = %v, want %v: %s", k, st[k], v, r.Raw)
			}
		}
	})

	t.Run("Errors", func(t *testing.T) {
		for _, path := range []string{"/api/contacts/nope", "/api/contacts/nope/stats", "/api/contacts/nope/search/34600000777", "/api/contacts/nope/info/34600000777"} {
			expectError(t, p.api("GET", path, nil), 404, "SESSION_NOT_FOUND")
		}
		expectStatus(t, p.api("POST", "/api/sessions", map[string]any{"sessionId": "idle"}), 201)
		expectError(t, p.api("GET", "/api/contacts/idle/search/34600000777", nil), 400, "SESSION_NOT_CONNECTED")
		expectError(t, p.api("GET", "/api/contacts/idle/info/34600000777", nil), 400, "SESSION_NOT_CONNECTED")
		expectStatus(t, p.api("GET", "/api/contacts/idle", nil), 200)
	})
}
