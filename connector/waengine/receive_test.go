package waengine

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"go.mau.fi/whatsmeow"
	"go.mau.fi/whatsmeow/proto/waCommon"
	"go.mau.fi/whatsmeow/proto/waE2E"
	"go.mau.fi/whatsmeow/proto/waHistorySync"
	"go.mau.fi/whatsmeow/proto/waWeb"
	"go.mau.fi/whatsmeow/store"
	"go.mau.fi/whatsmeow/types"
	"go.mau.fi/whatsmeow/types/events"
	"google.golang.org/protobuf/proto"

	wagate "github.com/wagate/wagate/shared"
)

// fakeWA parses history messages with a real (never connected) whatsmeow
// client and answers downloads from fields.
type fakeWA struct {
	*whatsmeow.Client
	data      []byte
	err       error
	requested whatsmeow.DownloadableMessage
}

func newFakeWA() *fakeWA {
	own := testOwnJID
	return &fakeWA{Client: whatsmeow.NewClient(&store.Device{ID: &own}, nil)}
}

func (f *fakeWA) Download(_ context.Context, msg whatsmeow.DownloadableMessage) ([]byte, error) {
	f.requested = msg
	return f.data, f.err
}

// newTestReceiver returns a receiver whose events go to a recorder that
// answers each MessageEvent's Handled with answer (when set).
func newTestReceiver(wa waReceiver, wait time.Duration, answer func(ev wagate.MessageEvent)) (*receiver, *recorder, chan struct{}) {
	rec := &recorder{}
	stop := make(chan struct{})
	r := &receiver{
		log: discardLogger(),
		out: &emitter{handle: func(ev wagate.EngineEvent) {
			rec.handle(ev)
			if me, ok := ev.(wagate.MessageEvent); ok && answer != nil {
				answer(me)
			}
		}},
		wa:          wa,
		ids:         testIdentities(),
		stopped:     func() <-chan struct{} { return stop },
		handledWait: wait,
	}
	return r, rec, stop
}

func TestReceiver_WaitsForHandled(t *testing.T) {
	errStore := errors.New("disk full")
	tests := []struct {
		name   string
		answer func(ev wagate.MessageEvent)
		stop   bool
		want   bool
	}{
		{"StoredAtOnce", func(ev wagate.MessageEvent) { ev.Handled(nil) }, false, true},
		{"StoredLater", func(ev wagate.MessageEvent) {
			go func() { time.Sleep(20 * time.Millisecond); ev.Handled(nil) }()
		}, false, true},
		{"StoreFailed", func(ev wagate.MessageEvent) { go ev.Handled(errStore) }, false, false},
		{"CalledTwiceFirstCounts", func(ev wagate.MessageEvent) { ev.Handled(nil); ev.Handled(errStore) }, false, true},
		{"NeverHandledTimesOut", nil, false, false},
		{"ClientStopped", nil, true, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wait := 5 * time.Second
			if tt.answer == nil && !tt.stop {
				wait = 30 * time.Millisecond
			}
			r, rec, stop := newTestReceiver(newFakeWA(), wait, tt.answer)
			if tt.stop {
				close(stop)
			}
			start := time.Now()
			ok, mine := r.handle(fromAlice("M1", text("hi")))
			if !mine || ok != tt.want {
				t.Errorf("handle = %v (mine %v), want %v", ok, mine, tt.want)
			}
			if d := time.Since(start); d > 2*time.Second {
				t.Errorf("handle took %s", d)
			}
			evs := rec.all()
			if len(evs) != 1 {
				t.Fatalf("events %#v, want one MessageEvent", evs)
			}
			if ev := evs[0].(wagate.MessageEvent); ev.Message.WhatsAppID != "M1" || ev.Handled == nil || ev.Download != nil {
				t.Errorf("event %#v", ev)
			}
		})
	}
}

func TestReceiver_NoWait(t *testing.T) {
	tests := []struct {
		name string
		evt  any
		want []wagate.EngineEvent
	}{
		{"Revoke", fromAlice("M2", protocol(waE2E.ProtocolMessage_REVOKE, "T1", nil)), []wagate.EngineEvent{
			wagate.MessageChangeEvent{ChatID: alicePN.String(), TargetID: "T1", Revoked: true, At: msgTimeZ},
		}},
		{"IgnoredMessage", fromAlice("M3", &waE2E.Message{SenderKeyDistributionMessage: &waE2E.SenderKeyDistributionMessage{}}), nil},
		{"Receipt", &events.Receipt{MessageSource: types.MessageSource{Chat: alicePN, Sender: alicePN},
			MessageIDs: []types.MessageID{"M1"}, Type: types.ReceiptTypeRead, Timestamp: msgTime}, []wagate.EngineEvent{
			wagate.ReceiptEvent{ChatID: alicePN.String(), SenderJID: alicePN.String(), IDs: []string{"M1"}, Status: wagate.StatusRead, At: msgTimeZ},
		}},
		{"IgnoredReceipt", &events.Receipt{MessageSource: types.MessageSource{Chat: alicePN, Sender: alicePN},
			MessageIDs: []types.MessageID{"M1"}, Type: types.ReceiptTypeReadSelf}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, rec, _ := newTestReceiver(newFakeWA(), time.Hour, nil)
			ok, mine := r.handle(tt.evt)
			if !ok || !mine {
				t.Errorf("handle = %v (mine %v), want true at once", ok, mine)
			}
			evs := rec.all()
			if len(evs) != len(tt.want) {
				t.Fatalf("events %#v, want %#v", evs, tt.want)
			}
			for i := range evs {
				if fmt.Sprintf("%#v", evs[i]) != fmt.Sprintf("%#v", tt.want[i]) {
					t.Errorf("event %d = %#v, want %#v", i, evs[i], tt.want[i])
				}
			}
		})
	}
}

func TestRoute(t *testing.T) {
	r, rec, _ := newTestReceiver(newFakeWA(), time.Hour, func(ev wagate.MessageEvent) { ev.Handled(errors.New("no")) })
	d, drec := newTestDispatcher(pairedDevice(), nil)
	handler := route(r, d)
	if !handler(&events.Connected{}) {
		t.Error("Connected: false")
	}
	if handler(fromAlice("M1", text("hi"))) {
		t.Error("unstored message: true")
	}
	if n := len(rec.all()); n != 1 {
		t.Errorf("receiver got %d events, want 1", n)
	}
	if evs := drec.all(); len(evs) == 0 {
		t.Error("dispatcher got no ConnectedEvent")
	} else if _, ok := evs[0].(wagate.ConnectedEvent); !ok {
		t.Errorf("dispatcher event %#v", evs[0])
	}
}

func TestReceiver_Download(t *testing.T) {
	img := &waE2E.ImageMessage{Mimetype: proto.String("image/jpeg"), FileLength: proto.Uint64(3)}
	tests := []struct {
		name    string
		data    []byte
		err     error
		want    string
		wantErr bool
	}{
		{"OK", []byte("jpg"), nil, "jpg", false},
		{"LengthWarningKept", []byte("jpgx"), fmt.Errorf("%w: expected 3, got 4", whatsmeow.ErrFileLengthMismatch), "jpgx", false},
		{"HashWarningKept", []byte("jpg"), whatsmeow.ErrInvalidMediaSHA256, "jpg", false},
		{"Failed", nil, whatsmeow.ErrMediaDownloadFailedWith404, "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wa := newFakeWA()
			wa.data, wa.err = tt.data, tt.err
			var download func(context.Context) ([]byte, error)
			r, _, _ := newTestReceiver(wa, time.Second, func(ev wagate.MessageEvent) {
				download = ev.Download
				ev.Handled(nil)
			})
			r.handle(fromAlice("D1", &waE2E.Message{ImageMessage: img}))
			if download == nil {
				t.Fatal("no Download")
			}
			data, err := download(context.Background())
			if string(data) != tt.want || (err != nil) != tt.wantErr {
				t.Errorf("Download = %q, %v", data, err)
			}
			if tt.wantErr && !errors.Is(err, tt.err) {
				t.Errorf("err %v does not wrap %v", err, tt.err)
			}
			if wa.requested != whatsmeow.DownloadableMessage(img) {
				t.Errorf("downloaded %v, want the image part", wa.requested)
			}
		})
	}
}

func TestReceiver_HistorySync(t *testing.T) {
	ts := uint64(msgTime.Unix())
	web := func(remote string, fromMe bool, id, participant string, msg *waE2E.Message) *waHistorySync.HistorySyncMsg {
		key := &waCommon.MessageKey{RemoteJID: proto.String(remote), FromMe: proto.Bool(fromMe), ID: proto.String(id)}
		if participant != "" {
			key.Participant = proto.String(participant)
		}
		return &waHistorySync.HistorySyncMsg{Message: &waWeb.WebMessageInfo{Key: key, Message: msg, MessageTimestamp: proto.Uint64(ts), PushName: proto.String("Alice")}}
	}
	img := &waE2E.ImageMessage{Mimetype: proto.String("image/jpeg"), Caption: proto.String("story")}
	edit := &waE2E.Message{EditedMessage: wrap(protocol(waE2E.ProtocolMessage_MESSAGE_EDIT, "H0", text("edited")))}
	evt := &events.HistorySync{Data: &waHistorySync.HistorySync{
		SyncType: waHistorySync.HistorySync_RECENT.Enum(),
		Conversations: []*waHistorySync.Conversation{
			{ID: proto.String(alicePN.String()), Messages: []*waHistorySync.HistorySyncMsg{
				web(alicePN.String(), false, "H1", "", text("hello")),
				web(alicePN.String(), true, "H2", "", text("hi back")),
				web(alicePN.String(), false, "H3", "", nil), // a stub (e.g. a revoked message)
				web(alicePN.String(), false, "H4", "", edit),
				web(alicePN.String(), false, "H5", "", protocol(waE2E.ProtocolMessage_REVOKE, "H1", nil)),
			}},
			{ID: proto.String(testGroup.String()), Messages: []*waHistorySync.HistorySyncMsg{
				web(testGroup.String(), false, "G1", bobLID.String(), text("in group")),
				web(testGroup.String(), false, "G2", "", text("no sender")), // unparsable
			}},
			{ID: proto.String("not a jid@@"), Messages: []*waHistorySync.HistorySyncMsg{web("x", false, "X1", "", text("x"))}},
		},
		StatusV3Messages: []*waWeb.WebMessageInfo{
			web("status@broadcast", false, "S1", alicePN.String(), &waE2E.Message{ImageMessage: img}).Message,
		},
	}}
	r, rec, _ := newTestReceiver(newFakeWA(), time.Hour, nil)
	if ok, mine := r.handle(evt); !ok || !mine {
		t.Fatalf("handle = %v (mine %v)", ok, mine)
	}
	type summary struct {
		id, chat, sender, body string
		fromMe, edited, status bool
		download               bool
	}
	var got []summary
	for _, ev := range rec.all() {
		me, ok := ev.(wagate.MessageEvent)
		if !ok {
			t.Fatalf("event %#v, want only MessageEvents", ev)
		}
		m := me.Message
		if !m.History || me.Handled != nil || !m.Timestamp.Equal(msgTime) || m.Timestamp.Location() != time.UTC {
			t.Errorf("message %s: history %v, handled %v, timestamp %v", m.WhatsAppID, m.History, me.Handled != nil, m.Timestamp)
		}
		got = append(got, summary{m.WhatsAppID, m.ChatID, m.SenderJID, m.Body, m.FromMe, m.Edited, me.Status, me.Download != nil})
	}
	want := []summary{
		{"H1", alicePN.String(), alicePN.String(), "hello", false, false, false, false},
		{"H2", alicePN.String(), testOwnJID.ToNonAD().String(), "hi back", true, false, false, false},
		{"H0", alicePN.String(), alicePN.String(), "edited", false, true, false, false},
		{"G1", testGroup.String(), bobPN.String(), "in group", false, false, false, false},
		{"S1", "status@broadcast", alicePN.String(), "story", false, false, true, true},
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("history messages\n got %v\nwant %v", got, want)
	}
}
