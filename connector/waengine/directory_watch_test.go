package waengine

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"reflect"
	"testing"
	"time"

	"go.mau.fi/whatsmeow/appstate"
	"go.mau.fi/whatsmeow/proto/waHistorySync"
	"go.mau.fi/whatsmeow/proto/waSyncAction"
	"go.mau.fi/whatsmeow/types"
	"go.mau.fi/whatsmeow/types/events"
	"google.golang.org/protobuf/proto"

	wagate "github.com/wagate/wagate/shared"
)

// fakeContacts is a hand-set contactSource.
type fakeContacts struct {
	rows map[types.JID]types.ContactInfo
	pn   map[types.JID]types.JID // LID → phone
}

func (f fakeContacts) GetContact(_ context.Context, j types.JID) (types.ContactInfo, error) {
	return f.rows[j], nil
}

func (f fakeContacts) GetPNForLID(_ context.Context, lid types.JID) (types.JID, error) {
	if pn, ok := f.pn[lid]; ok {
		return pn, nil
	}
	return types.EmptyJID, errors.New("unknown")
}

func (f fakeContacts) GetLIDForPN(_ context.Context, pn types.JID) (types.JID, error) {
	for lid, p := range f.pn {
		if p == pn {
			return lid, nil
		}
	}
	return types.EmptyJID, nil
}

func TestWatcher(t *testing.T) {
	src := fakeContacts{
		rows: map[types.JID]types.ContactInfo{
			dirAnaPN:  {Found: true, FullName: "Ana García"},
			dirAnaLID: {Found: true, PushName: "Anita"},
		},
		pn: map[types.JID]types.JID{dirAnaLID: dirAnaPN},
	}
	ana := wagate.Contact{JID: dirAnaPN.String(), LID: dirAnaLID.String(), Phone: "34600000001", Name: "Ana García", PushName: "Anita", IsWAContact: true}
	at := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	tests := []struct {
		name string
		evt  any
		want []wagate.EngineEvent
	}{
		{"PushNameByLID", &events.PushName{JID: dirAnaLID, NewPushName: "Anita"}, []wagate.EngineEvent{wagate.ContactsEvent{Contacts: []wagate.Contact{ana}}}},
		{"AddressBookContact", &events.Contact{JID: dirAnaPN, Action: &waSyncAction.ContactAction{FullName: proto.String("Ana García")}},
			[]wagate.EngineEvent{wagate.ContactsEvent{Contacts: []wagate.Contact{ana}}}},
		{"OwnPushNameIgnored", &events.PushName{JID: testOwnJID.ToNonAD(), NewPushName: "me"}, nil},
		{"Picture", &events.Picture{JID: dirAnaLID, PictureID: "42"}, []wagate.EngineEvent{wagate.ContactPictureEvent{JID: dirAnaPN.String(), PictureID: "42"}}},
		{"PictureRemoved", &events.Picture{JID: dirCarlPN, Remove: true, PictureID: "x"}, []wagate.EngineEvent{wagate.ContactPictureEvent{JID: dirCarlPN.String()}}},
		{"GroupPictureIgnored", &events.Picture{JID: dirGroup, PictureID: "1"}, nil},
		{"AddressBookSnapshot", &events.AppStateSyncComplete{Name: appstate.WAPatchCriticalUnblockLow}, []wagate.EngineEvent{wagate.ContactsEvent{All: true}}},
		{"OtherAppState", &events.AppStateSyncComplete{Name: appstate.WAPatchRegular}, nil},
		{"HistoryPushNames", &events.HistorySync{Data: &waHistorySync.HistorySync{Pushnames: []*waHistorySync.Pushname{{ID: proto.String("x"), Pushname: proto.String("y")}}}},
			[]wagate.EngineEvent{wagate.ContactsEvent{All: true}}},
		{"JoinedGroup", &events.JoinedGroup{GroupInfo: types.GroupInfo{JID: dirGroup, GroupName: types.GroupName{Name: "G"}}},
			[]wagate.EngineEvent{wagate.GroupEvent{Group: &wagate.Group{JID: dirGroup.String(), Subject: "G", Participants: []wagate.GroupParticipant{}}}}},
		{"GroupChange", &events.GroupInfo{JID: dirGroup, Timestamp: at, Leave: []types.JID{testOwnLID}},
			[]wagate.EngineEvent{wagate.GroupChangeEvent{GroupJID: dirGroup.String(), At: at, Change: wagate.GroupChange{Remove: []string{testOwnLID.String()}, Left: true}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := &recorder{}
			w := &watcher{
				log: slog.New(slog.NewTextHandler(io.Discard, nil)), out: &emitter{handle: r.handle},
				dev: &fakeDevice{id: testOwnJID, lid: testOwnLID}, src: src,
			}
			w.handle(tt.evt)
			if got := r.all(); !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("events:\n got  %#v\n want %#v", got, tt.want)
			}
		})
	}
}
