package waengine

import (
	"strings"

	"github.com/wagate/wagate/shared/jid"
)

// WhatsApp shows a shared contact's "Message" and "Add" buttons only for
// phone numbers that carry a waid parameter with the number's digits:
//
//	TEL;type=CELL;waid=34600000000:+34 600 00 00 00
//
// This file holds the pure vCard edits done before sending a contact.

// vcardWithWAID returns vcard with a waid parameter added to every TEL line
// that has none and whose number is international (a leading + or 00, or
// bare digits without a leading 0): the waid is the number's digits with
// the country code. Numbers in national form (leading 0) are left alone:
// their country cannot be known. Line endings, folding and every other line
// are kept as they are.
func vcardWithWAID(vcard string) string {
	var b strings.Builder
	changed := false
	for line := range strings.Lines(vcard) {
		if withWAID, ok := telLineWithWAID(line); ok {
			line, changed = withWAID, true
		}
		b.WriteString(line)
	}
	if !changed {
		return vcard
	}
	return b.String()
}

// telLineWithWAID adds the waid parameter to one TEL line (with its line
// ending, if any); ok is false when the line is left as it is.
func telLineWithWAID(line string) (string, bool) {
	body := strings.TrimRight(line, "\r\n")
	ending := line[len(body):]
	colon := valueColon(body)
	if colon < 0 {
		return "", false
	}
	head, value := body[:colon], body[colon+1:]
	name, params, _ := strings.Cut(head, ";")
	if _, n, grouped := strings.Cut(name, "."); grouped { // "item1.TEL"
		name = n
	}
	if !strings.EqualFold(strings.TrimSpace(name), "TEL") || hasParam(params, "waid") {
		return "", false
	}
	waid := waidOf(value)
	if waid == "" {
		return "", false
	}
	return head + ";waid=" + waid + ":" + value + ending, true
}

// valueColon returns the index of the colon that ends a content line's
// name and parameters (colons inside quoted parameter values do not), or -1.
func valueColon(line string) int {
	quoted := false
	for i := range len(line) {
		switch line[i] {
		case '"':
			quoted = !quoted
		case ':':
			if !quoted {
				return i
			}
		}
	}
	return -1
}

// hasParam reports whether the ";"-separated parameter list has name.
func hasParam(params, name string) bool {
	for p := range strings.SplitSeq(params, ";") {
		key, _, _ := strings.Cut(p, "=")
		if strings.EqualFold(strings.TrimSpace(key), name) {
			return true
		}
	}
	return false
}

// waidOf returns the international digits of a TEL value ("+34 600 00 00
// 00", "0034600000000", "tel:+34-600-000-000", "34600000000"), or "" when
// it is not an international number of a plausible length.
func waidOf(value string) string {
	v := strings.TrimSpace(value)
	if len(v) >= 4 && strings.EqualFold(v[:4], "tel:") {
		v, _, _ = strings.Cut(v[4:], ";") // drop URI parameters such as ;ext=
	}
	var b strings.Builder
	for _, r := range v {
		if r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	digits := b.String()
	plus := strings.HasPrefix(strings.TrimLeft(v, " ("), "+")
	switch {
	case plus:
	case strings.HasPrefix(digits, "00"):
		digits = digits[2:]
	case strings.HasPrefix(digits, "0"):
		return "" // national form: no country code
	}
	if len(digits) < jid.MinPhoneDigits || len(digits) > jid.MaxPhoneDigits || digits[0] == '0' {
		return ""
	}
	return digits
}

// minimalVCard is the vCard of a contact given only by name.
func minimalVCard(displayName string) string {
	return "BEGIN:VCARD\nVERSION:3.0\nFN:" + vcardEscape(displayName) + "\nEND:VCARD"
}

// vcardEscape escapes a text value (RFC 6350 §3.4).
func vcardEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, ",", `\,`, ";", `\;`, "\r\n", `\n`, "\n", `\n`, "\r", `\n`).Replace(s)
}

// vcardName returns the formatted name (FN) of a vCard, or "".
func vcardName(vcard string) string {
	for line := range strings.Lines(vcard) {
		line = strings.TrimRight(line, "\r\n")
		colon := valueColon(line)
		if colon < 0 {
			continue
		}
		name, _, _ := strings.Cut(line[:colon], ";")
		if _, n, grouped := strings.Cut(name, "."); grouped {
			name = n
		}
		if strings.EqualFold(strings.TrimSpace(name), "FN") {
			return strings.TrimSpace(vcardUnescape(line[colon+1:]))
		}
	}
	return ""
}

// vcardUnescape undoes vcardEscape.
func vcardUnescape(s string) string {
	return strings.NewReplacer(`\\`, `\`, `\,`, ",", `\;`, ";", `\n`, "\n", `\N`, "\n").Replace(s)
}
