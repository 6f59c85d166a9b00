package waengine

import (
	"reflect"
	"testing"
	"time"

	"go.mau.fi/whatsmeow/proto/waCommon"
	"go.mau.fi/whatsmeow/proto/waE2E"
	"go.mau.fi/whatsmeow/types"
	"go.mau.fi/whatsmeow/types/events"
	"google.golang.org/protobuf/proto"

	wagate "github.com/wagate/wagate/shared"
)

var (
	alicePN   = types.NewJID("34611111111", types.DefaultUserServer)
	aliceLID  = types.NewJID("111111111111111", types.HiddenUserServer)
	bobPN     = types.NewJID("34622222222", types.DefaultUserServer)
	bobLID    = types.NewJID("222222222222222", types.HiddenUserServer)
	carolLID  = types.NewJID("333333333333333", types.HiddenUserServer) // phone unknown
	testGroup = types.NewJID("120363000000000000", types.GroupServer)
	msgTime   = time.Date(2026, 1, 2, 4, 4, 5, 0, time.FixedZone("CET", 3600))
	msgTimeZ  = msgTime.UTC()
)

// testIdentities knows bob's and our own LID, and our JIDs.
func testIdentities() identities {
	known := map[types.JID]types.JID{bobLID: bobPN, testOwnLID: testOwnJID.ToNonAD()}
	return identities{
		pnForLID: func(lid types.JID) types.JID { return known[lid] },
		isOwn:    func(j types.JID) bool { return isOwnJID(pairedDevice(), j) },
	}
}

// device returns jid as one of its devices.
func device(jid types.JID, n uint16) types.JID { jid.Device = n; return jid }

// fromAlice is a direct message from alice (by phone number, LID alternative).
func fromAlice(id string, msg *waE2E.Message) *events.Message {
	return &events.Message{
		Info: types.MessageInfo{
			MessageSource: types.MessageSource{Chat: alicePN, Sender: device(alicePN, 0), SenderAlt: aliceLID},
			ID:            id, PushName: "Alice", Timestamp: msgTime,
		},
		RawMessage: msg,
	}
}

// aliceMsg is the wagate message of fromAlice, changed by f.
func aliceMsg(id string, f func(m *wagate.Message)) *wagate.Message {
	m := &wagate.Message{
		WhatsAppID: id, ChatID: alicePN.String(), ChatLID: aliceLID.String(),
		SenderJID: alicePN.String(), SenderLID: aliceLID.String(), SenderName: "Alice",
		Status: wagate.StatusReceived, Timestamp: msgTimeZ,
	}
	f(m)
	return m
}

func text(s string) *waE2E.Message { return &waE2E.Message{Conversation: proto.String(s)} }

func wrap(inner *waE2E.Message) *waE2E.FutureProofMessage {
	return &waE2E.FutureProofMessage{Message: inner}
}

func TestConvertMessage_Kinds(t *testing.T) {
	img := &waE2E.ImageMessage{Mimetype: proto.String("image/jpeg"), Caption: proto.String("pic"), FileLength: proto.Uint64(1234),
		Width: proto.Uint32(800), Height: proto.Uint32(600), ContextInfo: &waE2E.ContextInfo{StanzaID: proto.String("Q1")}}
	video := &waE2E.VideoMessage{Mimetype: proto.String("video/mp4"), Caption: proto.String("clip"), FileLength: proto.Uint64(9),
		Seconds: proto.Uint32(7), Width: proto.Uint32(640), Height: proto.Uint32(360)}
	ptv := &waE2E.VideoMessage{Mimetype: proto.String("video/mp4"), Seconds: proto.Uint32(4)}
	voice := &waE2E.AudioMessage{Mimetype: proto.String("audio/ogg; codecs=opus"), PTT: proto.Bool(true), Seconds: proto.Uint32(5), FileLength: proto.Uint64(77)}
	doc := &waE2E.DocumentMessage{Mimetype: proto.String("application/pdf"), FileName: proto.String("a.pdf"), Title: proto.String("A"),
		Caption: proto.String("see"), FileLength: proto.Uint64(10)}
	docTitled := &waE2E.DocumentMessage{Mimetype: proto.String("text/plain"), Title: proto.String("notes.txt")}
	sticker := &waE2E.StickerMessage{Mimetype: proto.String("image/webp"), Width: proto.Uint32(512), Height: proto.Uint32(512), FileLength: proto.Uint64(3)}
	tests := []struct {
		name  string
		msg   *waE2E.Message
		want  func(m *wagate.Message)
		media proto.Message // the part Download must fetch
	}{
		{"Conversation", text("hola"), func(m *wagate.Message) { m.Type, m.Body = wagate.TypeText, "hola" }, nil},
		{"ExtendedTextReply", &waE2E.Message{ExtendedTextMessage: &waE2E.ExtendedTextMessage{Text: proto.String("yes"),
			ContextInfo: &waE2E.ContextInfo{StanzaID: proto.String("Q0"), Participant: proto.String(bobPN.String())}}},
			func(m *wagate.Message) { m.Type, m.Body, m.QuotedID = wagate.TypeText, "yes", "Q0" }, nil},
		{"Image", &waE2E.Message{ImageMessage: img}, func(m *wagate.Message) {
			m.Type, m.Body, m.QuotedID = wagate.TypeImage, "pic", "Q1"
			m.Media = &wagate.Media{Mimetype: "image/jpeg", Size: 1234, Width: 800, Height: 600, Caption: "pic"}
		}, img},
		{"Video", &waE2E.Message{VideoMessage: video}, func(m *wagate.Message) {
			m.Type, m.Body = wagate.TypeVideo, "clip"
			m.Media = &wagate.Media{Mimetype: "video/mp4", Size: 9, Width: 640, Height: 360, Seconds: 7, Caption: "clip"}
		}, video},
		{"VideoNote", &waE2E.Message{PtvMessage: ptv}, func(m *wagate.Message) {
			m.Type, m.Media = wagate.TypeVideo, &wagate.Media{Mimetype: "video/mp4", Seconds: 4}
		}, ptv},
		{"VoiceNote", &waE2E.Message{AudioMessage: voice}, func(m *wagate.Message) {
			m.Type, m.Media = wagate.TypeAudio, &wagate.Media{Mimetype: "audio/ogg; codecs=opus", Size: 77, PTT: true, Seconds: 5}
		}, voice},
		{"Document", &waE2E.Message{DocumentMessage: doc}, func(m *wagate.Message) {
			m.Type, m.Body = wagate.TypeDocument, "see"
			m.Media = &wagate.Media{Filename: "a.pdf", Mimetype: "application/pdf", Size: 10, Caption: "see"}
		}, doc},
		{"DocumentNameFromTitle", &waE2E.Message{DocumentMessage: docTitled}, func(m *wagate.Message) {
			m.Type, m.Media = wagate.TypeDocument, &wagate.Media{Filename: "notes.txt", Mimetype: "text/plain"}
		}, docTitled},
		{"Sticker", &waE2E.Message{StickerMessage: sticker}, func(m *wagate.Message) {
			m.Type, m.Media = wagate.TypeSticker, &wagate.Media{Mimetype: "image/webp", Size: 3, Width: 512, Height: 512}
		}, sticker},
		{"Location", &waE2E.Message{LocationMessage: &waE2E.LocationMessage{DegreesLatitude: proto.Float64(1.5),
			DegreesLongitude: proto.Float64(-2.5), Name: proto.String("Here"), Address: proto.String("Street 1"), URL: proto.String("https://x.example")}},
			func(m *wagate.Message) {
				m.Type, m.Body = wagate.TypeLocation, "Here"
				m.Location = &wagate.Location{Latitude: 1.5, Longitude: -2.5, Name: "Here", Address: "Street 1", URL: "https://x.example"}
			}, nil},
		{"LiveLocation", &waE2E.Message{LiveLocationMessage: &waE2E.LiveLocationMessage{DegreesLatitude: proto.Float64(3),
			DegreesLongitude: proto.Float64(4), Caption: proto.String("omw")}},
			func(m *wagate.Message) {
				m.Type, m.Body, m.Location = wagate.TypeLocation, "omw", &wagate.Location{Latitude: 3, Longitude: 4}
			}, nil},
		{"Contact", &waE2E.Message{ContactMessage: &waE2E.ContactMessage{DisplayName: proto.String("Bob"), Vcard: proto.String("BEGIN:VCARD")}},
			func(m *wagate.Message) {
				m.Type, m.Body, m.Contacts = wagate.TypeContact, "Bob", []wagate.ContactCard{{DisplayName: "Bob", VCard: "BEGIN:VCARD"}}
			}, nil},
		{"ContactsArray", &waE2E.Message{ContactsArrayMessage: &waE2E.ContactsArrayMessage{Contacts: []*waE2E.ContactMessage{
			{DisplayName: proto.String("Bob"), Vcard: proto.String("V1")}, {DisplayName: proto.String("Eve"), Vcard: proto.String("V2")}}}},
			func(m *wagate.Message) {
				m.Type, m.Body = wagate.TypeContact, "Bob, Eve"
				m.Contacts = []wagate.ContactCard{{DisplayName: "Bob", VCard: "V1"}, {DisplayName: "Eve", VCard: "V2"}}
			}, nil},
		{"Poll", &waE2E.Message{PollCreationMessageV3: &waE2E.PollCreationMessage{Name: proto.String("Lunch?")}},
			func(m *wagate.Message) { m.Type, m.Body = wagate.TypeUnknown, "poll: Lunch?" }, nil},
		{"OtherKind", &waE2E.Message{ButtonsMessage: &waE2E.ButtonsMessage{}, MessageContextInfo: &waE2E.MessageContextInfo{}},
			func(m *wagate.Message) { m.Type, m.Body = wagate.TypeUnknown, "unsupported message: buttonsMessage" }, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := convertMessage(fromAlice("ID1", tt.msg), testIdentities(), false)
			want := wagate.MessageEvent{Message: aliceMsg("ID1", tt.want)}
			assertInbound(t, got, want, tt.media)
		})
	}
}

func TestConvertMessage_Wrappers(t *testing.T) {
	inner := text("inside")
	tests := []struct {
		name string
		msg  *waE2E.Message
	}{
		{"DeviceSent", &waE2E.Message{DeviceSentMessage: &waE2E.DeviceSentMessage{DestinationJID: proto.String(alicePN.String()), Message: inner}}},
		{"Ephemeral", &waE2E.Message{EphemeralMessage: wrap(inner)}},
		{"ViewOnce", &waE2E.Message{ViewOnceMessage: wrap(inner)}},
		{"ViewOnceV2", &waE2E.Message{ViewOnceMessageV2: wrap(inner)}},
		{"ViewOnceV2Extension", &waE2E.Message{ViewOnceMessageV2Extension: wrap(inner)}},
		{"DocumentWithCaption", &waE2E.Message{DocumentWithCaptionMessage: wrap(inner)}},
		{"ViewOnceInsideEphemeral", &waE2E.Message{EphemeralMessage: wrap(&waE2E.Message{ViewOnceMessageV2: wrap(inner)})}},
		{"EphemeralInsideViewOnce", &waE2E.Message{ViewOnceMessage: wrap(&waE2E.Message{EphemeralMessage: wrap(inner)})}},
		{"AlbumChild", &waE2E.Message{AssociatedChildMessage: wrap(inner)}},
	}
	for _, tt := range tests {
		want := wagate.MessageEvent{Message: aliceMsg("W1", func(m *wagate.Message) { m.Type, m.Body = wagate.TypeText, "inside" })}
		t.Run(tt.name, func(t *testing.T) {
			assertInbound(t, convertMessage(fromAlice("W1", tt.msg), testIdentities(), false), want, nil)
		})
		t.Run(tt.name+"UnwrappedByWhatsmeow", func(t *testing.T) {
			evt := fromAlice("W1", proto.Clone(tt.msg).(*waE2E.Message)).UnwrapRaw()
			assertInbound(t, convertMessage(evt, testIdentities(), false), want, nil)
		})
	}
	t.Run("DocumentWithCaptionKeepsMedia", func(t *testing.T) {
		doc := &waE2E.DocumentMessage{FileName: proto.String("x.pdf"), Caption: proto.String("cap")}
		got := convertMessage(fromAlice("W2", &waE2E.Message{DocumentWithCaptionMessage: wrap(&waE2E.Message{DocumentMessage: doc})}), testIdentities(), false)
		assertInbound(t, got, wagate.MessageEvent{Message: aliceMsg("W2", func(m *wagate.Message) {
			m.Type, m.Body, m.Media = wagate.TypeDocument, "cap", &wagate.Media{Filename: "x.pdf", Caption: "cap"}
		})}, doc)
	})
}

func TestConvertMessage_Addresses(t *testing.T) {
	ids := testIdentities()
	src := func(s types.MessageSource) *events.Message {
		return &events.Message{Info: types.MessageInfo{MessageSource: s, ID: "A1", PushName: "P", Timestamp: msgTime}, RawMessage: text("x")}
	}
	base := func(f func(m *wagate.Message)) *wagate.Message {
		m := &wagate.Message{WhatsAppID: "A1", SenderName: "P", Type: wagate.TypeText, Body: "x", Status: wagate.StatusReceived, Timestamp: msgTimeZ}
		f(m)
		return m
	}
	tests := []struct {
		name   string
		evt    *events.Message
		want   *wagate.Message
		status bool
	}{
		{"LIDChatWithPhoneAlternative", src(types.MessageSource{Chat: aliceLID, Sender: device(aliceLID, 2), SenderAlt: device(alicePN, 2), AddressingMode: types.AddressingModeLID}),
			base(func(m *wagate.Message) {
				m.ChatID, m.ChatLID, m.SenderJID, m.SenderLID = alicePN.String(), aliceLID.String(), alicePN.String(), aliceLID.String()
			}), false},
		{"LIDChatPhoneFromStore", src(types.MessageSource{Chat: bobLID, Sender: bobLID}),
			base(func(m *wagate.Message) {
				m.ChatID, m.ChatLID, m.SenderJID, m.SenderLID = bobPN.String(), bobLID.String(), bobPN.String(), bobLID.String()
			}), false},
		{"LIDChatPhoneUnknown", src(types.MessageSource{Chat: carolLID, Sender: carolLID}),
			base(func(m *wagate.Message) {
				m.ChatID, m.ChatLID, m.SenderJID, m.SenderLID = carolLID.String(), carolLID.String(), carolLID.String(), carolLID.String()
			}), false},
		{"PhoneChatWithoutLID", src(types.MessageSource{Chat: bobPN, Sender: device(bobPN, 1)}),
			base(func(m *wagate.Message) { m.ChatID, m.SenderJID = bobPN.String(), bobPN.String() }), false},
		{"GroupLIDParticipant", src(types.MessageSource{Chat: testGroup, Sender: device(aliceLID, 3), SenderAlt: alicePN, IsGroup: true, AddressingMode: types.AddressingModeLID}),
			base(func(m *wagate.Message) {
				m.ChatID, m.IsGroup, m.SenderJID, m.SenderLID = testGroup.String(), true, alicePN.String(), aliceLID.String()
			}), false},
		{"GroupPhoneParticipant", src(types.MessageSource{Chat: testGroup, Sender: bobPN, SenderAlt: bobLID, IsGroup: true, AddressingMode: types.AddressingModePN}),
			base(func(m *wagate.Message) {
				m.ChatID, m.IsGroup, m.SenderJID, m.SenderLID = testGroup.String(), true, bobPN.String(), bobLID.String()
			}), false},
		{"FromMyPhoneToLIDChat", src(types.MessageSource{Chat: aliceLID, Sender: device(testOwnLID, 0), IsFromMe: true, RecipientAlt: alicePN}),
			base(func(m *wagate.Message) {
				m.ChatID, m.ChatLID, m.FromMe, m.Status = alicePN.String(), aliceLID.String(), true, wagate.StatusSent
				m.SenderJID, m.SenderLID = testOwnJID.ToNonAD().String(), testOwnLID.String()
			}), false},
		{"StatusBroadcast", src(types.MessageSource{Chat: types.StatusBroadcastJID, Sender: alicePN, SenderAlt: aliceLID, IsGroup: true}),
			base(func(m *wagate.Message) {
				m.ChatID, m.SenderJID, m.SenderLID = "status@broadcast", alicePN.String(), aliceLID.String()
			}), true},
		{"IncomingBroadcastListShowsInDirectChat", src(types.MessageSource{Chat: types.NewJID("1700000000", types.BroadcastServer), Sender: alicePN, SenderAlt: aliceLID, IsGroup: true}),
			base(func(m *wagate.Message) {
				m.ChatID, m.ChatLID, m.SenderJID, m.SenderLID = alicePN.String(), aliceLID.String(), alicePN.String(), aliceLID.String()
			}), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assertInbound(t, convertMessage(tt.evt, ids, false), wagate.MessageEvent{Message: tt.want, Status: tt.status}, nil)
		})
	}
}

func TestConvertMessage_Reactions(t *testing.T) {
	reaction := func(key *waCommon.MessageKey, emoji string) *waE2E.Message {
		return &waE2E.Message{ReactionMessage: &waE2E.ReactionMessage{Key: key, Text: proto.String(emoji)}}
	}
	key := func(fromMe bool, participant string) *waCommon.MessageKey {
		k := &waCommon.MessageKey{RemoteJID: proto.String(testOwnJID.ToNonAD().String()), FromMe: proto.Bool(fromMe), ID: proto.String("T1")}
		if participant != "" {
			k.Participant = proto.String(participant)
		}
		return k
	}
	inGroup := func(evt *events.Message) *events.Message {
		evt.Info.Chat, evt.Info.IsGroup, evt.Info.SenderAlt = testGroup, true, types.EmptyJID
		return evt
	}
	fromMe := func(evt *events.Message) *events.Message {
		evt.Info.IsFromMe, evt.Info.Sender = true, testOwnJID
		return evt
	}
	tests := []struct {
		name         string
		evt          *events.Message
		targetFromMe bool
		emoji        string
	}{
		{"DirectToOurMessage", fromAlice("R1", reaction(key(false, ""), "👍")), true, "👍"},
		{"DirectToTheirOwnMessage", fromAlice("R1", reaction(key(true, ""), "❤️")), false, "❤️"},
		{"Removed", fromAlice("R1", reaction(key(false, ""), "")), true, ""},
		{"GroupToOurMessageByLID", inGroup(fromAlice("R1", reaction(key(false, testOwnLID.String()), "😂"))), true, "😂"},
		{"GroupToOthersMessage", inGroup(fromAlice("R1", reaction(key(false, bobPN.String()), "😂"))), false, "😂"},
		{"GroupParticipantUnknown", inGroup(fromAlice("R1", reaction(key(false, ""), "😂"))), false, "😂"},
		{"FromMyPhoneToMine", fromMe(fromAlice("R1", reaction(key(true, ""), "🙏"))), true, "🙏"},
		{"FromMyPhoneToTheirs", fromMe(fromAlice("R1", reaction(key(false, ""), "🙏"))), false, "🙏"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ev, ok := convertMessage(tt.evt, testIdentities(), false).event.(wagate.MessageEvent)
			if !ok {
				t.Fatalf("no MessageEvent")
			}
			m := ev.Message
			want := &wagate.Reaction{TargetID: "T1", TargetChatID: m.ChatID, TargetFromMe: tt.targetFromMe, Text: tt.emoji}
			if m.Type != wagate.TypeReaction || m.Body != tt.emoji || !reflect.DeepEqual(m.Reaction, want) {
				t.Errorf("message %+v reaction %+v, want %+v", m, m.Reaction, want)
			}
		})
	}
	t.Run("WithoutTargetIgnored", func(t *testing.T) {
		if got := convertMessage(fromAlice("R2", reaction(&waCommon.MessageKey{}, "👍")), testIdentities(), false); got.event != nil {
			t.Errorf("event = %#v, want none", got.event)
		}
	})
}

// assertInbound checks a conversion's event and media part.
func assertInbound(t *testing.T, got inbound, want wagate.EngineEvent, media proto.Message) {
	t.Helper()
	if !reflect.DeepEqual(got.event, want) {
		if g, ok := got.event.(wagate.MessageEvent); ok {
			if w, ok := want.(wagate.MessageEvent); ok {
				t.Fatalf("message\n got %+v (status %v)\nwant %+v (status %v)", g.Message, g.Status, w.Message, w.Status)
			}
		}
		t.Fatalf("event\n got %#v\nwant %#v", got.event, want)
	}
	if media == nil {
		if got.media != nil {
			t.Errorf("media part %v, want none", got.media)
		}
		return
	}
	if part, ok := got.media.(proto.Message); !ok || part != media {
		t.Errorf("media part %v, want %v", got.media, media)
	}
}
