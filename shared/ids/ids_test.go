package ids_test

import (
	"strings"
	"testing"
	"time"

	"github.com/wagate/wagate/shared/ids"
)

func TestNew(t *testing.T) {
	seen := map[string]bool{}
	prev := ""
	for i := 0; i < 1000; i++ {
		id := ids.New()
		if len(id) != 26 || seen[id] {
			t.Fatalf("bad or duplicate id %q", id)
		}
		if id[:12] < prev[:min(12, len(prev))] {
			t.Fatalf("ids not time ordered: %q after %q", id, prev)
		}
		seen[id], prev = true, id
	}
}

func TestNewSessionID(t *testing.T) {
	now := time.Date(2025, 11, 7, 4, 25, 0, 0, time.UTC)
	for _, tc := range []struct{ name, prefix string }{
		{"prueba23", "prueba23_"},
		{"Mi Sesión!", "misesin_"},
		{"", "session_"},
		{"###", "session_"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			id := ids.NewSessionID(tc.name, now)
			if !strings.HasPrefix(id, tc.prefix) || !ids.ValidSessionID(id) {
				t.Fatalf("NewSessionID(%q) = %q", tc.name, id)
			}
		})
	}
}

func TestValidSessionID(t *testing.T) {
	for s, want := range map[string]bool{
		"mi_sesion_123": true, "a": true, "a.b-c": true,
		"": false, "93": false, "_x": false, "../etc": false, "a b": false,
		strings.Repeat("a", 64): true, strings.Repeat("a", 65): false,
		"1a": true, "A_": true, "9": false, "-a": false, ".a": false, "a/b": false, "sesión": false,
		"a\x00": false, "99999999999999999999": true, // all digits but no int64: cannot be an id
		strings.Repeat("9", 65): false,
	} {
		if got := ids.ValidSessionID(s); got != want {
			t.Errorf("ValidSessionID(%q) = %v, want %v", s, got, want)
		}
	}
}
