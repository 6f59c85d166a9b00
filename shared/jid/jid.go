// Package jid parses and classifies WhatsApp ids (JIDs) as plain strings.
// All id parsing of the API lives here; it does not depend on whatsmeow so
// that the shared module stays light.
//
// A canonical JID is "<user>@<server>" with one of the servers below and no
// device part: "34600000000@s.whatsapp.net", "123456789012345@lid",
// "120363000000000000@g.us" or "34600000000-1600000000@g.us".
package jid

import (
	"strconv"
	"strings"
	"unicode/utf8"

	wagate "github.com/wagate/wagate/shared"
)

// Servers of the JIDs wagate accepts.
const (
	UserServer       = "s.whatsapp.net" // a person, by phone number
	LegacyUserServer = "c.us"           // old name of UserServer; normalised to it
	LIDServer        = "lid"            // a person, by hidden id
	GroupServer      = "g.us"           // a group
	BroadcastServer  = "broadcast"      // status updates and broadcast lists
)

// StatusBroadcast is the chat that status updates are posted to.
const StatusBroadcast = "status@" + BroadcastServer

// Limits of the parts of an id.
const (
	MinPhoneDigits = 7
	MaxPhoneDigits = 15
	MaxLIDDigits   = 20
	MaxGroupDigits = 24 // per part of a group id
	maxEcho        = 64 // bytes of a rejected input quoted back to the client
)

// Normalize turns a send target into its canonical JID. It accepts a phone
// number with country code (spaces, '+', '-', '.' and parentheses are
// dropped), "<digits>@s.whatsapp.net" or "<digits>@c.us" (with an optional
// ":<device>" that is dropped), "<id>@lid" and a group "<digits>@g.us" or
// "<digits>-<digits>@g.us". Phone numbers are 7–15 digits without a leading 0.
// Returns EINVALID.
func Normalize(to string) (string, error) {
	s := strings.TrimSpace(to)
	if s == "" {
		return "", wagate.Errorf(wagate.EINVALID, "to is required: a phone number with country code (e.g. 34600000000) or a WhatsApp id such as 34600000000@s.whatsapp.net, …@lid or …@g.us.")
	}
	at := strings.LastIndexByte(s, '@')
	if at < 0 {
		phone := stripPhoneFormatting(s)
		if !validPhone(phone) {
			return "", errPhone(to)
		}
		return phone + "@" + UserServer, nil
	}
	user, server := s[:at], strings.ToLower(s[at+1:])
	switch server {
	case UserServer, LegacyUserServer:
		phone := dropDevice(strings.TrimPrefix(user, "+"))
		if !validPhone(phone) {
			return "", errPhone(to)
		}
		return phone + "@" + UserServer, nil
	case LIDServer:
		lid := dropDevice(user)
		if !digits(lid, 1, MaxLIDDigits) || lid[0] == '0' {
			return "", wagate.Errorf(wagate.EINVALID, "to: a LID must be up to %d digits before @lid (e.g. 123456789012345@lid); got %s.", MaxLIDDigits, echo(to))
		}
		return lid + "@" + LIDServer, nil
	case GroupServer:
		creator, created, dash := strings.Cut(user, "-")
		if !digits(creator, 1, MaxGroupDigits) || (dash && !digits(created, 1, MaxGroupDigits)) {
			return "", wagate.Errorf(wagate.EINVALID, "to: a group id must be digits, or digits-digits, before @g.us (e.g. 120363000000000000@g.us); got %s.", echo(to))
		}
		return user + "@" + GroupServer, nil
	}
	return "", wagate.Errorf(wagate.EINVALID, "to has an unknown WhatsApp server in %s: use a phone number, …@s.whatsapp.net, …@c.us, …@lid or …@g.us.", echo(to))
}

// IsGroup reports whether j is a group JID.
func IsGroup(j string) bool { return server(j) == GroupServer }

// IsLID reports whether j is a LID (hidden user id) JID.
func IsLID(j string) bool { return server(j) == LIDServer }

// IsUser reports whether j is a person's phone JID (@s.whatsapp.net or the
// legacy @c.us, with or without a device part).
func IsUser(j string) bool {
	s := server(j)
	return s == UserServer || s == LegacyUserServer
}

// Phone returns the phone number (digits) of a phone JID, ignoring any
// device part, and "" for any other id.
func Phone(j string) string {
	if !IsUser(j) {
		return ""
	}
	p := dropDevice(j[:strings.LastIndexByte(j, '@')])
	if !validPhone(p) {
		return ""
	}
	return p
}

// server returns the lower-cased server part of j ("" without one).
func server(j string) string {
	at := strings.LastIndexByte(j, '@')
	if at < 0 {
		return ""
	}
	return strings.ToLower(j[at+1:])
}

// dropDevice removes a ":<device>" suffix (and the ".<agent>" part of the
// "user.agent:device" form) from the user part of a JID. The result is
// returned unchanged when the suffix is not all digits, so that validation
// rejects it.
func dropDevice(user string) string {
	u, dev, ok := strings.Cut(user, ":")
	if !ok {
		return user
	}
	if !digits(dev, 1, 3) {
		return user
	}
	if base, agent, ok := strings.Cut(u, "."); ok && digits(agent, 1, 3) {
		u = base
	}
	return u
}

// stripPhoneFormatting drops the characters people type around numbers.
func stripPhoneFormatting(s string) string {
	return strings.Map(func(r rune) rune {
		switch r {
		case ' ', '+', '-', '(', ')', '.', '\t':
			return -1
		}
		return r
	}, s)
}

func validPhone(p string) bool {
	return digits(p, MinPhoneDigits, MaxPhoneDigits) && p[0] != '0'
}

// digits reports whether s is min to max ASCII digits.
func digits(s string, min, max int) bool {
	if len(s) < min || len(s) > max {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func errPhone(to string) error {
	return wagate.Errorf(wagate.EINVALID, "to must be a phone number of %d-%d digits with country code and no leading 0 (e.g. 34600000000 or 34600000000@s.whatsapp.net); got %s.", MinPhoneDigits, MaxPhoneDigits, echo(to))
}

// echo quotes at most maxEcho bytes of a rejected input for an error message.
func echo(s string) string {
	if len(s) <= maxEcho {
		return strconv.Quote(s)
	}
	cut := maxEcho
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return strconv.Quote(s[:cut]) + "…"
}
