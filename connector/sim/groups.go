package sim

import (
	"crypto/rand"
	"slices"
	"sync"
	"time"

	wagate "github.com/wagate/wagate/shared"
)

// Groups of the simulated network. They belong to the network, not to a
// session: members are phone numbers, so two simulated sessions can share a
// group, and every session hosted on a member's number gets the group
// events (JoinedGroup as GroupEvent, changes as GroupChangeEvent), the
// actor's own session included, as WhatsApp notifies all participants.
//
// Rules the tests rely on (group_ops.go):
//   - adding a number ending in PrivacyRefusesSuffix fails with 403 and an
//     invite is "sent" (ParticipantInviteSent); a number ending in
//     NotOnWhatsAppSuffix fails with 404; a member already in, 409;
//   - only admins change settings, members and the invite code; anyone may
//     edit the subject and description of a group that is not locked;
//   - the superadmin (creator) cannot be removed or demoted by others;
//   - the network starts with one group the sessions are not in, joinable
//     with SeedInviteCode, where a joiner is a plain member (locked).

const (
	// PrivacyRefusesSuffix ends the numbers whose privacy settings refuse
	// being added to groups.
	PrivacyRefusesSuffix = "403"
	// SeedGroupJID is the group the network starts with.
	SeedGroupJID = "120363000000000001@g.us"
	// SeedInviteCode joins SeedGroupJID.
	SeedInviteCode = "SimSeedGroupInvite0001"
	// inviteCodeLen is the length of generated invite codes (as WhatsApp's).
	inviteCodeLen = 22
	// groupIDDigits is the random part of generated group JIDs ("120363…").
	groupIDDigits = 12
)

const base62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

// simGroup is one group as the network keeps it.
type simGroup struct {
	jid, subject, description, owner string
	created                          time.Time
	announce, locked                 bool
	invite                           string
	members                          []*simMember // in join order
}

type simMember struct {
	phone        string
	admin, super bool
}

// groupState is the network's groups. Its mutex is never held together
// with a Client.mu.
type groupState struct {
	mu       sync.Mutex
	byJID    map[string]*simGroup
	byInvite map[string]*simGroup
}

// init creates the maps and the seed group on first use. g.mu is held.
func (gs *groupState) init() {
	if gs.byJID != nil {
		return
	}
	gs.byJID, gs.byInvite = map[string]*simGroup{}, map[string]*simGroup{}
	seed := &simGroup{
		jid: SeedGroupJID, subject: "Vecinos Sim", description: "Grupo de ejemplo de la red simulada",
		owner: "34600000999", created: time.Date(2024, 1, 15, 10, 0, 0, 0, time.UTC), locked: true, invite: SeedInviteCode,
		members: []*simMember{{phone: "34600000999", admin: true, super: true}, {phone: "34600000998", admin: true}, {phone: "34600000101"}},
	}
	gs.byJID[seed.jid], gs.byInvite[seed.invite] = seed, seed
}

func (g *simGroup) member(phone string) *simMember {
	i := slices.IndexFunc(g.members, func(m *simMember) bool { return m.phone == phone })
	if i < 0 {
		return nil
	}
	return g.members[i]
}

func (g *simGroup) remove(phone string) {
	g.members = slices.DeleteFunc(g.members, func(m *simMember) bool { return m.phone == phone })
}

// snapshot is g as the engine port returns it.
func (g *simGroup) snapshot() *wagate.Group {
	out := &wagate.Group{
		JID: g.jid, Subject: g.subject, Description: g.description, OwnerJID: g.owner + "@" + jidServer,
		CreatedAt: g.created, Announce: g.announce, Locked: g.locked,
		Participants: make([]wagate.GroupParticipant, 0, len(g.members)),
	}
	for _, m := range g.members {
		out.Participants = append(out.Participants, participantOf(m))
	}
	return out
}

func participantOf(m *simMember) wagate.GroupParticipant {
	return wagate.GroupParticipant{JID: m.phone + "@" + jidServer, Phone: m.phone, IsAdmin: m.admin || m.super, IsSuperAdmin: m.super}
}

// phones lists the members' numbers.
func (g *simGroup) phones() []string {
	out := make([]string, len(g.members))
	for i, m := range g.members {
		out[i] = m.phone
	}
	return out
}

// note is an event for the sessions hosted on one number.
type note struct {
	phone string
	ev    wagate.EngineEvent
}

// notesTo addresses ev to each of phones.
func notesTo(phones []string, ev wagate.EngineEvent) []note {
	out := make([]note, len(phones))
	for i, p := range phones {
		out[i] = note{p, ev}
	}
	return out
}

// deliver hands each note to the live clients of its number.
func (n *Network) deliver(notes []note) {
	if len(notes) == 0 {
		return
	}
	n.mu.Lock()
	clients := make([]*Client, 0, len(n.hosts))
	for _, c := range n.hosts {
		clients = append(clients, c)
	}
	n.mu.Unlock()
	for _, c := range clients {
		c.mu.Lock()
		if c.state == stateConnected && c.dev != nil {
			for _, nt := range notes {
				if nt.phone == c.dev.Phone {
					c.emit(nt.ev)
				}
			}
		}
		c.mu.Unlock()
	}
}

// newGroupJID returns an unused group JID. gs.mu is held.
func (gs *groupState) newGroupJID() string {
	for {
		j := "120363" + randomString("0123456789", groupIDDigits) + "@g.us"
		if gs.byJID[j] == nil {
			return j
		}
	}
}

// newInvite gives g a fresh invite code, revoking the old one. gs.mu is held.
func (gs *groupState) newInvite(g *simGroup) {
	delete(gs.byInvite, g.invite)
	for {
		code := randomString(base62, inviteCodeLen)
		if gs.byInvite[code] == nil {
			g.invite = code
			gs.byInvite[code] = g
			return
		}
	}
}

// find returns the group jid for a member phone, or the error WhatsApp
// gives: ENOTFOUND for no such group, EFORBIDDEN when phone is not in it.
// gs.mu is held.
func (gs *groupState) find(jid, phone string) (*simGroup, *simMember, error) {
	g := gs.byJID[jid]
	if g == nil {
		return nil, nil, wagate.Errorf(wagate.ENOTFOUND, "Group %s not found.", jid)
	}
	m := g.member(phone)
	if m == nil {
		return nil, nil, wagate.Errorf(wagate.EFORBIDDEN, "The session is not a participant of group %s.", jid)
	}
	return g, m, nil
}

func notAdmin(jid, what string) error {
	return wagate.Errorf(wagate.EFORBIDDEN, "Only admins of group %s can %s.", jid, what)
}

func randomString(alphabet string, n int) string {
	b := make([]byte, n)
	rand.Read(b) // never fails (crypto/rand, Go ≥ 1.24)
	for i := range b {
		b[i] = alphabet[int(b[i])%len(alphabet)]
	}
	return string(b)
}
