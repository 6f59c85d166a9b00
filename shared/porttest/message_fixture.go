package porttest

import (
	"fmt"
	"reflect"
	"testing"
	"time"

	wagate "github.com/wagate/wagate/shared"
)

// msgBase is the time the message fixtures are laid out from. Offsets are
// whole seconds, so adapters that keep milliseconds order them alike.
var msgBase = time.Date(2025, 3, 10, 12, 0, 0, 0, time.UTC)

// at returns msgBase plus sec seconds.
func at(sec int) time.Time { return msgBase.Add(time.Duration(sec) * time.Second) }

// fullMessage returns an outbound media message with every field set (ID
// and CreatedAt are the store's to allocate).
func fullMessage(sessionID, waID, chatID string) *wagate.Message {
	ts := time.Date(2025, 3, 10, 13, 14, 15, 123_000_000, time.FixedZone("CET", 3600))
	return &wagate.Message{
		SessionID:  sessionID,
		WhatsAppID: waID,
		ChatID:     chatID,
		ChatLID:    "123456789@lid",
		SenderJID:  "34600000001@s.whatsapp.net",
		SenderLID:  "987654321@lid",
		SenderName: "Ana ñ 😀",
		FromMe:     true,
		IsGroup:    true,
		Type:       wagate.TypeImage,
		Body:       "a caption\nwith two lines",
		Media: &wagate.Media{
			BlobKey: "media/s1/abc.jpg", SourceURL: "https://cdn.example/abc.jpg", Filename: "abc.jpg",
			Mimetype: "image/jpeg", Size: 123456, PTT: true, Width: 640, Height: 480, Seconds: 7, Caption: "a caption",
		},
		Location: &wagate.Location{Latitude: 40.416775, Longitude: -3.703790, Name: "Sol", Address: "Puerta del Sol, Madrid", URL: "https://maps.example/sol"},
		Contacts: []wagate.ContactCard{
			{DisplayName: "Bob", VCard: "BEGIN:VCARD\nVERSION:3.0\nFN:Bob\nEND:VCARD"},
			{DisplayName: "Eve", VCard: "BEGIN:VCARD\nVERSION:3.0\nFN:Eve\nEND:VCARD"},
		},
		Reaction:       &wagate.Reaction{TargetID: "3EB0TARGET", TargetChatID: chatID, TargetFromMe: true, Text: "👍"},
		QuotedID:       "3EB0QUOTED",
		Edited:         true,
		Revoked:        true,
		History:        true,
		Seen:           true,
		Status:         wagate.StatusDelivered,
		Error:          "none really",
		Timestamp:      ts,
		SentAt:         ts.Add(time.Second),
		DeliveredAt:    ts.Add(2 * time.Second),
		ReadAt:         ts.Add(3 * time.Second),
		PlayedAt:       ts.Add(4 * time.Second),
		IdempotencyKey: "key-" + waID,
	}
}

// msgSpec describes a message for newMsg.
type msgSpec struct {
	session, id, chat string
	sec               int // timestamp = at(sec)
	typ               wagate.MessageType
	fromMe            bool
	history, seen     bool
	group             bool
	name              string // SenderName
}

// newMsg builds a text (or spec.typ) message from spec.
func newMsg(spec msgSpec) *wagate.Message {
	m := &wagate.Message{
		SessionID: spec.session, WhatsAppID: spec.id, ChatID: spec.chat,
		SenderJID: spec.chat, SenderName: spec.name, FromMe: spec.fromMe, IsGroup: spec.group,
		Type: spec.typ, Body: "body of " + spec.id, History: spec.history, Seen: spec.seen,
		Status: wagate.StatusReceived, Timestamp: at(spec.sec),
	}
	if m.Type == "" {
		m.Type = wagate.TypeText
	}
	if spec.fromMe {
		m.Status, m.SenderJID = wagate.StatusSent, "34600000000@s.whatsapp.net"
	}
	return m
}

// insert stores m and fails t unless it was created; it returns the stored message.
func insert(t *testing.T, st wagate.MessageStore, m *wagate.Message) *wagate.Message {
	t.Helper()
	got, created, err := st.InsertMessage(t.Context(), m)
	must(t, err)
	if !created {
		t.Fatalf("InsertMessage(%q): created = false, want true", m.WhatsAppID)
	}
	return got
}

// waIDs returns the WhatsApp ids of list, in order.
func waIDs(list []*wagate.Message) []string {
	ids := make([]string, 0, len(list))
	for _, m := range list {
		ids = append(ids, m.WhatsAppID)
	}
	return ids
}

// compareMessage fails t unless got matches want field by field (times
// within timeTolerance; nil and empty Contacts alike). want.ID and
// want.CreatedAt are compared only when set.
func compareMessage(t *testing.T, got, want *wagate.Message) {
	t.Helper()
	if got == nil {
		t.Fatalf("message %q: got nil", want.WhatsAppID)
	}
	g, w := *got, *want
	if w.ID != 0 && g.ID != w.ID {
		t.Errorf("message %q: ID = %d, want %d", w.WhatsAppID, g.ID, w.ID)
	}
	g.ID, w.ID = 0, 0
	if w.CreatedAt.IsZero() {
		g.CreatedAt = time.Time{}
	}
	for _, f := range []struct {
		name     string
		got, wnt *time.Time
	}{
		{"Timestamp", &g.Timestamp, &w.Timestamp}, {"CreatedAt", &g.CreatedAt, &w.CreatedAt},
		{"SentAt", &g.SentAt, &w.SentAt}, {"DeliveredAt", &g.DeliveredAt, &w.DeliveredAt},
		{"ReadAt", &g.ReadAt, &w.ReadAt}, {"PlayedAt", &g.PlayedAt, &w.PlayedAt},
	} {
		if !sameTime(*f.got, *f.wnt) {
			t.Errorf("message %q: %s = %v, want %v", w.WhatsAppID, f.name, *f.got, *f.wnt)
		}
		*f.got, *f.wnt = time.Time{}, time.Time{}
	}
	if len(g.Contacts) == 0 && len(w.Contacts) == 0 {
		g.Contacts, w.Contacts = nil, nil
	}
	if !reflect.DeepEqual(g, w) {
		t.Errorf("message %q:\n got  %s\n want %s", w.WhatsAppID, dumpMessage(&g), dumpMessage(&w))
	}
}

// dumpMessage prints m with its pointed-to parts.
func dumpMessage(m *wagate.Message) string {
	return fmt.Sprintf("%+v media=%+v location=%+v reaction=%+v", *m, m.Media, m.Location, m.Reaction)
}
