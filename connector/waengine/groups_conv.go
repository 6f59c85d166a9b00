package waengine

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"go.mau.fi/whatsmeow"
	"go.mau.fi/whatsmeow/proto/waE2E"
	"go.mau.fi/whatsmeow/types"
	"go.mau.fi/whatsmeow/types/events"
	"google.golang.org/protobuf/proto"

	wagate "github.com/wagate/wagate/shared"
)

// Pure conversions of groups: requests built from wagate values, whatsmeow
// answers and events converted back (groups.go does the I/O).

// inviteCaption is the text of the invite sent to someone whose privacy
// settings do not let us add them.
const inviteCaption = "Invitation to join my WhatsApp group"

// parseGroupJID parses a group JID.
func parseGroupJID(s string) (types.JID, error) {
	j, err := types.ParseJID(s)
	if err != nil || j.Server != types.GroupServer || j.User == "" {
		return types.EmptyJID, wagate.Errorf(wagate.EINVALID, "%q is not a group JID.", s)
	}
	return j, nil
}

// parsePeople parses participant JIDs (phone numbers or LIDs).
func parsePeople(in []string) ([]types.JID, error) {
	out := make([]types.JID, 0, len(in))
	for _, s := range in {
		j, err := parsePerson(s)
		if err != nil {
			return nil, err
		}
		out = append(out, j)
	}
	return out, nil
}

// createRequest is the CreateGroup request for subject and participants.
func createRequest(subject string, participants []string) (whatsmeow.ReqCreateGroup, error) {
	subject = strings.TrimSpace(subject)
	if subject == "" || utf8.RuneCountInString(subject) > wagate.MaxGroupSubject {
		return whatsmeow.ReqCreateGroup{}, wagate.Errorf(wagate.EINVALID, "A group subject must be 1-%d characters.", wagate.MaxGroupSubject)
	}
	people, err := parsePeople(participants)
	if err != nil {
		return whatsmeow.ReqCreateGroup{}, err
	}
	return whatsmeow.ReqCreateGroup{Name: subject, Participants: people}, nil
}

// memberOf is a participant as the port names it: the phone JID when known.
func memberOf(p types.GroupParticipant) wagate.GroupParticipant {
	m := wagate.GroupParticipant{JID: p.JID.ToNonAD().String(), IsAdmin: p.IsAdmin || p.IsSuperAdmin, IsSuperAdmin: p.IsSuperAdmin}
	if !p.PhoneNumber.IsEmpty() {
		m.JID, m.Phone = p.PhoneNumber.ToNonAD().String(), p.PhoneNumber.User
	}
	if !p.LID.IsEmpty() {
		m.LID = p.LID.ToNonAD().String()
	}
	return m
}

// groupOf converts a group's info. Participants whatsmeow lists with an
// error (not added at creation) are not members.
func groupOf(info *types.GroupInfo) *wagate.Group {
	g := &wagate.Group{
		JID: info.JID.String(), Subject: info.Name, Description: info.Topic, CreatedAt: info.GroupCreated.UTC(),
		Announce: info.IsAnnounce, Locked: info.IsLocked, Participants: make([]wagate.GroupParticipant, 0, len(info.Participants)),
	}
	if info.GroupCreated.IsZero() {
		g.CreatedAt = info.GroupCreated
	}
	switch {
	case !info.OwnerPN.IsEmpty():
		g.OwnerJID = info.OwnerPN.ToNonAD().String()
	case !info.OwnerJID.IsEmpty():
		g.OwnerJID = info.OwnerJID.ToNonAD().String()
	}
	for _, p := range info.Participants {
		if p.Error == 0 {
			g.Participants = append(g.Participants, memberOf(p))
		}
	}
	return g
}

// outcome is what WhatsApp said about one requested participant.
type outcome struct {
	jid     types.JID
	code    int // 0 and 200 are success
	request *types.GroupParticipantAddRequest
	missing bool // WhatsApp did not mention it
}

// outcomes pairs each requested participant with WhatsApp's answer for it
// (matched on its JID, phone number or LID).
func outcomes(requested []types.JID, answered []types.GroupParticipant) []outcome {
	out := make([]outcome, 0, len(requested))
	for _, r := range requested {
		o := outcome{jid: r, missing: true}
		r = r.ToNonAD()
		for _, a := range answered {
			if a.JID.ToNonAD() == r || (!a.PhoneNumber.IsEmpty() && a.PhoneNumber.ToNonAD() == r) || (!a.LID.IsEmpty() && a.LID.ToNonAD() == r) {
				o.code, o.request, o.missing = a.Error, a.AddRequest, false
				break
			}
		}
		out = append(out, o)
	}
	return out
}

// resultOf is the port's result for an outcome; invited says an invite
// was sent after a 403.
func resultOf(action wagate.ParticipantAction, o outcome, invited bool) wagate.ParticipantResult {
	r := wagate.ParticipantResult{JID: o.jid.ToNonAD().String(), Code: o.code}
	if o.missing {
		r.Status, r.Message = wagate.ParticipantFailed, "WhatsApp did not report on this participant"
		return r
	}
	if r.Code == 0 {
		r.Code = 200
	}
	r.Status, r.Message = wagate.ParticipantStatusOf(action, o.code, invited)
	return r
}

// inviteMessage is the group invite sent to someone who cannot be added.
func inviteMessage(group types.JID, groupName string, req *types.GroupParticipantAddRequest) *waE2E.Message {
	return &waE2E.Message{GroupInviteMessage: &waE2E.GroupInviteMessage{
		GroupJID:         proto.String(group.String()),
		InviteCode:       proto.String(req.Code),
		InviteExpiration: proto.Int64(req.Expiration.Unix()),
		GroupName:        proto.String(groupName),
		Caption:          proto.String(inviteCaption),
	}}
}

// groupChangeOf converts a group change notification. member names a
// participant (resolving LIDs); isOwn recognises the linked account.
func groupChangeOf(evt *events.GroupInfo, member func(types.JID) wagate.GroupParticipant, isOwn func(types.JID) bool) wagate.GroupChange {
	var ch wagate.GroupChange
	if evt.Name != nil {
		ch.Subject = &evt.Name.Name
	}
	if evt.Topic != nil {
		topic := evt.Topic.Topic
		if evt.Topic.TopicDeleted {
			topic = ""
		}
		ch.Description = &topic
	}
	if evt.Announce != nil {
		ch.Announce = &evt.Announce.IsAnnounce
	}
	if evt.Locked != nil {
		ch.Locked = &evt.Locked.IsLocked
	}
	if evt.NewInviteLink != nil {
		code := strings.TrimPrefix(*evt.NewInviteLink, whatsmeow.InviteLinkPrefix)
		ch.InviteCode = &code
	}
	for _, j := range evt.Join {
		ch.Add = append(ch.Add, member(j))
	}
	keys := func(js []types.JID) []string {
		var out []string
		for _, j := range js {
			out = append(out, member(j).JID)
		}
		return out
	}
	ch.Remove, ch.Promote, ch.Demote = keys(evt.Leave), keys(evt.Promote), keys(evt.Demote)
	for _, j := range evt.Leave {
		if isOwn(j) {
			ch.Left = true
		}
	}
	if evt.Delete != nil && evt.Delete.Deleted {
		ch.Left = true
	}
	return ch
}

// groupError classifies a failed group request for action ("create the
// group", "change its members"…).
func groupError(action string, err error) error {
	var iq *whatsmeow.IQError
	var code error
	switch {
	case errors.Is(err, whatsmeow.ErrNotConnected), errors.Is(err, whatsmeow.ErrNotLoggedIn), errors.Is(err, whatsmeow.ErrIQDisconnected):
		code = wagate.Errorf(wagate.ENOTCONNECTED, "The session is not connected.")
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return fmt.Errorf("%s: %w", action, err)
	case errors.Is(err, whatsmeow.ErrInviteLinkInvalid), errors.Is(err, whatsmeow.ErrInviteLinkRevoked):
		code = wagate.Errorf(wagate.ENOTFOUND, "The invite code is not valid or was revoked.")
	case errors.Is(err, whatsmeow.ErrGroupNotFound), errors.Is(err, whatsmeow.ErrIQNotFound):
		code = wagate.Errorf(wagate.ENOTFOUND, "Group not found.")
	case errors.Is(err, whatsmeow.ErrGroupInviteLinkUnauthorized), errors.Is(err, whatsmeow.ErrIQNotAuthorized):
		code = wagate.Errorf(wagate.EFORBIDDEN, "Only group admins can %s.", action)
	case errors.Is(err, whatsmeow.ErrNotInGroup), errors.Is(err, whatsmeow.ErrIQForbidden):
		code = wagate.Errorf(wagate.EFORBIDDEN, "The session is not a participant of the group.")
	case errors.Is(err, whatsmeow.ErrIQNotAcceptable), errors.Is(err, whatsmeow.ErrIQBadRequest):
		code = wagate.Errorf(wagate.EINVALID, "WhatsApp rejected the request to %s.", action)
	case errors.Is(err, whatsmeow.ErrIQRateOverLimit):
		code = wagate.Errorf(wagate.ERATELIMIT, "WhatsApp refused more group requests for now; try later.")
	case errors.As(err, &iq):
		code = wagate.Errorf(wagate.EWHATSAPP, "WhatsApp refused to %s (%d %s).", action, iq.Code, iq.Text)
	default:
		return fmt.Errorf("%s: %w", action, err)
	}
	return fmt.Errorf("%s: %w: %w", action, code, err)
}
