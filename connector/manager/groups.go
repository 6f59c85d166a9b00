package manager

import (
	"context"

	"github.com/wagate/wagate/events"
	wagate "github.com/wagate/wagate/shared"
	"github.com/wagate/wagate/shared/jid"
	"github.com/wagate/wagate/shared/wire"
)

// Groups: the request/reply commands, and the events that keep the group
// store current. The outcome of our own changes is stored at once (the
// event WhatsApp sends about them follows and changes nothing more).

func (m *Manager) groupCreate(ctx context.Context, h *host, c events.Command) (any, error) {
	var p events.GroupCreatePayload
	if err := decodePayload(c, &p); err != nil {
		return nil, err
	}
	eng, err := groupsOf(h)
	if err != nil {
		return nil, err
	}
	g, results, err := eng.CreateGroup(ctx, p.Subject, p.Participants)
	if err != nil {
		return nil, err
	}
	if p.Description != "" {
		if err := eng.UpdateGroup(ctx, g.JID, wagate.GroupUpdate{Description: &p.Description}); err != nil {
			m.log().Warn("set description of new group", "session_id", c.SessionID, "group", g.JID, "err", err)
		} else {
			g.Description = p.Description
		}
	}
	m.storeGroups(ctx, c.SessionID, g)
	return events.GroupCreateResult{Group: wire.GroupPayload(g), Participants: wire.ParticipantResults(results)}, nil
}

func (m *Manager) groupInfo(ctx context.Context, h *host, c events.Command) (any, error) {
	var p events.GroupRefPayload
	if err := decodePayload(c, &p); err != nil {
		return nil, err
	}
	g, err := m.fetchGroup(ctx, h, p.GroupJID)
	if err != nil {
		return nil, err
	}
	return events.GroupResult{Group: wire.GroupPayload(g)}, nil
}

// fetchGroup asks WhatsApp for a group and stores it; a group WhatsApp no
// longer shows us is dropped from the store.
func (m *Manager) fetchGroup(ctx context.Context, h *host, jid string) (*wagate.Group, error) {
	eng, err := groupsOf(h)
	if err != nil {
		return nil, err
	}
	g, err := eng.GroupInfo(ctx, jid)
	if code := wagate.ErrorCode(err); code == wagate.ENOTFOUND || code == wagate.EFORBIDDEN {
		if m.Groups != nil {
			_ = m.Groups.DeleteGroup(ctx, h.sessionID, jid)
		}
		return nil, err
	} else if err != nil {
		return nil, err
	}
	if g.InviteCode == "" && m.Groups != nil {
		if old, err := m.Groups.FindGroup(ctx, h.sessionID, jid); err == nil {
			g.InviteCode = old.InviteCode // WhatsApp's group info does not carry it
		}
	}
	m.storeGroups(ctx, h.sessionID, g)
	return g, nil
}

func (m *Manager) groupList(ctx context.Context, h *host, c events.Command) (any, error) {
	gs, err := m.syncGroups(ctx, h)
	if err != nil {
		return nil, err
	}
	return events.GroupListResult{Groups: wire.GroupPayloads(gs)}, nil
}

// syncGroups lists every group of the session and makes it the stored list.
func (m *Manager) syncGroups(ctx context.Context, h *host) ([]*wagate.Group, error) {
	eng, err := groupsOf(h)
	if err != nil {
		return nil, err
	}
	gs, err := eng.JoinedGroups(ctx)
	if err != nil {
		m.log().Warn("list groups", "session_id", h.sessionID, "err", err)
		return nil, err
	}
	if m.Groups != nil && m.sessionExists(ctx, h.sessionID) {
		for _, g := range gs {
			g.SessionID = h.sessionID
		}
		if err := m.Groups.ReplaceGroups(ctx, h.sessionID, gs); err != nil {
			m.log().Error("store groups", "session_id", h.sessionID, "err", err)
		}
	}
	return gs, nil
}

func (m *Manager) groupUpdate(ctx context.Context, h *host, c events.Command) (any, error) {
	var p events.GroupUpdatePayload
	if err := decodePayload(c, &p); err != nil {
		return nil, err
	}
	eng, err := groupsOf(h)
	if err != nil {
		return nil, err
	}
	u := wagate.GroupUpdate{Subject: p.Subject, Description: p.Description, Announce: p.Announce, Locked: p.Locked}
	if err := eng.UpdateGroup(ctx, p.GroupJID, u); err != nil {
		return nil, err
	}
	g, err := m.changeGroup(ctx, h, p.GroupJID, u.Change())
	if err != nil {
		return nil, err
	}
	return events.GroupResult{Group: wire.GroupPayload(g)}, nil
}

// changeGroup applies a change we made to the stored group, or fetches the
// group when it is not stored.
func (m *Manager) changeGroup(ctx context.Context, h *host, jid string, ch wagate.GroupChange) (*wagate.Group, error) {
	if m.Groups != nil {
		if g, err := m.Groups.FindGroup(ctx, h.sessionID, jid); err == nil {
			g.Apply(ch)
			m.storeGroups(ctx, h.sessionID, g)
			return g, nil
		}
	}
	return m.fetchGroup(ctx, h, jid)
}

func (m *Manager) groupParticipants(ctx context.Context, h *host, c events.Command) (any, error) {
	var p events.GroupParticipantsPayload
	if err := decodePayload(c, &p); err != nil {
		return nil, err
	}
	eng, err := groupsOf(h)
	if err != nil {
		return nil, err
	}
	action := wagate.ParticipantAction(p.Action)
	if !action.Valid() {
		return nil, wagate.Errorf(wagate.EINVALID, "unknown participant action %q", p.Action)
	}
	results, err := eng.UpdateParticipants(ctx, p.GroupJID, action, p.Participants)
	if err != nil {
		return nil, err
	}
	var done []string
	for _, r := range results {
		if r.OK() {
			done = append(done, r.JID)
		}
	}
	if len(done) > 0 {
		if _, err := m.changeGroup(ctx, h, p.GroupJID, participantChange(action, done)); err != nil {
			m.log().Warn("store participant change", "session_id", c.SessionID, "group", p.GroupJID, "err", err)
		}
	}
	return events.GroupParticipantsResult{GroupJID: p.GroupJID, Action: p.Action, Participants: wire.ParticipantResults(results)}, nil
}

// participantChange is the change an action made for the jids it succeeded on.
func participantChange(action wagate.ParticipantAction, jids []string) wagate.GroupChange {
	var ch wagate.GroupChange
	switch action {
	case wagate.ParticipantAdd:
		for _, j := range jids {
			ch.Add = append(ch.Add, wagate.GroupParticipant{JID: j, Phone: jid.Phone(j)})
		}
	case wagate.ParticipantRemove:
		ch.Remove = jids
	case wagate.ParticipantPromote:
		ch.Promote = jids
	case wagate.ParticipantDemote:
		ch.Demote = jids
	}
	return ch
}

func (m *Manager) groupInviteCode(ctx context.Context, h *host, c events.Command) (any, error) {
	var p events.GroupInviteCodePayload
	if err := decodePayload(c, &p); err != nil {
		return nil, err
	}
	eng, err := groupsOf(h)
	if err != nil {
		return nil, err
	}
	code, err := eng.InviteCode(ctx, p.GroupJID, p.Reset)
	if err != nil {
		return nil, err
	}
	if m.Groups != nil {
		if g, err := m.Groups.FindGroup(ctx, h.sessionID, p.GroupJID); err == nil {
			g.InviteCode = code
			m.storeGroups(ctx, h.sessionID, g)
		}
	}
	return events.GroupInviteCodeResult{GroupJID: p.GroupJID, Code: code}, nil
}

func (m *Manager) groupJoin(ctx context.Context, h *host, c events.Command) (any, error) {
	var p events.GroupJoinPayload
	if err := decodePayload(c, &p); err != nil {
		return nil, err
	}
	eng, err := groupsOf(h)
	if err != nil {
		return nil, err
	}
	jid, err := eng.JoinWithCode(ctx, p.Code)
	if err != nil {
		return nil, err
	}
	res := events.GroupJoinResult{GroupJID: jid}
	if g, err := m.fetchGroup(ctx, h, jid); err == nil {
		gp := wire.GroupPayload(g)
		res.Group = &gp
	} else {
		m.log().Info("joined group not readable yet", "session_id", c.SessionID, "group", jid, "err", err)
	}
	return res, nil
}

// handleGroup stores a group the session joined or learnt in full.
func (m *Manager) handleGroup(ctx context.Context, h *host, e wagate.GroupEvent) {
	if e.Group != nil {
		m.storeGroups(ctx, h.sessionID, e.Group)
	}
}

// handleGroupChange applies a change WhatsApp reported. A group the store
// does not know is fetched whole, in the background.
func (m *Manager) handleGroupChange(ctx context.Context, h *host, e wagate.GroupChangeEvent) {
	if m.Groups == nil {
		return
	}
	if e.Change.Left {
		if err := m.Groups.DeleteGroup(ctx, h.sessionID, e.GroupJID); err != nil && wagate.ErrorCode(err) != wagate.ENOTFOUND {
			m.log().Error("forget group", "session_id", h.sessionID, "group", e.GroupJID, "err", err)
		}
		return
	}
	g, err := m.Groups.FindGroup(ctx, h.sessionID, e.GroupJID)
	if wagate.ErrorCode(err) == wagate.ENOTFOUND {
		m.background(h, "group "+e.GroupJID, func(ctx context.Context) { _, _ = m.fetchGroup(ctx, h, e.GroupJID) })
		return
	} else if err != nil {
		m.log().Error("read group", "session_id", h.sessionID, "group", e.GroupJID, "err", err)
		return
	}
	g.Apply(e.Change)
	m.storeGroups(ctx, h.sessionID, g)
}

// storeGroups upserts groups of the session; failures are logged.
func (m *Manager) storeGroups(ctx context.Context, sessionID string, gs ...*wagate.Group) {
	if m.Groups == nil || !m.sessionExists(ctx, sessionID) {
		return
	}
	for _, g := range gs {
		g.SessionID = sessionID
	}
	if err := m.Groups.UpsertGroups(ctx, sessionID, gs); err != nil {
		m.log().Error("store groups", "session_id", sessionID, "err", err)
	}
}
