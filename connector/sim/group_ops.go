package sim

import (
	"context"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	wagate "github.com/wagate/wagate/shared"
)

// The engine's group methods on the simulated network (rules in groups.go).

var (
	_ wagate.EngineGroups    = (*Client)(nil)
	_ wagate.EngineDirectory = (*Client)(nil)
)

// livePhone returns the number of a live client, or ENOTCONNECTED.
func (c *Client) livePhone() (string, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.state != stateConnected || c.dev == nil {
		return "", c.notConnected()
	}
	return c.dev.Phone, nil
}

// CreateGroup creates a group with the session as its superadmin; the
// participants the rules allow are added, each result says what happened.
func (c *Client) CreateGroup(ctx context.Context, subject string, participants []string) (*wagate.Group, []wagate.ParticipantResult, error) {
	phone, err := c.livePhone()
	if err != nil {
		return nil, nil, err
	}
	subject = strings.TrimSpace(subject)
	if subject == "" || utf8.RuneCountInString(subject) > wagate.MaxGroupSubject {
		return nil, nil, wagate.Errorf(wagate.EINVALID, "A group subject must be 1-%d characters.", wagate.MaxGroupSubject)
	}
	gs := &c.net.groups
	gs.mu.Lock()
	gs.init()
	g := &simGroup{jid: gs.newGroupJID(), subject: subject, owner: phone, created: now().Truncate(time.Second),
		members: []*simMember{{phone: phone, admin: true, super: true}}}
	results := make([]wagate.ParticipantResult, 0, len(participants))
	for _, p := range participants {
		r, _ := g.add(p)
		results = append(results, r)
	}
	gs.byJID[g.jid] = g
	gs.newInvite(g)
	var notes []note
	for _, p := range g.phones() {
		notes = append(notes, note{p, wagate.GroupEvent{Group: g.snapshot()}})
	}
	snap := g.snapshot()
	gs.mu.Unlock()
	c.net.deliver(notes)
	return snap, results, nil
}

// add adds a participant by the rules and reports the outcome.
func (g *simGroup) add(jid string) (wagate.ParticipantResult, bool) {
	phone, err := normalizePhone(jid)
	code := 200
	switch {
	case err != nil || !onWhatsApp(phone):
		code = 404
	case strings.HasSuffix(phone, PrivacyRefusesSuffix):
		code = 403 // WhatsApp answers with an add request: an invite is sent
	case g.member(phone) != nil:
		code = 409
	default:
		g.members = append(g.members, &simMember{phone: phone})
	}
	return result(wagate.ParticipantAdd, jid, code), code == 200
}

func result(action wagate.ParticipantAction, jid string, code int) wagate.ParticipantResult {
	st, msg := wagate.ParticipantStatusOf(action, code, action == wagate.ParticipantAdd && code == 403)
	return wagate.ParticipantResult{JID: jid, Status: st, Code: code, Message: msg}
}

// GroupInfo returns a group the session is in.
func (c *Client) GroupInfo(ctx context.Context, jid string) (*wagate.Group, error) {
	phone, err := c.livePhone()
	if err != nil {
		return nil, err
	}
	gs := &c.net.groups
	gs.mu.Lock()
	defer gs.mu.Unlock()
	gs.init()
	g, _, err := gs.find(jid, phone)
	if err != nil {
		return nil, err
	}
	return g.snapshot(), nil
}

// JoinedGroups returns the groups the session is in, by JID.
func (c *Client) JoinedGroups(ctx context.Context) ([]*wagate.Group, error) {
	phone, err := c.livePhone()
	if err != nil {
		return nil, err
	}
	gs := &c.net.groups
	gs.mu.Lock()
	defer gs.mu.Unlock()
	gs.init()
	var out []*wagate.Group
	for _, g := range gs.byJID {
		if g.member(phone) != nil {
			out = append(out, g.snapshot())
		}
	}
	slices.SortFunc(out, func(a, b *wagate.Group) int { return strings.Compare(a.JID, b.JID) })
	return out, nil
}

// UpdateGroup changes a group's info and settings, as the rules allow.
func (c *Client) UpdateGroup(ctx context.Context, jid string, u wagate.GroupUpdate) error {
	phone, err := c.livePhone()
	if err != nil {
		return err
	}
	if u.Subject != nil && (strings.TrimSpace(*u.Subject) == "" || utf8.RuneCountInString(*u.Subject) > wagate.MaxGroupSubject) {
		return wagate.Errorf(wagate.EINVALID, "A group subject must be 1-%d characters.", wagate.MaxGroupSubject)
	}
	gs := &c.net.groups
	gs.mu.Lock()
	gs.init()
	g, me, err := gs.find(jid, phone)
	if err != nil {
		gs.mu.Unlock()
		return err
	}
	admin := me.admin || me.super
	switch {
	case (u.Subject != nil || u.Description != nil) && g.locked && !admin:
		err = notAdmin(jid, "edit its info (the group is locked)")
	case (u.Announce != nil || u.Locked != nil) && !admin:
		err = notAdmin(jid, "change its settings")
	}
	if err != nil {
		gs.mu.Unlock()
		return err
	}
	setIf(&g.subject, u.Subject)
	setIf(&g.description, u.Description)
	setIf(&g.announce, u.Announce)
	setIf(&g.locked, u.Locked)
	notes := notesTo(g.phones(), wagate.GroupChangeEvent{GroupJID: jid, Change: u.Change(), At: now()})
	gs.mu.Unlock()
	c.net.deliver(notes)
	return nil
}

// UpdateParticipants adds, removes, promotes or demotes members (admins only).
func (c *Client) UpdateParticipants(ctx context.Context, jid string, action wagate.ParticipantAction, participants []string) ([]wagate.ParticipantResult, error) {
	phone, err := c.livePhone()
	if err != nil {
		return nil, err
	}
	if !action.Valid() {
		return nil, wagate.Errorf(wagate.EINVALID, "Unknown participant action %q.", action)
	}
	gs := &c.net.groups
	gs.mu.Lock()
	gs.init()
	g, me, err := gs.find(jid, phone)
	if err == nil && !me.admin && !me.super {
		err = notAdmin(jid, "change its members")
	}
	if err != nil {
		gs.mu.Unlock()
		return nil, err
	}
	before := g.phones()
	results := make([]wagate.ParticipantResult, 0, len(participants))
	var done []string // phones the action succeeded on
	for _, p := range participants {
		r, target := g.apply(action, p, me.super)
		results = append(results, r)
		if r.OK() {
			done = append(done, target)
		}
	}
	notes := g.participantNotes(action, done, before)
	gs.mu.Unlock()
	c.net.deliver(notes)
	return results, nil
}

// apply does action for one participant; it returns the outcome and the
// participant's number.
func (g *simGroup) apply(action wagate.ParticipantAction, jid string, bySuper bool) (wagate.ParticipantResult, string) {
	if action == wagate.ParticipantAdd {
		r, _ := g.add(jid)
		phone, _ := normalizePhone(jid)
		return r, phone
	}
	phone, err := normalizePhone(jid)
	m := g.member(phone)
	switch {
	case err != nil || m == nil:
		return result(action, jid, 404), phone
	case m.super && !bySuper && action != wagate.ParticipantPromote:
		return result(action, jid, 403), phone
	}
	switch action {
	case wagate.ParticipantRemove:
		g.remove(phone)
	case wagate.ParticipantPromote:
		m.admin = true
	case wagate.ParticipantDemote:
		m.admin, m.super = false, false
	}
	return result(action, jid, 200), phone
}

// participantNotes are the events of a member change: who joined gets the
// whole group, who left learns it, the others get the change.
func (g *simGroup) participantNotes(action wagate.ParticipantAction, done, before []string) []note {
	if len(done) == 0 {
		return nil
	}
	jids := make([]string, len(done))
	for i, p := range done {
		jids[i] = p + "@" + jidServer
	}
	at := now()
	var notes []note
	switch action {
	case wagate.ParticipantAdd:
		var added []wagate.GroupParticipant
		for _, p := range done {
			added = append(added, participantOf(g.member(p)))
			notes = append(notes, note{p, wagate.GroupEvent{Group: g.snapshot()}})
		}
		notes = append(notes, notesTo(before, wagate.GroupChangeEvent{GroupJID: g.jid, Change: wagate.GroupChange{Add: added}, At: at})...)
	case wagate.ParticipantRemove:
		notes = notesTo(done, wagate.GroupChangeEvent{GroupJID: g.jid, Change: wagate.GroupChange{Left: true}, At: at})
		notes = append(notes, notesTo(g.phones(), wagate.GroupChangeEvent{GroupJID: g.jid, Change: wagate.GroupChange{Remove: jids}, At: at})...)
	case wagate.ParticipantPromote:
		notes = notesTo(g.phones(), wagate.GroupChangeEvent{GroupJID: g.jid, Change: wagate.GroupChange{Promote: jids}, At: at})
	case wagate.ParticipantDemote:
		notes = notesTo(g.phones(), wagate.GroupChangeEvent{GroupJID: g.jid, Change: wagate.GroupChange{Demote: jids}, At: at})
	}
	return notes
}

// InviteCode returns the group's invite code (admins only); reset revokes
// it and makes a new one.
func (c *Client) InviteCode(ctx context.Context, jid string, reset bool) (string, error) {
	phone, err := c.livePhone()
	if err != nil {
		return "", err
	}
	gs := &c.net.groups
	gs.mu.Lock()
	defer gs.mu.Unlock()
	gs.init()
	g, me, err := gs.find(jid, phone)
	if err != nil {
		return "", err
	}
	if !me.admin && !me.super {
		return "", notAdmin(jid, "get its invite link")
	}
	if reset {
		gs.newInvite(g)
	}
	return g.invite, nil
}

// JoinWithCode joins the group of an invite code as a plain member.
// Returns ENOTFOUND for an unknown or revoked code.
func (c *Client) JoinWithCode(ctx context.Context, code string) (string, error) {
	phone, err := c.livePhone()
	if err != nil {
		return "", err
	}
	gs := &c.net.groups
	gs.mu.Lock()
	gs.init()
	g := gs.byInvite[code]
	if g == nil {
		gs.mu.Unlock()
		return "", wagate.Errorf(wagate.ENOTFOUND, "The invite code is not valid or was revoked.")
	}
	var notes []note
	if g.member(phone) == nil {
		before := g.phones()
		g.members = append(g.members, &simMember{phone: phone})
		notes = g.participantNotes(wagate.ParticipantAdd, []string{phone}, before)
	}
	gs.mu.Unlock()
	c.net.deliver(notes)
	return g.jid, nil
}

func setIf[T any](dst *T, v *T) {
	if v != nil {
		*dst = *v
	}
}
