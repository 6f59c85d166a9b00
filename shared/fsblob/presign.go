package fsblob

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	wagate "github.com/wagate/wagate/shared"
)

// linkDomain separates the MAC of download links from any other use of the
// signing key.
const linkDomain = "wagate-fsblob-link-v1."

// link is what a download token carries.
type link struct {
	Key      string `json:"k"`
	Filename string `json:"f,omitempty"`
	Expires  int64  `json:"e"` // unix seconds
}

// PresignGet returns <baseURL>/files/<token>, valid until ttl passes. The
// token is base64url(JSON{key, filename, expiry}) "." base64url(HMAC-SHA256).
// It does not check that the blob exists (like S3).
func (s *Store) PresignGet(ctx context.Context, key, filename string, ttl time.Duration) (string, error) {
	if err := validKey(key); err != nil {
		return "", err
	}
	if ttl <= 0 {
		return "", wagate.Errorf(wagate.EINVALID, "Link lifetime must be positive")
	}
	expires := s.now().Add(ttl)
	payload, err := json.Marshal(link{Key: key, Filename: filename, Expires: expires.Add(time.Second - 1).Unix()}) // rounded up
	if err != nil {
		return "", fmt.Errorf("presign blob %q: %w", key, err)
	}
	body := base64.RawURLEncoding.EncodeToString(payload)
	return s.baseURL + "/files/" + body + "." + base64.RawURLEncoding.EncodeToString(s.sign(body)), nil
}

// Verify checks a token from a /files/<token> link: signature (compared in
// constant time) first, then expiry. It returns the blob key and download
// name. Returns EAUTH for a token that is malformed, tampered with, signed
// with another key or expired.
func (s *Store) Verify(token string) (key, filename string, err error) {
	body, sigText, ok := strings.Cut(token, ".")
	sig, decErr := base64.RawURLEncoding.DecodeString(sigText)
	if !ok || decErr != nil || !hmac.Equal(sig, s.sign(body)) {
		return "", "", wagate.Errorf(wagate.EAUTH, "Invalid download link")
	}
	payload, err := base64.RawURLEncoding.DecodeString(body)
	if err != nil {
		return "", "", wagate.Errorf(wagate.EAUTH, "Invalid download link")
	}
	var l link
	if err := json.Unmarshal(payload, &l); err != nil || validKey(l.Key) != nil {
		return "", "", wagate.Errorf(wagate.EAUTH, "Invalid download link")
	}
	if !s.now().Before(time.Unix(l.Expires, 0)) {
		return "", "", wagate.Errorf(wagate.EAUTH, "Download link expired")
	}
	return l.Key, l.Filename, nil
}

func (s *Store) sign(body string) []byte {
	m := hmac.New(sha256.New, s.signingKey)
	m.Write([]byte(linkDomain))
	m.Write([]byte(body))
	return m.Sum(nil)
}

func (s *Store) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}
