package jid_test

import (
	"strings"
	"testing"

	wagate "github.com/wagate/wagate/shared"
	"github.com/wagate/wagate/shared/jid"
)

func TestNormalize(t *testing.T) {
	for _, tc := range []struct{ name, in, want string }{
		{"Digits", "34657032985", "34657032985@s.whatsapp.net"},
		{"Formatted", " +34 (657) 03-29.85 ", "34657032985@s.whatsapp.net"},
		{"PhoneJID", "34657032985@s.whatsapp.net", "34657032985@s.whatsapp.net"},
		{"PhoneJIDUpperServer", "34657032985@S.WhatsApp.Net", "34657032985@s.whatsapp.net"},
		{"PhoneJIDPlus", "+34657032985@s.whatsapp.net", "34657032985@s.whatsapp.net"},
		{"CUs", "34657032985@c.us", "34657032985@s.whatsapp.net"},
		{"Device", "34657032985:12@s.whatsapp.net", "34657032985@s.whatsapp.net"},
		{"AgentDevice", "34657032985.0:3@s.whatsapp.net", "34657032985@s.whatsapp.net"},
		{"MinPhone", "1234567", "1234567@s.whatsapp.net"},
		{"MaxPhone", "123456789012345", "123456789012345@s.whatsapp.net"},
		{"LID", "123456789012345@lid", "123456789012345@lid"},
		{"LIDDevice", "123456789012345:7@lid", "123456789012345@lid"},
		{"GroupNew", "120363025246125486@g.us", "120363025246125486@g.us"},
		{"GroupOld", "34657032985-1600000000@g.us", "34657032985-1600000000@g.us"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := jid.Normalize(tc.in)
			if err != nil || got != tc.want {
				t.Fatalf("Normalize(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
			}
		})
	}
}

func TestNormalizeErrors(t *testing.T) {
	for _, tc := range []struct{ name, in, mention string }{
		{"Empty", "  ", "required"},
		{"TooShort", "123456", "7-15 digits"},
		{"TooLong", "1234567890123456", "7-15 digits"},
		{"LeadingZero", "0034657032985", "no leading 0"},
		{"Letters", "34657o32985", "7-15 digits"},
		{"JIDLetters", "abc@s.whatsapp.net", "7-15 digits"},
		{"JIDDash", "34-657032985@s.whatsapp.net", "7-15 digits"},
		{"BadDevice", "34657032985:x@s.whatsapp.net", "7-15 digits"},
		{"EmptyUser", "@s.whatsapp.net", "7-15 digits"},
		{"UnknownServer", "34657032985@example.com", "unknown WhatsApp server"},
		{"Broadcast", "status@broadcast", "unknown WhatsApp server"},
		{"Newsletter", "120363000000000000@newsletter", "unknown WhatsApp server"},
		{"LIDLetters", "abc@lid", "LID"},
		{"LIDEmpty", "@lid", "LID"},
		{"GroupLetters", "abc@g.us", "group id"},
		{"GroupTrailingDash", "123-@g.us", "group id"},
		{"GroupTwoDashes", "1-2-3@g.us", "group id"},
		{"TwoAts", "346@570@s.whatsapp.net", "7-15 digits"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := jid.Normalize(tc.in)
			if wagate.ErrorCode(err) != wagate.EINVALID {
				t.Fatalf("Normalize(%q) = %q, %v; want VALIDATION_ERROR", tc.in, got, err)
			}
			if msg := wagate.ErrorMessage(err); !strings.Contains(msg, tc.mention) {
				t.Fatalf("message %q does not mention %q", msg, tc.mention)
			}
		})
	}
}

func TestNormalizeEchoIsShort(t *testing.T) {
	in := strings.Repeat("é", 500) + "@example.com"
	_, err := jid.Normalize(in)
	msg := wagate.ErrorMessage(err)
	if len(msg) > 300 || strings.Contains(msg, "example.com") {
		t.Fatalf("message echoes too much input (%d bytes): %s", len(msg), msg)
	}
}

func TestClassify(t *testing.T) {
	for _, tc := range []struct {
		j                string
		group, lid, user bool
		phone            string
	}{
		{"34657032985@s.whatsapp.net", false, false, true, "34657032985"},
		{"34657032985:12@s.whatsapp.net", false, false, true, "34657032985"},
		{"34657032985@c.us", false, false, true, "34657032985"},
		{"123456789012345@lid", false, true, false, ""},
		{"120363025246125486@g.us", true, false, false, ""},
		{"34657032985-1600000000@g.us", true, false, false, ""},
		{jid.StatusBroadcast, false, false, false, ""},
		{"34657032985", false, false, false, ""},
		{"abc@s.whatsapp.net", false, false, true, ""},
		{"", false, false, false, ""},
	} {
		t.Run(tc.j, func(t *testing.T) {
			if got := jid.IsGroup(tc.j); got != tc.group {
				t.Errorf("IsGroup = %v", got)
			}
			if got := jid.IsLID(tc.j); got != tc.lid {
				t.Errorf("IsLID = %v", got)
			}
			if got := jid.IsUser(tc.j); got != tc.user {
				t.Errorf("IsUser = %v", got)
			}
			if got := jid.Phone(tc.j); got != tc.phone {
				t.Errorf("Phone = %q", got)
			}
		})
	}
}

func FuzzNormalize(f *testing.F) {
	for _, s := range []string{
		"34657032985", "+34 657 03 29 85", "34657032985@s.whatsapp.net", "34657032985@c.us",
		"34657032985:12@s.whatsapp.net", "123456789012345@lid", "120363025246125486@g.us",
		"34657032985-1600000000@g.us", "status@broadcast", "", "@", ":@lid", "1.2:3@s.whatsapp.net",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		out, err := jid.Normalize(in)
		if err != nil {
			if wagate.ErrorCode(err) != wagate.EINVALID {
				t.Fatalf("Normalize(%q): error code %s", in, wagate.ErrorCode(err))
			}
			if n := len(wagate.ErrorMessage(err)); n > 400 {
				t.Fatalf("Normalize(%q): error message of %d bytes", in, n)
			}
			return
		}
		again, err := jid.Normalize(out)
		if err != nil || again != out {
			t.Fatalf("Normalize(%q) = %q, which normalizes to %q, %v", in, out, again, err)
		}
		if n := btoi(jid.IsUser(out)) + btoi(jid.IsLID(out)) + btoi(jid.IsGroup(out)); n != 1 {
			t.Fatalf("Normalize(%q) = %q: not exactly one known server", in, out)
		}
		if jid.IsUser(out) && !strings.HasSuffix(out, "@s.whatsapp.net") {
			t.Fatalf("Normalize(%q) = %q: legacy server kept", in, out)
		}
		if jid.IsUser(out) && jid.Phone(out)+"@s.whatsapp.net" != out {
			t.Fatalf("Phone(%q) = %q", out, jid.Phone(out))
		}
	})
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}
