package waengine

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"go.mau.fi/whatsmeow"
	"go.mau.fi/whatsmeow/types"
	"go.mau.fi/whatsmeow/types/events"

	wagate "github.com/wagate/wagate/shared"
)

func TestCreateRequest(t *testing.T) {
	tests := []struct {
		name         string
		subject      string
		participants []string
		want         whatsmeow.ReqCreateGroup
		code         string
	}{
		{"OK", " Equipo ", []string{"34600000001", "111@lid"}, whatsmeow.ReqCreateGroup{Name: "Equipo", Participants: []types.JID{dirAnaPN, dirAnaLID}}, ""},
		{"ErrSubjectTooLong", strings.Repeat("x", 26), []string{"34600000001"}, whatsmeow.ReqCreateGroup{}, wagate.EINVALID},
		{"ErrNoSubject", "  ", []string{"34600000001"}, whatsmeow.ReqCreateGroup{}, wagate.EINVALID},
		{"ErrParticipantIsAGroup", "x", []string{"120363000000000001@g.us"}, whatsmeow.ReqCreateGroup{}, wagate.EINVALID},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := createRequest(tt.subject, tt.participants)
			if code := wagate.ErrorCode(err); code != tt.code {
				t.Fatalf("createRequest error %v, want code %q", err, tt.code)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("createRequest = %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestGroupOf(t *testing.T) {
	created := time.Date(2025, 3, 4, 5, 6, 7, 0, time.FixedZone("CET", 3600))
	info := &types.GroupInfo{
		JID: dirGroup, OwnerJID: dirAnaLID, OwnerPN: dirAnaPN,
		GroupName: types.GroupName{Name: "Equipo"}, GroupTopic: types.GroupTopic{Topic: "about"},
		GroupLocked: types.GroupLocked{IsLocked: true}, GroupAnnounce: types.GroupAnnounce{IsAnnounce: true},
		GroupCreated: created,
		Participants: []types.GroupParticipant{
			{JID: dirAnaLID, LID: dirAnaLID, PhoneNumber: dirAnaPN, IsAdmin: true, IsSuperAdmin: true},
			{JID: dirBobLID, LID: dirBobLID},
			{JID: dirCarlPN, PhoneNumber: dirCarlPN, Error: 403, AddRequest: &types.GroupParticipantAddRequest{Code: "c"}},
		},
	}
	want := &wagate.Group{
		JID: dirGroup.String(), Subject: "Equipo", Description: "about", OwnerJID: dirAnaPN.String(),
		CreatedAt: created.UTC(), Announce: true, Locked: true,
		Participants: []wagate.GroupParticipant{
			{JID: dirAnaPN.String(), LID: dirAnaLID.String(), Phone: "34600000001", IsAdmin: true, IsSuperAdmin: true},
			{JID: dirBobLID.String(), LID: dirBobLID.String()},
		},
	}
	if got := groupOf(info); !reflect.DeepEqual(got, want) {
		t.Fatalf("groupOf:\n got  %+v\n want %+v", got, want)
	}
}

func TestOutcomes(t *testing.T) {
	expires := time.Unix(1_800_000_000, 0)
	req := &types.GroupParticipantAddRequest{Code: "AbCd", Expiration: expires}
	requested := []types.JID{dirAnaPN, dirCarlPN, dirBobLID, {User: "34600000009", Server: types.DefaultUserServer}, {User: "34600000008", Server: types.DefaultUserServer}}
	answered := []types.GroupParticipant{
		{JID: dirAnaLID, LID: dirAnaLID, PhoneNumber: dirAnaPN},                            // added, answered by LID
		{JID: dirCarlPN, PhoneNumber: dirCarlPN, Error: 403, AddRequest: req},              // privacy
		{JID: dirBobLID, LID: dirBobLID, Error: 409},                                       // already in
		{JID: types.JID{User: "34600000009", Server: types.DefaultUserServer}, Error: 403}, // privacy, no add request
	}
	os := outcomes(requested, answered)
	invited := map[types.JID]bool{dirCarlPN: true}
	var got []wagate.ParticipantResult
	for _, o := range os {
		got = append(got, resultOf(wagate.ParticipantAdd, o, invited[o.jid]))
	}
	wantStatus := []wagate.ParticipantStatus{wagate.ParticipantOK, wagate.ParticipantInviteSent, wagate.ParticipantAlreadyIn, wagate.ParticipantNotAllowed, wagate.ParticipantFailed}
	wantCode := []int{200, 403, 409, 403, 0}
	for i, r := range got {
		if r.Status != wantStatus[i] || r.Code != wantCode[i] || r.JID != requested[i].String() || r.Message == "" {
			t.Errorf("participant %d: %+v, want status %s code %d", i, r, wantStatus[i], wantCode[i])
		}
	}
	if os[1].request != req {
		t.Fatal("the add request of a 403 is kept for the invite")
	}

	msg := inviteMessage(dirGroup, "Equipo", req).GetGroupInviteMessage()
	if msg.GetGroupJID() != dirGroup.String() || msg.GetInviteCode() != "AbCd" || msg.GetInviteExpiration() != expires.Unix() || msg.GetGroupName() != "Equipo" {
		t.Fatalf("invite message: %v", msg)
	}

	if r := resultOf(wagate.ParticipantRemove, outcome{jid: dirAnaPN, code: 404}, false); r.Status != wagate.ParticipantNotInGroup {
		t.Fatalf("remove of a non-member: %+v", r)
	}
}

func TestGroupChangeOf(t *testing.T) {
	pn := map[types.JID]types.JID{dirAnaLID: dirAnaPN}
	member := func(j types.JID) wagate.GroupParticipant {
		m := wagate.GroupParticipant{JID: j.String()}
		if p, ok := pn[j]; ok {
			m.JID, m.LID, m.Phone = p.String(), j.String(), p.User
		}
		return m
	}
	isOwn := func(j types.JID) bool { return j == testOwnLID }
	link := whatsmeow.InviteLinkPrefix + "NewCode"
	tests := []struct {
		name string
		evt  *events.GroupInfo
		want wagate.GroupChange
	}{
		{"Settings", &events.GroupInfo{
			Name: &types.GroupName{Name: "New"}, Topic: &types.GroupTopic{Topic: "t"},
			Announce: &types.GroupAnnounce{IsAnnounce: true}, Locked: &types.GroupLocked{IsLocked: false}, NewInviteLink: &link,
		}, wagate.GroupChange{Subject: ptr("New"), Description: ptr("t"), Announce: ptr(true), Locked: ptr(false), InviteCode: ptr("NewCode")}},
		{"TopicDeleted", &events.GroupInfo{Topic: &types.GroupTopic{Topic: "old", TopicDeleted: true}}, wagate.GroupChange{Description: ptr("")}},
		{"Members", &events.GroupInfo{Join: []types.JID{dirAnaLID}, Leave: []types.JID{dirBobLID}, Promote: []types.JID{dirAnaLID}, Demote: []types.JID{dirCarlPN}},
			wagate.GroupChange{Add: []wagate.GroupParticipant{{JID: dirAnaPN.String(), LID: dirAnaLID.String(), Phone: "34600000001"}},
				Remove: []string{dirBobLID.String()}, Promote: []string{dirAnaPN.String()}, Demote: []string{dirCarlPN.String()}}},
		{"WeLeft", &events.GroupInfo{Leave: []types.JID{testOwnLID}}, wagate.GroupChange{Remove: []string{testOwnLID.String()}, Left: true}},
		{"Deleted", &events.GroupInfo{Delete: &types.GroupDelete{Deleted: true}}, wagate.GroupChange{Left: true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := groupChangeOf(tt.evt, member, isOwn); !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("groupChangeOf:\n got  %+v\n want %+v", got, tt.want)
			}
		})
	}
}

func TestGroupError(t *testing.T) {
	tests := []struct {
		err  error
		code string
	}{
		{whatsmeow.ErrNotConnected, wagate.ENOTCONNECTED},
		{whatsmeow.ErrGroupNotFound, wagate.ENOTFOUND},
		{whatsmeow.ErrIQNotFound, wagate.ENOTFOUND},
		{whatsmeow.ErrInviteLinkInvalid, wagate.ENOTFOUND},
		{whatsmeow.ErrInviteLinkRevoked, wagate.ENOTFOUND},
		{whatsmeow.ErrGroupInviteLinkUnauthorized, wagate.EFORBIDDEN},
		{whatsmeow.ErrIQNotAuthorized, wagate.EFORBIDDEN},
		{whatsmeow.ErrNotInGroup, wagate.EFORBIDDEN},
		{whatsmeow.ErrIQForbidden, wagate.EFORBIDDEN},
		{whatsmeow.ErrIQNotAcceptable, wagate.EINVALID},
		{whatsmeow.ErrIQRateOverLimit, wagate.ERATELIMIT},
		{&whatsmeow.IQError{Code: 500, Text: "internal-server-error"}, wagate.EWHATSAPP},
		{errors.New("boom"), wagate.EINTERNAL},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.err), func(t *testing.T) {
			err := groupError("change its members", tt.err)
			if got := wagate.ErrorCode(err); got != tt.code || !errors.Is(err, tt.err) {
				t.Fatalf("groupError(%v) = %v (code %s), want code %s wrapping the cause", tt.err, err, got, tt.code)
			}
		})
	}
}

func ptr[T any](v T) *T { return &v }
