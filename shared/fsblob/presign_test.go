package fsblob_test

import (
	"bytes"
	"encoding/base64"
	"path/filepath"
	"strings"
	"testing"
	"time"

	wagate "github.com/wagate/wagate/shared"
	"github.com/wagate/wagate/shared/fsblob"
)

func TestPresign(t *testing.T) {
	// link presigns key on s and returns the token of the URL.
	link := func(t *testing.T, s *fsblob.Store, key, filename string, ttl time.Duration) string {
		t.Helper()
		u, err := s.PresignGet(t.Context(), key, filename, ttl)
		if err != nil {
			t.Fatal(err)
		}
		const prefix = "http://localhost:8084/api/files/"
		if !strings.HasPrefix(u, prefix) {
			t.Fatalf("PresignGet = %q, want %s<token>", u, prefix)
		}
		return strings.TrimPrefix(u, prefix)
	}

	t.Run("OK", func(t *testing.T) {
		s := MustNew(t)
		token := link(t, s, "media/s1/a b.jpg", "foto ñ.jpg", time.Minute)
		key, filename, err := s.Verify(token)
		if err != nil || key != "media/s1/a b.jpg" || filename != "foto ñ.jpg" {
			t.Fatalf("Verify = %q, %q, %v", key, filename, err)
		}
	})

	t.Run("ErrExpired", func(t *testing.T) {
		s := MustNew(t)
		now := time.Now()
		s.Now = func() time.Time { return now }
		token := link(t, s, "k", "f", time.Minute)
		s.Now = func() time.Time { return now.Add(59 * time.Second) }
		if _, _, err := s.Verify(token); err != nil {
			t.Fatalf("Verify before expiry: %v", err)
		}
		s.Now = func() time.Time { return now.Add(61 * time.Second) }
		_, _, err := s.Verify(token)
		wantCode(t, "k", err, wagate.EAUTH)
	})

	t.Run("ErrTampered", func(t *testing.T) {
		s := MustNew(t)
		token := link(t, s, "media/s1/mine.jpg", "f", time.Hour)
		body, sig, _ := strings.Cut(token, ".")
		forged := base64.RawURLEncoding.EncodeToString([]byte(`{"k":"media/s2/theirs.jpg","e":99999999999}`))
		flipped := []byte(sig)
		flipped[3] ^= 1
		otherKey, err := fsblob.New(filepath.Join(t.TempDir(), "b"), "http://localhost:8084/api", bytes.Repeat([]byte("x"), 32))
		if err != nil {
			t.Fatal(err)
		}
		for name, bad := range map[string]string{
			"Empty":          "",
			"NoSignature":    body,
			"EmptySignature": body + ".",
			"ForgedBody":     forged + "." + sig,
			"FlippedSig":     body + "." + string(flipped),
			"TruncatedSig":   body + "." + sig[:10],
			"NotBase64":      body + ".!!!",
			"Extra":          token + "x",
			"OtherStoreKey":  link(t, otherKey, "media/s1/mine.jpg", "f", time.Hour),
		} {
			if _, _, err := s.Verify(bad); wagate.ErrorCode(err) != wagate.EAUTH {
				t.Errorf("%s: Verify = %v, want EAUTH", name, err)
			}
		}
	})

	t.Run("ErrInvalidTTL", func(t *testing.T) {
		s := MustNew(t)
		_, err := s.PresignGet(t.Context(), "k", "f", 0)
		wantCode(t, "k", err, wagate.EINVALID)
	})
}
