// Package wire converts between the domain types of package wagate and the
// wire contracts of package events that carry them between the API and the
// connector (command payloads and command results). Both sides use these
// functions, so a field added to a contract is converted in one place.
package wire

import (
	"time"

	"github.com/wagate/wagate/events"
	wagate "github.com/wagate/wagate/shared"
)

// GroupPayload is g on the wire.
func GroupPayload(g *wagate.Group) events.GroupPayload {
	p := events.GroupPayload{
		JID: g.JID, Subject: g.Subject, Description: g.Description, Owner: g.OwnerJID,
		Announce: g.Announce, Locked: g.Locked, InviteCode: g.InviteCode,
		Participants: make([]events.GroupMemberPayload, 0, len(g.Participants)),
	}
	if !g.CreatedAt.IsZero() {
		t := g.CreatedAt.UTC()
		p.CreatedAt = &t
	}
	for _, m := range g.Participants {
		p.Participants = append(p.Participants, events.GroupMemberPayload{
			JID: m.JID, LID: m.LID, Phone: m.Phone, IsAdmin: m.IsAdmin, IsSuperAdmin: m.IsSuperAdmin,
		})
	}
	return p
}

// Group is p as a domain group of sessionID.
func Group(sessionID string, p events.GroupPayload) *wagate.Group {
	g := &wagate.Group{
		SessionID: sessionID, JID: p.JID, Subject: p.Subject, Description: p.Description, OwnerJID: p.Owner,
		Announce: p.Announce, Locked: p.Locked, InviteCode: p.InviteCode,
		Participants: make([]wagate.GroupParticipant, 0, len(p.Participants)),
	}
	if p.CreatedAt != nil {
		g.CreatedAt = p.CreatedAt.UTC()
	}
	for _, m := range p.Participants {
		g.Participants = append(g.Participants, wagate.GroupParticipant{
			JID: m.JID, LID: m.LID, Phone: m.Phone, IsAdmin: m.IsAdmin, IsSuperAdmin: m.IsSuperAdmin,
		})
	}
	return g
}

// Groups converts a list of payloads.
func Groups(sessionID string, ps []events.GroupPayload) []*wagate.Group {
	out := make([]*wagate.Group, 0, len(ps))
	for _, p := range ps {
		out = append(out, Group(sessionID, p))
	}
	return out
}

// GroupPayloads converts a list of groups.
func GroupPayloads(gs []*wagate.Group) []events.GroupPayload {
	out := make([]events.GroupPayload, 0, len(gs))
	for _, g := range gs {
		out = append(out, GroupPayload(g))
	}
	return out
}

// ParticipantResults puts per-participant outcomes on the wire.
func ParticipantResults(rs []wagate.ParticipantResult) []events.ParticipantResult {
	out := make([]events.ParticipantResult, 0, len(rs))
	for _, r := range rs {
		out = append(out, events.ParticipantResult{JID: r.JID, Status: string(r.Status), Code: r.Code, Message: r.Message})
	}
	return out
}

// ParticipantResultsOf reads per-participant outcomes from the wire.
func ParticipantResultsOf(rs []events.ParticipantResult) []wagate.ParticipantResult {
	out := make([]wagate.ParticipantResult, 0, len(rs))
	for _, r := range rs {
		out = append(out, wagate.ParticipantResult{JID: r.JID, Status: wagate.ParticipantStatus(r.Status), Code: r.Code, Message: r.Message})
	}
	return out
}

// ContactInfoResult puts a live look-up on the wire.
func ContactInfoResult(u *wagate.UserInfo, at time.Time) events.ContactInfoResult {
	return events.ContactInfoResult{
		JID: u.JID, LID: u.LID, About: u.About, PictureID: u.PictureID, PictureURL: u.PictureURL,
		VerifiedName: u.BusinessName, Business: BusinessPayload(u.Business), Devices: u.Devices, FetchedAt: at.UTC(),
	}
}

// ContactProfile reads a live look-up from the wire.
func ContactProfile(r events.ContactInfoResult) wagate.ContactProfile {
	return wagate.ContactProfile{
		LID: r.LID, BusinessName: r.VerifiedName, About: r.About, PictureID: r.PictureID,
		PictureURL: r.PictureURL, Business: BusinessProfile(r.Business), FetchedAt: r.FetchedAt.UTC(),
	}
}

// BusinessPayload puts a business profile on the wire (nil stays nil).
func BusinessPayload(b *wagate.BusinessProfile) *events.BusinessProfilePayload {
	if b == nil {
		return nil
	}
	return &events.BusinessProfilePayload{
		Description: b.Description, Email: b.Email, Address: b.Address, Website: b.Website,
		Categories: append([]string(nil), b.Categories...), TimeZone: b.TimeZone,
	}
}

// BusinessProfile reads a business profile from the wire (nil stays nil).
func BusinessProfile(b *events.BusinessProfilePayload) *wagate.BusinessProfile {
	if b == nil {
		return nil
	}
	return &wagate.BusinessProfile{
		Description: b.Description, Email: b.Email, Address: b.Address, Website: b.Website,
		Categories: append([]string(nil), b.Categories...), TimeZone: b.TimeZone,
	}
}

// PhoneChecks puts IsOnWhatsApp answers on the wire.
func PhoneChecks(cs []wagate.PhoneCheck) events.ContactCheckResult {
	out := events.ContactCheckResult{Results: make([]events.PhoneCheckResult, 0, len(cs))}
	for _, c := range cs {
		out.Results = append(out.Results, events.PhoneCheckResult{Phone: c.Phone, JID: c.JID, Exists: c.Exists, VerifiedName: c.BusinessName})
	}
	return out
}

// PhoneChecksOf reads IsOnWhatsApp answers from the wire.
func PhoneChecksOf(r events.ContactCheckResult) []wagate.PhoneCheck {
	out := make([]wagate.PhoneCheck, 0, len(r.Results))
	for _, c := range r.Results {
		out = append(out, wagate.PhoneCheck{Phone: c.Phone, JID: c.JID, Exists: c.Exists, BusinessName: c.VerifiedName})
	}
	return out
}
