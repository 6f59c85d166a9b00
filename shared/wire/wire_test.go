package wire_test

import (
	"encoding/json"
	"reflect"
	"testing"
	"time"

	wagate "github.com/wagate/wagate/shared"
	"github.com/wagate/wagate/shared/wire"
)

// roundTrip sends v through JSON as the command result store does.
func roundTrip[T any](t *testing.T, v T) T {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var out T
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	return out
}

func TestGroupRoundTrip(t *testing.T) {
	for name, g := range map[string]*wagate.Group{
		"Full": {
			SessionID: "s1", JID: "120363000000000001@g.us", Subject: "Equipo", Description: "d", OwnerJID: "34600000001@s.whatsapp.net",
			CreatedAt: time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC), Announce: true, Locked: true, InviteCode: "Code",
			Participants: []wagate.GroupParticipant{{JID: "34600000001@s.whatsapp.net", LID: "1@lid", Phone: "34600000001", IsAdmin: true, IsSuperAdmin: true}},
		},
		"Empty": {SessionID: "s1", JID: "120363000000000002@g.us", Participants: []wagate.GroupParticipant{}},
	} {
		t.Run(name, func(t *testing.T) {
			got := wire.Group("s1", roundTrip(t, wire.GroupPayload(g)))
			if !reflect.DeepEqual(got, g) {
				t.Fatalf("round trip:\n got  %+v\n want %+v", got, g)
			}
		})
	}
}

func TestResultsRoundTrip(t *testing.T) {
	rs := []wagate.ParticipantResult{{JID: "34600000002@s.whatsapp.net", Status: wagate.ParticipantInviteSent, Code: 403, Message: "m"}}
	if got := wire.ParticipantResultsOf(roundTrip(t, wire.ParticipantResults(rs))); !reflect.DeepEqual(got, rs) {
		t.Fatalf("participant results: %+v", got)
	}
	checks := []wagate.PhoneCheck{{Phone: "34600000002", JID: "34600000002@s.whatsapp.net", Exists: true, BusinessName: "B"}, {Phone: "1"}}
	if got := wire.PhoneChecksOf(roundTrip(t, wire.PhoneChecks(checks))); !reflect.DeepEqual(got, checks) {
		t.Fatalf("phone checks: %+v", got)
	}
	at := time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)
	info := &wagate.UserInfo{JID: "34600000002@s.whatsapp.net", LID: "2@lid", About: "a", PictureID: "p", PictureURL: "u", BusinessName: "B",
		Business: &wagate.BusinessProfile{Email: "e", Categories: []string{"c"}, TimeZone: "z"}, Devices: 2}
	want := info.Profile()
	want.FetchedAt = at
	if got := wire.ContactProfile(roundTrip(t, wire.ContactInfoResult(info, at))); !reflect.DeepEqual(got, want) {
		t.Fatalf("contact profile:\n got  %+v\n want %+v", got, want)
	}
	if wire.BusinessPayload(nil) != nil || wire.BusinessProfile(nil) != nil {
		t.Fatal("a missing business profile stays nil")
	}
}
