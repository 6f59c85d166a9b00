// Package ids mints the identifiers wagate hands out: command and event ids,
// generated session ids. All id parsing and minting lives here.
package ids

import (
	"crypto/rand"
	"encoding/hex"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// New returns a 26-character, time-ordered, random id (hex of 48-bit
// milliseconds + 56 random bits), suitable for commands, events and
// deliveries. Ids minted later sort after earlier ones (to the millisecond).
func New() string {
	var b [13]byte
	ms := uint64(time.Now().UnixMilli())
	for i := 5; i >= 0; i-- {
		b[i] = byte(ms)
		ms >>= 8
	}
	_, _ = rand.Read(b[6:])
	return hex.EncodeToString(b[:])
}

const base36 = "0123456789abcdefghijklmnopqrstuvwxyz"

// random36 returns n random base-36 characters.
func random36(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	for i := range b {
		b[i] = base36[int(b[i])%len(base36)]
	}
	return string(b)
}

var nonSlug = regexp.MustCompile(`[^a-z0-9]+`)

// NewSessionID generates a session id in the form the seed API shows
// ("prueba23_mho8t3iz_ncbzkh"): a slug of the name (or "session"), the time
// in base 36 and six random characters.
func NewSessionID(name string, now time.Time) string {
	slug := strings.Trim(nonSlug.ReplaceAllString(strings.ToLower(name), ""), "_")
	if len(slug) > 24 {
		slug = slug[:24]
	}
	if slug == "" {
		slug = "session"
	}
	return slug + "_" + strconv.FormatInt(now.UnixMilli(), 36) + "_" + random36(6)
}

// ValidSessionID reports whether s may be used as a client-given session id:
// 1–64 characters of letters, digits, '_', '.', '-', not starting with a
// symbol and not all digits (all-digit keys address the numeric id).
func ValidSessionID(s string) bool {
	if len(s) == 0 || len(s) > 64 || !IsAlnum(s[0]) {
		return false
	}
	digits := true
	for i := range len(s) {
		c := s[i]
		switch {
		case c >= '0' && c <= '9':
		case IsAlnum(c), c == '_', c == '.', c == '-':
			digits = false
		default:
			return false
		}
	}
	if !digits {
		return true
	}
	_, err := strconv.ParseInt(s, 10, 64)
	return err != nil // all digits but too large for an id
}

// IsAlnum reports whether c is an ASCII letter or digit, the alphabet of
// the identifiers checked here and of WhatsApp's invite codes.
func IsAlnum(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}
