package webhook_test

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"strings"
	"testing"

	"github.com/wagate/wagate/shared/webhook"
)

// seedBody is the seed's message.received example, as one line.
const seedBody = `{"event":"message.received","data":{"sessionId":"prueba23_mho8t3iz_ncbzkh","session_db_id":93,"message":{"whatsappMessageId":"3EB0DECC554F433B2DE158","content":"Hola, este es un mensaje recibido","chatId":"34657032985@s.whatsapp.net","from":"34657032985@s.whatsapp.net","to":"prueba23_mho8t3iz_ncbzkh","timestamp":1699332304,"type":"text","has_attachment":false,"media":null}}}`

// seedVerify is the seed's Python verify_webhook_signature, transcribed
// line by line, over an HMAC written out from SHA-256 (RFC 2104) so it
// shares no code with the package under test.
func seedVerify(payload []byte, header, secret string) bool {
	if header == "" || !strings.HasPrefix(header, "sha256=") {
		return false
	}
	expected := strings.ReplaceAll(header, "sha256=", "")
	computed := hex.EncodeToString(rfc2104(sha256Block, []byte(secret), payload))
	return subtle.ConstantTimeCompare([]byte(computed), []byte(expected)) == 1
}

const sha256Block = 64

func rfc2104(block int, key, msg []byte) []byte {
	if len(key) > block {
		sum := sha256.Sum256(key)
		key = sum[:]
	}
	k := make([]byte, block)
	copy(k, key)
	inner, outer := make([]byte, 0, block+len(msg)), make([]byte, 0, block+sha256.Size)
	for _, b := range k {
		inner = append(inner, b^0x36)
		outer = append(outer, b^0x5c)
	}
	ih := sha256.Sum256(append(inner, msg...))
	oh := sha256.Sum256(append(outer, ih[:]...))
	return oh[:]
}

func TestSign(t *testing.T) {
	t.Run("KnownAnswers", func(t *testing.T) {
		for _, tc := range []struct {
			name, secret, body, want string
		}{
			// RFC 4231, test case 2.
			{"RFC4231Case2", "Jefe", "what do ya want for nothing?", "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"},
			{"EmptyKeyEmptyBody", "", "", "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad"},
			// Computed with Python's hmac, as the CRM does.
			{"SeedBody", "tu_secreto_seguro", seedBody, "cfad4f0754b189e6b872706b8e3e30f36d7b0f15c4c910a64d023bef75d0d4bd"},
			{"SeedBodyNoSecret", "", seedBody, "9f4149c2cc9782894f136c7c082adf2ef6ff77e4cc0090911b00c55ef9d6ad82"},
			{"UTF8", "clé", "ñandú ✓", "60acc86fa0f555c7c51079636b4a279d586b8c6549bb9ed1eb6032f1851e2728"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				if got := webhook.Sign(tc.secret, []byte(tc.body)); got != "sha256="+tc.want {
					t.Fatalf("Sign = %s, want sha256=%s", got, tc.want)
				}
			})
		}
	})

	t.Run("SeedVerifierAccepts", func(t *testing.T) {
		long := strings.Repeat("k", 100) // longer than the block: hashed first
		for _, secret := range []string{"", "s3cret", long, "clé"} {
			for _, body := range []string{"", "{}", seedBody, `{"event":"x","data":{"t":"<&>"}}`} {
				sig := webhook.Sign(secret, []byte(body))
				if !seedVerify([]byte(body), sig, secret) {
					t.Fatalf("seed verifier rejects Sign(%q, %q) = %s", secret, body, sig)
				}
				if !webhook.Verify(secret, []byte(body), sig) {
					t.Fatalf("Verify rejects Sign(%q, %q)", secret, body)
				}
			}
		}
	})

	t.Run("ErrTampered", func(t *testing.T) {
		body := []byte(seedBody)
		sig := webhook.Sign("s3cret", body)
		for _, tc := range []struct {
			name, secret, body, header string
		}{
			{"OtherSecret", "other", seedBody, sig},
			{"OtherBody", "s3cret", seedBody + " ", sig},
			{"NoPrefix", "s3cret", seedBody, strings.TrimPrefix(sig, "sha256=")},
			{"Empty", "s3cret", seedBody, ""},
			{"Truncated", "s3cret", seedBody, sig[:len(sig)-2]},
			{"UpperCase", "s3cret", seedBody, "sha256=" + strings.ToUpper(strings.TrimPrefix(sig, "sha256="))},
		} {
			t.Run(tc.name, func(t *testing.T) {
				if webhook.Verify(tc.secret, []byte(tc.body), tc.header) {
					t.Fatal("Verify accepted")
				}
				if seedVerify([]byte(tc.body), tc.header, tc.secret) {
					t.Fatal("the seed verifier accepted")
				}
			})
		}
	})
}
