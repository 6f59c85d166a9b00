package waengine

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"testing"

	"go.mau.fi/whatsmeow"
	"go.mau.fi/whatsmeow/proto/waVnameCert"
	"go.mau.fi/whatsmeow/types"
	"google.golang.org/protobuf/proto"

	wagate "github.com/wagate/wagate/shared"
)

var (
	dirAnaPN  = types.JID{User: "34600000001", Server: types.DefaultUserServer}
	dirAnaLID = types.JID{User: "111", Server: types.HiddenUserServer}
	dirBobLID = types.JID{User: "222", Server: types.HiddenUserServer}
	dirCarlPN = types.JID{User: "34600000003", Server: types.DefaultUserServer}
	dirGroup  = types.JID{User: "120363000000000001", Server: types.GroupServer}
)

func TestContactsFromStore(t *testing.T) {
	isOwn := func(j types.JID) bool { return j == testOwnJID.ToNonAD() }
	tests := []struct {
		name       string
		all        map[types.JID]types.ContactInfo
		pnOf       map[types.JID]types.JID
		lidOf      map[types.JID]types.JID
		want       []wagate.Contact
		wantLength int
	}{
		{
			name: "PhoneAndLIDRowsMerge",
			all: map[types.JID]types.ContactInfo{
				dirAnaPN:  {Found: true, FullName: "Ana García", FirstName: "Ana"},
				dirAnaLID: {Found: true, PushName: "Anita", BusinessName: "Ana SL"},
			},
			pnOf: map[types.JID]types.JID{dirAnaLID: dirAnaPN},
			want: []wagate.Contact{{JID: dirAnaPN.String(), LID: dirAnaLID.String(), Phone: "34600000001", Name: "Ana García",
				FirstName: "Ana", PushName: "Anita", BusinessName: "Ana SL", IsWAContact: true}},
		},
		{
			name:  "PhoneRowWithKnownLID",
			all:   map[types.JID]types.ContactInfo{dirCarlPN: {PushName: "Carl"}},
			lidOf: map[types.JID]types.JID{dirCarlPN: {User: "333", Server: types.HiddenUserServer}},
			want:  []wagate.Contact{{JID: dirCarlPN.String(), LID: "333@lid", Phone: "34600000003", PushName: "Carl", IsWAContact: true}},
		},
		{
			name: "LIDWithoutPhoneStaysLID",
			all:  map[types.JID]types.ContactInfo{dirBobLID: {PushName: "Bob"}},
			want: []wagate.Contact{{JID: dirBobLID.String(), LID: dirBobLID.String(), PushName: "Bob", IsWAContact: true}},
		},
		{
			name: "OwnGroupsAndServersSkipped",
			all: map[types.JID]types.ContactInfo{
				testOwnJID.ToNonAD(): {PushName: "me"}, dirGroup: {FullName: "a group"},
				types.ServerJID: {}, dirCarlPN: {FullName: "Carl"},
			},
			want: []wagate.Contact{{JID: dirCarlPN.String(), Phone: "34600000003", Name: "Carl", IsWAContact: true}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := contactsFromStore(tt.all, tt.pnOf, tt.lidOf, isOwn)
			if !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("contactsFromStore:\n got  %+v\n want %+v", got, tt.want)
			}
		})
	}
}

func TestPhoneChecks(t *testing.T) {
	biz := &types.VerifiedName{Details: &waVnameCert.VerifiedNameCertificate_Details{VerifiedName: proto.String("Shop SL")}}
	resp := []types.IsOnWhatsAppResponse{
		{Query: "+34600000003", JID: dirCarlPN, IsIn: true, VerifiedName: biz},
		{Query: "+34600000404", JID: types.JID{User: "34600000404", Server: types.DefaultUserServer}, IsIn: false},
	}
	got := phoneChecks([]string{"34600000404", "34600000003", "34600000777"}, resp)
	want := []wagate.PhoneCheck{
		{Phone: "34600000404"},
		{Phone: "34600000003", JID: dirCarlPN.String(), Exists: true, BusinessName: "Shop SL"},
		{Phone: "34600000777"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("phoneChecks:\n got  %+v\n want %+v", got, want)
	}
	if q := phoneQuery("34600000001"); q != "+34600000001" {
		t.Fatalf("phoneQuery = %q", q)
	}
}

func TestUserInfoOf(t *testing.T) {
	u := types.UserInfo{
		Status: "busy", PictureID: "old", LID: dirAnaLID,
		Devices:      []types.JID{dirAnaPN, {User: dirAnaPN.User, Device: 2, Server: types.DefaultUserServer}},
		VerifiedName: &types.VerifiedName{Details: &waVnameCert.VerifiedNameCertificate_Details{VerifiedName: proto.String("Ana SL")}},
	}
	pic := &types.ProfilePictureInfo{URL: "https://pps.whatsapp.net/v/ana.jpg", ID: "1700"}
	biz := &types.BusinessProfile{Email: "a@example.com", Address: "Calle 1", BusinessHoursTimeZone: "Europe/Madrid",
		Categories: []types.Category{{ID: "1", Name: "Shop"}}}
	tests := []struct {
		name string
		pic  *types.ProfilePictureInfo
		biz  *types.BusinessProfile
		want *wagate.UserInfo
	}{
		{"Full", pic, biz, &wagate.UserInfo{JID: dirAnaPN.String(), LID: dirAnaLID.String(), About: "busy", PictureID: "1700",
			PictureURL: pic.URL, BusinessName: "Ana SL", Devices: 2,
			Business: &wagate.BusinessProfile{Email: "a@example.com", Address: "Calle 1", TimeZone: "Europe/Madrid", Categories: []string{"Shop"}}}},
		{"NoPictureNoBusiness", nil, nil, &wagate.UserInfo{JID: dirAnaPN.String(), LID: dirAnaLID.String(), About: "busy",
			PictureID: "old", BusinessName: "Ana SL", Devices: 2}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := userInfoOf(dirAnaPN, u, tt.pic, tt.biz); !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("userInfoOf:\n got  %+v\n want %+v", got, tt.want)
			}
		})
	}
}

func TestLookupError(t *testing.T) {
	tests := []struct {
		err  error
		code string
	}{
		{whatsmeow.ErrNotConnected, wagate.ENOTCONNECTED},
		{whatsmeow.ErrIQDisconnected, wagate.ENOTCONNECTED},
		{whatsmeow.ErrIQRateOverLimit, wagate.ERATELIMIT},
		{whatsmeow.ErrIQNotFound, wagate.ENOTFOUND},
		{&whatsmeow.IQError{Code: 500, Text: "internal-server-error"}, wagate.EWHATSAPP},
		{context.DeadlineExceeded, wagate.EINTERNAL},
		{errors.New("boom"), wagate.EINTERNAL},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.err), func(t *testing.T) {
			err := lookupError("look up", tt.err)
			if got := wagate.ErrorCode(err); got != tt.code || !errors.Is(err, tt.err) {
				t.Fatalf("lookupError(%v) = %v (code %s), want code %s wrapping the cause", tt.err, err, got, tt.code)
			}
		})
	}
}
