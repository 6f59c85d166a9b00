package webhook

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"strings"
)

// SignaturePrefix starts every signature header value.
const SignaturePrefix = "sha256="

// Sign returns the value of X-Webhook-Signature (and X-Hub-Signature-256)
// for body: "sha256=" + hex HMAC-SHA256 of the exact body bytes keyed with
// secret. With no secret configured the key is empty: requests are always
// signed, because the CRM rejects unsigned ones.
func Sign(secret string, body []byte) string {
	return SignaturePrefix + hex.EncodeToString(mac(secret, body))
}

// Verify reports whether header is the signature of body under secret,
// comparing in constant time. It accepts what Sign produces and nothing
// else (lower-case hex, the "sha256=" prefix).
func Verify(secret string, body []byte, header string) bool {
	sig, ok := strings.CutPrefix(header, SignaturePrefix)
	if !ok {
		return false
	}
	want := hex.EncodeToString(mac(secret, body))
	return hmac.Equal([]byte(sig), []byte(want))
}

func mac(secret string, body []byte) []byte {
	h := hmac.New(sha256.New, []byte(secret))
	h.Write(body)
	return h.Sum(nil)
}
