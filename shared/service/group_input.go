package service

import (
	"net/url"
	"strings"
	"unicode/utf8"

	wagate "github.com/wagate/wagate/shared"
	"github.com/wagate/wagate/shared/ids"
	"github.com/wagate/wagate/shared/jid"
)

// validInviteCode reports whether s looks like an invite code: 6–64
// letters, digits, '_' or '-' (WhatsApp's are 22 letters and digits; a
// little room either way).
func validInviteCode(s string) bool {
	if len(s) < 6 || len(s) > 64 {
		return false
	}
	for i := range len(s) {
		c := s[i]
		if !ids.IsAlnum(c) && c != '_' && c != '-' {
			return false
		}
	}
	return true
}

// inviteHost is the host of WhatsApp's invite links.
const inviteHost = "chat.whatsapp.com"

// groupJID normalises a group id: "120363…@g.us", or the digits alone.
func groupJID(id string) (string, error) {
	id = strings.TrimSpace(id)
	if id != "" && !strings.Contains(id, "@") {
		id += "@" + jid.GroupServer
	}
	j, err := jid.Normalize(id)
	if err != nil || !jid.IsGroup(j) {
		return "", wagate.Errorf(wagate.EINVALID, "groupId must be a group JID like 120363000000000000@g.us.")
	}
	return j, nil
}

// participantJIDs normalises participants (numbers, phone JIDs or LIDs),
// dropping duplicates. Returns EINVALID when none is given or one is not a
// person.
func participantJIDs(in []string, field string) ([]string, error) {
	if len(in) == 0 {
		return nil, wagate.Errorf(wagate.EINVALID, "%s is required: at least one phone number or WhatsApp id.", field)
	}
	if len(in) > wagate.MaxGroupSize-1 {
		return nil, wagate.Errorf(wagate.EINVALID, "%s: at most %d participants.", field, wagate.MaxGroupSize-1)
	}
	seen := make(map[string]bool, len(in))
	out := make([]string, 0, len(in))
	for _, p := range in {
		j, err := jid.Normalize(p)
		if err != nil || !(jid.IsUser(j) || jid.IsLID(j)) {
			return nil, wagate.Errorf(wagate.EINVALID, "%s: %q is not a phone number or a person's WhatsApp id.", field, p)
		}
		if !seen[j] {
			seen[j] = true
			out = append(out, j)
		}
	}
	return out, nil
}

// validateSubject checks a group subject (required, at most 25 characters).
func validateSubject(s string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", wagate.Errorf(wagate.EINVALID, "subject is required.")
	}
	if n := utf8.RuneCountInString(s); n > wagate.MaxGroupSubject {
		return "", wagate.Errorf(wagate.EINVALID, "subject must be at most %d characters (it has %d).", wagate.MaxGroupSubject, n)
	}
	return s, nil
}

func validateDescription(s string) error {
	if n := utf8.RuneCountInString(s); n > wagate.MaxGroupDescription {
		return wagate.Errorf(wagate.EINVALID, "description must be at most %d characters (it has %d).", wagate.MaxGroupDescription, n)
	}
	return nil
}

// InviteCode extracts the code from an invite code or link
// ("https://chat.whatsapp.com/AbC…", with or without scheme or query).
// Returns EINVALID for anything else.
func InviteCode(in string) (string, error) {
	s := strings.TrimSpace(in)
	if strings.Contains(s, "/") {
		raw := s
		if !strings.Contains(raw, "://") {
			raw = "https://" + raw
		}
		u, err := url.Parse(raw)
		if err != nil || !strings.EqualFold(strings.TrimPrefix(u.Hostname(), "www."), inviteHost) {
			return "", wagate.Errorf(wagate.EINVALID, "inviteCode must be an invite code or a https://%s/… link.", inviteHost)
		}
		s = strings.TrimPrefix(strings.Trim(u.Path, "/"), "invite/")
	}
	if !validInviteCode(s) {
		return "", wagate.Errorf(wagate.EINVALID, "inviteCode is not a WhatsApp invite code (letters and digits, as in https://%s/<code>).", inviteHost)
	}
	return s, nil
}
