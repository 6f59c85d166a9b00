package e2e_test

import "testing"

// TestAPIRateLimit: with a per-key limit configured, requests over it get
// 429 RATE_LIMIT_EXCEEDED; health is never limited.
func TestAPIRateLimit(t *testing.T) {
	p := startWagate(t, "WAGATE_RATE_LIMIT=1", "WAGATE_RATE_BURST=3")
	limited := 0
	for i := 0; i < 10; i++ {
		r := p.api("GET", "/api/sessions", nil)
		switch r.Status {
		case 200:
		case 429:
			expectError(t, r, 429, "RATE_LIMIT_EXCEEDED")
			limited++
		default:
			t.Fatalf("unexpected %d: %s", r.Status, r.Raw)
		}
	}
	if limited < 5 {
		t.Fatalf("only %d of 10 requests limited with a burst of 3", limited)
	}
	expectStatus(t, p.do("GET", "/health", "", nil), 200)
}
