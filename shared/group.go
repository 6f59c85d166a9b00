package wagate

import (
	"context"
	"slices"
	"time"
)

// Group limits, as WhatsApp enforces them.
const (
	MaxGroupSubject     = 25   // characters
	MaxGroupDescription = 2048 // characters
	MaxGroupSize        = 1024 // participants, the session included
)

// Group is a WhatsApp group a session is in.
type Group struct {
	SessionID    string
	JID          string // "120363…@g.us"
	Subject      string
	Description  string
	OwnerJID     string // creator: phone JID when known
	CreatedAt    time.Time
	Announce     bool // only admins send messages
	Locked       bool // only admins edit the group info
	Participants []GroupParticipant
	InviteCode   string // last invite code seen; "" = unknown
	UpdatedAt    time.Time
}

// GroupParticipant is one member of a group.
type GroupParticipant struct {
	JID          string // phone JID when known, else the LID JID
	LID          string
	Phone        string
	IsAdmin      bool
	IsSuperAdmin bool // the creator
}

// Participant returns the member whose JID, LID or phone is key.
func (g *Group) Participant(key string) (*GroupParticipant, bool) {
	i := g.participantIndex(key)
	if i < 0 {
		return nil, false
	}
	return &g.Participants[i], true
}

func (g *Group) participantIndex(key string) int {
	if key == "" {
		return -1
	}
	return slices.IndexFunc(g.Participants, func(p GroupParticipant) bool {
		return p.JID == key || p.LID == key || (p.Phone != "" && p.Phone == key)
	})
}

// GroupChange is a change of a group's info or members; nil and empty
// fields change nothing.
type GroupChange struct {
	Subject     *string
	Description *string
	Announce    *bool
	Locked      *bool
	InviteCode  *string
	Add         []GroupParticipant // joined or added
	Remove      []string           // left or removed (JID, LID or phone)
	Promote     []string
	Demote      []string
	Left        bool // the session itself is no longer in the group
}

// Apply applies c to g. Adding a member twice or removing one that is not
// there is not an error: changes are applied as WhatsApp reports them,
// possibly more than once.
func (g *Group) Apply(c GroupChange) {
	setIf(&g.Subject, c.Subject)
	setIf(&g.Description, c.Description)
	setIf(&g.Announce, c.Announce)
	setIf(&g.Locked, c.Locked)
	setIf(&g.InviteCode, c.InviteCode)
	for _, p := range c.Add {
		if i := g.participantIndex(p.JID); i >= 0 {
			p.IsAdmin, p.IsSuperAdmin = g.Participants[i].IsAdmin || p.IsAdmin, g.Participants[i].IsSuperAdmin || p.IsSuperAdmin
			g.Participants[i] = p
			continue
		}
		g.Participants = append(g.Participants, p)
	}
	for _, key := range c.Remove {
		if i := g.participantIndex(key); i >= 0 {
			g.Participants = slices.Delete(g.Participants, i, i+1)
		}
	}
	for _, key := range c.Promote {
		if i := g.participantIndex(key); i >= 0 {
			g.Participants[i].IsAdmin = true
		}
	}
	for _, key := range c.Demote {
		if i := g.participantIndex(key); i >= 0 {
			g.Participants[i].IsAdmin, g.Participants[i].IsSuperAdmin = false, false
		}
	}
}

func setIf[T any](dst *T, v *T) {
	if v != nil {
		*dst = *v
	}
}

// GroupUpdate changes a group's settings; nil fields stay.
type GroupUpdate struct {
	Subject     *string
	Description *string
	Announce    *bool
	Locked      *bool
}

// Change is u as a GroupChange.
func (u GroupUpdate) Change() GroupChange {
	return GroupChange{Subject: u.Subject, Description: u.Description, Announce: u.Announce, Locked: u.Locked}
}

// ParticipantAction is what is done to group members.
type ParticipantAction string

const (
	ParticipantAdd     ParticipantAction = "add"
	ParticipantRemove  ParticipantAction = "remove"
	ParticipantPromote ParticipantAction = "promote"
	ParticipantDemote  ParticipantAction = "demote"
)

// Valid reports whether a is one of the four actions.
func (a ParticipantAction) Valid() bool {
	switch a {
	case ParticipantAdd, ParticipantRemove, ParticipantPromote, ParticipantDemote:
		return true
	}
	return false
}

// ParticipantStatus is the outcome of an action for one participant.
type ParticipantStatus string

const (
	ParticipantOK            ParticipantStatus = "ok"              // done
	ParticipantInviteSent    ParticipantStatus = "invite_sent"     // privacy forbids adding them: an invite was sent instead
	ParticipantNotAllowed    ParticipantStatus = "not_allowed"     // privacy or the group's rules forbid it
	ParticipantNotOnWhatsApp ParticipantStatus = "not_on_whatsapp" // the number has no WhatsApp account
	ParticipantNotInGroup    ParticipantStatus = "not_in_group"    // remove, promote, demote of a non-member
	ParticipantAlreadyIn     ParticipantStatus = "already_in_group"
	ParticipantFailed        ParticipantStatus = "failed" // any other refusal (see Code)
)

// ParticipantResult is the outcome of an action for one participant. Code
// is WhatsApp's status code (200, 403, 404, 409…).
type ParticipantResult struct {
	JID     string
	Status  ParticipantStatus
	Code    int
	Message string
}

// OK reports whether the action took effect for the participant.
func (r ParticipantResult) OK() bool { return r.Status == ParticipantOK }

// ParticipantStatusOf names a WhatsApp participant code (0 and 200 are
// success) for action; invited says an invite was sent after a 403.
func ParticipantStatusOf(action ParticipantAction, code int, invited bool) (ParticipantStatus, string) {
	switch {
	case code == 0 || code == 200:
		return ParticipantOK, "done"
	case code == 403 && invited:
		return ParticipantInviteSent, "their privacy settings do not allow adding them; an invite link was sent"
	case code == 403 || code == 401:
		return ParticipantNotAllowed, "not allowed by their privacy settings or the group's rules"
	case code == 408:
		return ParticipantNotAllowed, "they left the group recently and cannot be added again yet"
	case code == 409:
		return ParticipantAlreadyIn, "already in the group"
	case code == 404 && action == ParticipantAdd:
		return ParticipantNotOnWhatsApp, "the number is not on WhatsApp"
	case code == 404:
		return ParticipantNotInGroup, "not a member of the group"
	}
	return ParticipantFailed, "WhatsApp refused the change"
}

// GroupStore keeps the groups sessions are in.
type GroupStore interface {
	// UpsertGroups stores each group, replacing its stored record except an
	// InviteCode it does not carry. Returns EINVALID for a group without JID.
	UpsertGroups(ctx context.Context, sessionID string, gs []*Group) error

	// ReplaceGroups stores gs as the session's complete list: groups not in
	// it are removed.
	ReplaceGroups(ctx context.Context, sessionID string, gs []*Group) error

	// FindGroup returns a session's group. Returns ENOTFOUND.
	FindGroup(ctx context.Context, sessionID, jid string) (*Group, error)

	// ListGroups returns a page of a session's groups by subject and the total.
	ListGroups(ctx context.Context, sessionID string, offset, limit int) ([]*Group, int, error)

	// DeleteGroup removes a session's group. Returns ENOTFOUND.
	DeleteGroup(ctx context.Context, sessionID, jid string) error

	// DeleteSessionGroups removes every group of a session.
	DeleteSessionGroups(ctx context.Context, sessionID string) error
}
