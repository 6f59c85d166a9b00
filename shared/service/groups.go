package service

import (
	"context"

	"github.com/wagate/wagate/events"
	wagate "github.com/wagate/wagate/shared"
	"github.com/wagate/wagate/shared/wire"
)

// Groups implements the group use cases. The list reads the store, which
// the connector keeps current (group list at connect, group events, the
// results of our own changes); everything else is a request/reply command
// to the connector, answered with a pending command when the wait runs out.
// Each method returns ENOSESSION and EINVALID; the live ones ENOTCONNECTED
// when the session is not connected, and the connector's refusals
// (ENOTFOUND, EFORBIDDEN, ERATELIMIT, EWHATSAPP).
type Groups struct {
	Sessions wagate.SessionStore
	Store    wagate.GroupStore
	Commands *Commands
}

// List returns a page of the session's groups by subject. refresh first
// fetches the list from WhatsApp (the session must be connected).
func (s *Groups) List(ctx context.Context, sessionKey string, page, limit int, refresh bool) ([]*wagate.Group, int, *wagate.CommandResult, error) {
	sess, err := s.Sessions.FindSession(ctx, sessionKey)
	if err != nil {
		return nil, 0, nil, err
	}
	if refresh {
		if err := requireConnected(sess); err != nil {
			return nil, 0, nil, err
		}
		_, pending, err := call[events.GroupListResult](ctx, s.Commands, sess.SessionID, events.CmdGroupList, nil)
		if err != nil || pending != nil {
			return nil, 0, pending, err
		}
	}
	list, total, err := s.Store.ListGroups(ctx, sess.SessionID, (page-1)*limit, limit)
	return list, total, nil, err
}

// CreateGroupInput is a group to create.
type CreateGroupInput struct {
	Subject      string
	Participants []string
	Description  string
}

// GroupCreated is a new group with the outcome for each participant.
type GroupCreated struct {
	Group   *wagate.Group
	Results []wagate.ParticipantResult
}

// Create creates a group (subject ≤ 25 characters, at least one participant).
func (s *Groups) Create(ctx context.Context, sessionKey string, in CreateGroupInput) (*GroupCreated, *wagate.CommandResult, error) {
	subject, err := validateSubject(in.Subject)
	if err != nil {
		return nil, nil, err
	}
	parts, err := participantJIDs(in.Participants, "participants")
	if err != nil {
		return nil, nil, err
	}
	if err := validateDescription(in.Description); err != nil {
		return nil, nil, err
	}
	sess, err := s.connected(ctx, sessionKey)
	if err != nil {
		return nil, nil, err
	}
	res, pending, err := call[events.GroupCreateResult](ctx, s.Commands, sess.SessionID, events.CmdGroupCreate,
		events.GroupCreatePayload{Subject: subject, Participants: parts, Description: in.Description})
	if err != nil || pending != nil {
		return nil, pending, err
	}
	return &GroupCreated{Group: wire.Group(sess.SessionID, res.Group), Results: wire.ParticipantResultsOf(res.Participants)}, nil, nil
}

// Get returns a group with its members: asked of WhatsApp while the session
// is connected, else as last stored.
func (s *Groups) Get(ctx context.Context, sessionKey, groupID string) (*wagate.Group, *wagate.CommandResult, error) {
	g, err := groupJID(groupID)
	if err != nil {
		return nil, nil, err
	}
	sess, err := s.Sessions.FindSession(ctx, sessionKey)
	if err != nil {
		return nil, nil, err
	}
	if requireConnected(sess) != nil {
		stored, err := s.Store.FindGroup(ctx, sess.SessionID, g)
		if wagate.ErrorCode(err) == wagate.ENOTFOUND {
			return nil, nil, requireConnected(sess)
		}
		return stored, nil, err
	}
	return s.groupCall(ctx, sess, events.CmdGroupInfo, events.GroupRefPayload{GroupJID: g})
}

// Update changes a group's subject, description, announce or locked
// setting and returns the group as it is after the change.
func (s *Groups) Update(ctx context.Context, sessionKey, groupID string, u wagate.GroupUpdate) (*wagate.Group, *wagate.CommandResult, error) {
	g, err := groupJID(groupID)
	if err != nil {
		return nil, nil, err
	}
	if u.Subject == nil && u.Description == nil && u.Announce == nil && u.Locked == nil {
		return nil, nil, wagate.Errorf(wagate.EINVALID, "Nothing to change: give subject (or name), description, announce or locked.")
	}
	if u.Subject != nil {
		subject, err := validateSubject(*u.Subject)
		if err != nil {
			return nil, nil, err
		}
		u.Subject = &subject
	}
	if u.Description != nil {
		if err := validateDescription(*u.Description); err != nil {
			return nil, nil, err
		}
	}
	sess, err := s.connected(ctx, sessionKey)
	if err != nil {
		return nil, nil, err
	}
	return s.groupCall(ctx, sess, events.CmdGroupUpdate, events.GroupUpdatePayload{
		GroupJID: g, Subject: u.Subject, Description: u.Description, Announce: u.Announce, Locked: u.Locked,
	})
}

// ParticipantsOutcome is the outcome of a participant action.
type ParticipantsOutcome struct {
	GroupJID string
	Action   wagate.ParticipantAction
	Results  []wagate.ParticipantResult
}

// Participants adds, removes, promotes or demotes members.
func (s *Groups) Participants(ctx context.Context, sessionKey, groupID string, action wagate.ParticipantAction, participants []string) (*ParticipantsOutcome, *wagate.CommandResult, error) {
	g, err := groupJID(groupID)
	if err != nil {
		return nil, nil, err
	}
	if !action.Valid() {
		return nil, nil, wagate.Errorf(wagate.EINVALID, "action must be add, remove, promote or demote.")
	}
	parts, err := participantJIDs(participants, "participantId")
	if err != nil {
		return nil, nil, err
	}
	sess, err := s.connected(ctx, sessionKey)
	if err != nil {
		return nil, nil, err
	}
	res, pending, err := call[events.GroupParticipantsResult](ctx, s.Commands, sess.SessionID, events.CmdGroupParticipants,
		events.GroupParticipantsPayload{GroupJID: g, Action: string(action), Participants: parts})
	if err != nil || pending != nil {
		return nil, pending, err
	}
	return &ParticipantsOutcome{GroupJID: g, Action: action, Results: wire.ParticipantResultsOf(res.Participants)}, nil, nil
}

// GroupInvite is a group's invite code.
type GroupInvite struct {
	GroupJID string
	Code     string
}

// InviteCode returns the group's invite code; reset revokes the old one.
func (s *Groups) InviteCode(ctx context.Context, sessionKey, groupID string, reset bool) (*GroupInvite, *wagate.CommandResult, error) {
	g, err := groupJID(groupID)
	if err != nil {
		return nil, nil, err
	}
	sess, err := s.connected(ctx, sessionKey)
	if err != nil {
		return nil, nil, err
	}
	res, pending, err := call[events.GroupInviteCodeResult](ctx, s.Commands, sess.SessionID, events.CmdGroupInviteCode,
		events.GroupInviteCodePayload{GroupJID: g, Reset: reset})
	if err != nil || pending != nil {
		return nil, pending, err
	}
	return &GroupInvite{GroupJID: res.GroupJID, Code: res.Code}, nil, nil
}

// GroupJoined is the group joined with an invite code (Group nil when its
// info could not be read yet, e.g. the admins must approve the request).
type GroupJoined struct {
	GroupJID string
	Group    *wagate.Group
}

// Join joins a group with an invite code or link.
func (s *Groups) Join(ctx context.Context, sessionKey, invite string) (*GroupJoined, *wagate.CommandResult, error) {
	code, err := InviteCode(invite)
	if err != nil {
		return nil, nil, err
	}
	sess, err := s.connected(ctx, sessionKey)
	if err != nil {
		return nil, nil, err
	}
	res, pending, err := call[events.GroupJoinResult](ctx, s.Commands, sess.SessionID, events.CmdGroupJoin, events.GroupJoinPayload{Code: code})
	if err != nil || pending != nil {
		return nil, pending, err
	}
	out := &GroupJoined{GroupJID: res.GroupJID}
	if res.Group != nil {
		out.Group = wire.Group(sess.SessionID, *res.Group)
	}
	return out, nil, nil
}

// connected returns the session, which must be connected.
func (s *Groups) connected(ctx context.Context, sessionKey string) (*wagate.Session, error) {
	sess, err := s.Sessions.FindSession(ctx, sessionKey)
	if err != nil {
		return nil, err
	}
	return sess, requireConnected(sess)
}

// groupCall runs a command whose result is a GroupResult.
func (s *Groups) groupCall(ctx context.Context, sess *wagate.Session, typ string, payload any) (*wagate.Group, *wagate.CommandResult, error) {
	res, pending, err := call[events.GroupResult](ctx, s.Commands, sess.SessionID, typ, payload)
	if err != nil || pending != nil {
		return nil, pending, err
	}
	return wire.Group(sess.SessionID, res.Group), nil, nil
}
