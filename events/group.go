package events

import "time"

// Group commands use request/reply: the connector writes a command result
// (keyed by command id) whose result is the type's *Result below.
const (
	CmdGroupCreate       = "group.create"
	CmdGroupInfo         = "group.info"
	CmdGroupList         = "group.list"
	CmdGroupUpdate       = "group.update"
	CmdGroupParticipants = "group.participants"
	CmdGroupInviteCode   = "group.invite_code"
	CmdGroupJoin         = "group.join"
)

// GroupCreatePayload is the payload of group.create.
type GroupCreatePayload struct {
	Subject      string   `json:"subject"`
	Participants []string `json:"participants"` // JIDs
	Description  string   `json:"description,omitempty"`
}

// GroupCreateResult is the result of group.create.
type GroupCreateResult struct {
	Group        GroupPayload        `json:"group"`
	Participants []ParticipantResult `json:"participants"`
}

// GroupRefPayload is the payload of group.info: which group.
type GroupRefPayload struct {
	GroupJID string `json:"groupJid"`
}

// GroupResult is the result of group.info and group.update: the group as it
// is now.
type GroupResult struct {
	Group GroupPayload `json:"group"`
}

// GroupListResult is the result of group.list (no payload).
type GroupListResult struct {
	Groups []GroupPayload `json:"groups"`
}

// GroupUpdatePayload is the payload of group.update; absent fields stay.
type GroupUpdatePayload struct {
	GroupJID    string  `json:"groupJid"`
	Subject     *string `json:"subject,omitempty"`
	Description *string `json:"description,omitempty"`
	Announce    *bool   `json:"announce,omitempty"`
	Locked      *bool   `json:"locked,omitempty"`
}

// GroupParticipantsPayload is the payload of group.participants.
type GroupParticipantsPayload struct {
	GroupJID     string   `json:"groupJid"`
	Action       string   `json:"action"` // add, remove, promote, demote
	Participants []string `json:"participants"`
}

// GroupParticipantsResult is the result of group.participants.
type GroupParticipantsResult struct {
	GroupJID     string              `json:"groupJid"`
	Action       string              `json:"action"`
	Participants []ParticipantResult `json:"participants"`
}

// GroupInviteCodePayload is the payload of group.invite_code.
type GroupInviteCodePayload struct {
	GroupJID string `json:"groupJid"`
	Reset    bool   `json:"reset,omitempty"`
}

// GroupInviteCodeResult is the result of group.invite_code.
type GroupInviteCodeResult struct {
	GroupJID string `json:"groupJid"`
	Code     string `json:"code"`
}

// GroupJoinPayload is the payload of group.join.
type GroupJoinPayload struct {
	Code string `json:"code"` // the invite code, without the link prefix
}

// GroupJoinResult is the result of group.join. Group is absent when the
// group's info could not be read after joining (membership approval).
type GroupJoinResult struct {
	GroupJID string        `json:"groupJid"`
	Group    *GroupPayload `json:"group,omitempty"`
}

// GroupPayload is a group on the wire.
type GroupPayload struct {
	JID          string               `json:"jid"`
	Subject      string               `json:"subject"`
	Description  string               `json:"description,omitempty"`
	Owner        string               `json:"owner,omitempty"`
	CreatedAt    *time.Time           `json:"createdAt,omitempty"`
	Announce     bool                 `json:"announce"`
	Locked       bool                 `json:"locked"`
	InviteCode   string               `json:"inviteCode,omitempty"`
	Participants []GroupMemberPayload `json:"participants"`
}

// GroupMemberPayload is one member of a group.
type GroupMemberPayload struct {
	JID          string `json:"jid"`
	LID          string `json:"lid,omitempty"`
	Phone        string `json:"phone,omitempty"`
	IsAdmin      bool   `json:"isAdmin"`
	IsSuperAdmin bool   `json:"isSuperAdmin"`
}

// ParticipantResult is the outcome of a group action for one participant.
type ParticipantResult struct {
	JID     string `json:"jid"`
	Status  string `json:"status"`
	Code    int    `json:"code"`
	Message string `json:"message,omitempty"`
}
