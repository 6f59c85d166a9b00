package service

import (
	"context"
	"time"

	"github.com/wagate/wagate/events"
	wagate "github.com/wagate/wagate/shared"
	"github.com/wagate/wagate/shared/jid"
	"github.com/wagate/wagate/shared/wire"
)

// ContactInfoTTL is how long a looked-up profile (about, picture, business
// profile) is served from the store before info asks WhatsApp again.
const ContactInfoTTL = 6 * time.Hour

// Contacts implements the contact use cases. Lists, search hits and stats
// read the store, which the connector keeps current from the engine's
// contact store; only info (for a stale profile) and search (for an unknown
// number) ask WhatsApp, through request/reply commands that the connector
// rate-limits per session.
type Contacts struct {
	Sessions wagate.SessionStore
	Store    wagate.ContactStore
	Groups   wagate.GroupStore // counts stats.groups; nil = 0
	Commands *Commands
	Now      func() time.Time

	// InfoTTL overrides ContactInfoTTL when positive.
	InfoTTL time.Duration
}

func (s *Contacts) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

// List returns a page of a session's contacts by name and the total; search
// matches names and numbers. Returns ENOSESSION.
func (s *Contacts) List(ctx context.Context, sessionKey, search string, page, limit int) ([]*wagate.Contact, int, error) {
	sess, err := s.Sessions.FindSession(ctx, sessionKey)
	if err != nil {
		return nil, 0, err
	}
	return s.Store.ListContacts(ctx, wagate.ContactFilter{SessionID: sess.SessionID, Search: search, Offset: (page - 1) * limit, Limit: limit})
}

// Stats counts a session's contacts; groups are the groups it is in.
func (s *Contacts) Stats(ctx context.Context, sessionKey string) (*wagate.ContactStats, error) {
	sess, err := s.Sessions.FindSession(ctx, sessionKey)
	if err != nil {
		return nil, err
	}
	st, err := s.Store.ContactStats(ctx, sess.SessionID)
	if err != nil {
		return nil, err
	}
	if s.Groups != nil {
		if _, st.Groups, err = s.Groups.ListGroups(ctx, sess.SessionID, 0, 1); err != nil {
			return nil, err
		}
	}
	return st, nil
}

// ContactSearch is whether a number is on WhatsApp, and the contact if so.
type ContactSearch struct {
	Phone   string
	Exists  bool
	Contact *wagate.Contact // nil when it does not exist
}

// Search says whether phone is on WhatsApp: a known contact answers from
// the store, an unknown number is checked live (pending when the wait ran
// out). Returns EINVALID, ENOSESSION, ENOTCONNECTED.
func (s *Contacts) Search(ctx context.Context, sessionKey, phone string) (*ContactSearch, *wagate.CommandResult, error) {
	sess, err := s.Sessions.FindSession(ctx, sessionKey)
	if err != nil {
		return nil, nil, err
	}
	j, err := jid.Normalize(phone)
	if err != nil || !jid.IsUser(j) {
		return nil, nil, wagate.Errorf(wagate.EINVALID, "phoneNumber must be a phone number with country code, e.g. 34600000000.")
	}
	digits := jid.Phone(j)
	if c, err := s.Store.FindContact(ctx, sess.SessionID, j); err == nil && c.IsWAContact {
		return &ContactSearch{Phone: digits, Exists: true, Contact: c}, nil, nil
	} else if err != nil && wagate.ErrorCode(err) != wagate.ENOTFOUND {
		return nil, nil, err
	}
	if err := requireConnected(sess); err != nil {
		return nil, nil, err
	}
	res, pending, err := call[events.ContactCheckResult](ctx, s.Commands, sess.SessionID, events.CmdContactCheck, events.ContactCheckPayload{Phones: []string{digits}})
	if err != nil || pending != nil {
		return nil, pending, err
	}
	out := &ContactSearch{Phone: digits}
	for _, r := range wire.PhoneChecksOf(*res) {
		if !r.Exists {
			continue
		}
		out.Exists = true
		out.Contact = &wagate.Contact{SessionID: sess.SessionID, JID: firstNonEmpty(r.JID, j), Phone: digits, BusinessName: r.BusinessName, IsWAContact: true}
		if jid.IsUser(out.Contact.JID) {
			out.Contact.Phone = jid.Phone(out.Contact.JID)
		}
	}
	return out, nil, nil
}

// ContactDetails is a contact with its profile, and whether the profile is
// older than the TTL (served because WhatsApp could not be asked).
type ContactDetails struct {
	Contact *wagate.Contact
	Stale   bool
}

// Info returns a contact with its live profile: from the store while the
// cached profile is younger than the TTL, else asked of WhatsApp (pending
// when the wait ran out). When WhatsApp cannot be asked (not connected,
// rate limit, refusal) a stored contact is returned as it is.
// Returns EINVALID, ENOSESSION, ENOTFOUND (no such WhatsApp user),
// ENOTCONNECTED and ERATELIMIT when nothing is stored.
func (s *Contacts) Info(ctx context.Context, sessionKey, contactID string) (*ContactDetails, *wagate.CommandResult, error) {
	sess, err := s.Sessions.FindSession(ctx, sessionKey)
	if err != nil {
		return nil, nil, err
	}
	j, err := jid.Normalize(contactID)
	if err != nil || !(jid.IsUser(j) || jid.IsLID(j)) {
		return nil, nil, wagate.Errorf(wagate.EINVALID, "contactId must be a phone number, a phone JID (…@s.whatsapp.net) or a LID (…@lid).")
	}
	stored, err := s.Store.FindContact(ctx, sess.SessionID, j)
	if err != nil && wagate.ErrorCode(err) != wagate.ENOTFOUND {
		return nil, nil, err
	}
	if stored != nil && s.fresh(stored) {
		return &ContactDetails{Contact: stored}, nil, nil
	}
	if err := requireConnected(sess); err != nil {
		if stored != nil {
			return &ContactDetails{Contact: stored, Stale: true}, nil, nil
		}
		return nil, nil, err
	}
	res, pending, err := call[events.ContactInfoResult](ctx, s.Commands, sess.SessionID, events.CmdContactInfo, events.ContactInfoPayload{JID: j})
	if err != nil {
		if code := wagate.ErrorCode(err); stored != nil && code != wagate.ENOTFOUND && code != wagate.EINVALID {
			return &ContactDetails{Contact: stored, Stale: true}, nil, nil
		}
		return nil, nil, err
	}
	if pending != nil {
		return nil, pending, nil
	}
	return &ContactDetails{Contact: s.afterLookup(ctx, sess.SessionID, j, *res)}, nil, nil
}

// afterLookup is the stored contact (names) with the profile the look-up
// returned (the connector caches it too; this does not depend on that).
func (s *Contacts) afterLookup(ctx context.Context, sessionID, j string, res events.ContactInfoResult) *wagate.Contact {
	key := firstNonEmpty(res.JID, j)
	c, err := s.Store.FindContact(ctx, sessionID, key)
	if err != nil {
		c = &wagate.Contact{SessionID: sessionID, JID: key, Phone: jid.Phone(key), IsWAContact: true}
	}
	p := wire.ContactProfile(res)
	c.LID, c.BusinessName = firstNonEmpty(p.LID, c.LID), firstNonEmpty(p.BusinessName, c.BusinessName)
	c.About, c.PictureID, c.PictureURL, c.Business, c.ProfileAt = p.About, p.PictureID, p.PictureURL, p.Business, p.FetchedAt
	return c
}

func (s *Contacts) fresh(c *wagate.Contact) bool {
	ttl := s.InfoTTL
	if ttl <= 0 {
		ttl = ContactInfoTTL
	}
	return !c.ProfileAt.IsZero() && s.now().Sub(c.ProfileAt) < ttl
}

// requireConnected refuses live look-ups and group actions on a session
// that is not connected.
func requireConnected(sess *wagate.Session) error {
	if sess.Status != wagate.StatusConnected {
		return wagate.Errorf(wagate.ENOTCONNECTED, "Session %s is %s: connect it (POST /api/sessions/%s/connect) first.", sess.SessionID, sess.Status, sess.SessionID)
	}
	return nil
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}
