package wagate

import (
	"context"
	"time"
)

// EngineGroups is implemented by engine clients that manage groups (both
// engines do). Every method does network I/O and returns ENOTCONNECTED when
// the client is not live. Group-level refusals: ENOTFOUND (no such group),
// EFORBIDDEN (not an admin, or not a participant), EINVALID (WhatsApp
// rejected a value), ERATELIMIT, EWHATSAPP (anything else).
type EngineGroups interface {
	// CreateGroup creates a group with subject (≤ MaxGroupSubject
	// characters) and participants (JIDs), the session being its creator,
	// and returns it with the outcome for each participant.
	CreateGroup(ctx context.Context, subject string, participants []string) (*Group, []ParticipantResult, error)

	// GroupInfo returns a group's info and members.
	GroupInfo(ctx context.Context, jid string) (*Group, error)

	// JoinedGroups returns every group the session is in.
	JoinedGroups(ctx context.Context) ([]*Group, error)

	// UpdateGroup applies the non-nil fields of u, in the order subject,
	// description, announce, locked; the first refusal stops it.
	UpdateGroup(ctx context.Context, jid string, u GroupUpdate) error

	// UpdateParticipants adds, removes, promotes or demotes participants
	// and returns the outcome for each. Adding someone whose privacy
	// settings forbid it sends them an invite instead (ParticipantInviteSent).
	UpdateParticipants(ctx context.Context, jid string, action ParticipantAction, participants []string) ([]ParticipantResult, error)

	// InviteCode returns the group's invite code (not the link); reset
	// revokes the old one and returns a new one.
	InviteCode(ctx context.Context, jid string, reset bool) (string, error)

	// JoinWithCode joins the group of an invite code and returns its JID.
	// Returns ENOTFOUND for an unknown or revoked code.
	JoinWithCode(ctx context.Context, code string) (string, error)
}

// GroupEvent: the session joined a group or was added to one (or learnt a
// group's complete state); Group is complete.
type GroupEvent struct {
	Group *Group
}

// GroupChangeEvent: a group's info or members changed (by anyone, the
// session included). Change.Left means the session is no longer in it.
type GroupChangeEvent struct {
	GroupJID string
	Change   GroupChange
	At       time.Time
}

func (GroupEvent) engineEvent()       {}
func (GroupChangeEvent) engineEvent() {}
