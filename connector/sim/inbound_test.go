package sim_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"testing"
	"time"

	wagate "github.com/wagate/wagate/shared"
)

// phoneIDRe: a generated id, like a phone's.
var phoneIDRe = regexp.MustCompile(`^[0-9A-F]{32}$`)

const (
	bob    = "34600000009"
	bobLID = "123456789012345@lid"
)

// received is the message every case starts from: text from Bob to s1.
func received(edit func(m *wagate.Message)) *wagate.Message {
	m := &wagate.Message{SessionID: "s1", ChatID: bobJID, SenderJID: bobJID, SenderName: "Bob",
		Type: wagate.TypeText, Status: wagate.StatusReceived}
	edit(m)
	return m
}

func TestInbound(t *testing.T) {
	jpeg := []byte("\xff\xd8 jpeg")
	media := func(mimetype, filename string) *wagate.SimMedia {
		return &wagate.SimMedia{Data: jpeg, Mimetype: mimetype, Filename: filename}
	}
	place := &wagate.Location{Latitude: 40.4168, Longitude: -3.7038, Name: "Puerta del Sol", Address: "Madrid"}
	cards := []wagate.ContactCard{{DisplayName: "Eva", VCard: "BEGIN:VCARD\nFN:Eva\nEND:VCARD"}, {DisplayName: "Leo", VCard: "BEGIN:VCARD\nFN:Leo\nEND:VCARD"}}
	tests := []struct {
		name     string
		in       wagate.SimInbound
		want     *wagate.Message
		wantData []byte
	}{
		{"Text", wagate.SimInbound{Type: wagate.TypeText, Content: "hola", QuotedID: "3EB0Q"},
			received(func(m *wagate.Message) { m.Body, m.QuotedID = "hola", "3EB0Q" }), nil},
		{"Image", wagate.SimInbound{Type: wagate.TypeImage, Content: "look", Media: media("image/png", "a.png")},
			received(func(m *wagate.Message) {
				m.Type, m.Body = wagate.TypeImage, "look"
				m.Media = &wagate.Media{Mimetype: "image/png", Size: int64(len(jpeg)), Caption: "look"}
			}), jpeg},
		{"Video", wagate.SimInbound{Type: wagate.TypeVideo, Media: media("", "")},
			received(func(m *wagate.Message) {
				m.Type, m.Media = wagate.TypeVideo, &wagate.Media{Mimetype: "video/mp4", Size: int64(len(jpeg))}
			}), jpeg},
		{"VoiceNote", wagate.SimInbound{Type: wagate.TypeAudio, PTT: true, Media: media("", "")},
			received(func(m *wagate.Message) {
				m.Type, m.Media = wagate.TypeAudio, &wagate.Media{Mimetype: "audio/ogg; codecs=opus", Size: int64(len(jpeg)), PTT: true}
			}), jpeg},
		{"Document", wagate.SimInbound{Type: wagate.TypeDocument, Content: "the bill", Media: media("application/pdf", "bill.pdf")},
			received(func(m *wagate.Message) {
				m.Type, m.Body = wagate.TypeDocument, "the bill"
				m.Media = &wagate.Media{Filename: "bill.pdf", Mimetype: "application/pdf", Size: int64(len(jpeg)), Caption: "the bill"}
			}), jpeg},
		{"Sticker", wagate.SimInbound{Type: wagate.TypeSticker, Media: media("", "")},
			received(func(m *wagate.Message) {
				m.Type, m.Media = wagate.TypeSticker, &wagate.Media{Mimetype: "image/webp", Size: int64(len(jpeg))}
			}), jpeg},
		{"Location", wagate.SimInbound{Type: wagate.TypeLocation, Location: place},
			received(func(m *wagate.Message) { m.Type, m.Body, m.Location = wagate.TypeLocation, place.Name, place }), nil},
		{"Contacts", wagate.SimInbound{Type: wagate.TypeContact, Contacts: cards},
			received(func(m *wagate.Message) { m.Type, m.Body, m.Contacts = wagate.TypeContact, "Eva, Leo", cards }), nil},
		{"Reaction", wagate.SimInbound{Type: wagate.TypeReaction, Content: "👍", TargetID: "3EB0T", TargetFromMe: true},
			received(func(m *wagate.Message) {
				m.Type, m.Body = wagate.TypeReaction, "👍"
				m.Reaction = &wagate.Reaction{TargetID: "3EB0T", TargetChatID: bobJID, TargetFromMe: true, Text: "👍"}
			}), nil},
		{"ReactionRemoved", wagate.SimInbound{Type: wagate.TypeReaction, TargetID: "3EB0T"},
			received(func(m *wagate.Message) {
				m.Type, m.Reaction = wagate.TypeReaction, &wagate.Reaction{TargetID: "3EB0T", TargetChatID: bobJID}
			}), nil},
		{"Group", wagate.SimInbound{Group: groupID, FromLID: bobLID, Type: wagate.TypeText, Content: "hi all"},
			received(func(m *wagate.Message) { m.ChatID, m.IsGroup, m.SenderLID, m.Body = groupID, true, bobLID, "hi all" }), nil},
		{"ReactionInGroup", wagate.SimInbound{Group: groupID, Type: wagate.TypeReaction, Content: "❤", TargetID: "3EB0T"},
			received(func(m *wagate.Message) {
				m.ChatID, m.IsGroup, m.Type, m.Body = groupID, true, wagate.TypeReaction, "❤"
				m.Reaction = &wagate.Reaction{TargetID: "3EB0T", TargetChatID: groupID, Text: "❤"}
			}), nil},
		{"ChatByLID", wagate.SimInbound{FromLID: bobLID, Type: wagate.TypeText, Content: "hola"},
			received(func(m *wagate.Message) { m.ChatLID, m.SenderLID, m.Body = bobLID, bobLID, "hola" }), nil},
		{"History", wagate.SimInbound{ID: "ABCDEF0123", Type: wagate.TypeText, Content: "old", History: true},
			received(func(m *wagate.Message) { m.WhatsAppID, m.Body, m.History = "ABCDEF0123", "old", true }), nil},
		{"StatusText", wagate.SimInbound{Type: wagate.TypeText, Content: "my day", Status: true, FromLID: bobLID},
			received(func(m *wagate.Message) { m.ChatID, m.SenderLID, m.Body = "status@broadcast", bobLID, "my day" }), nil},
		{"StatusImage", wagate.SimInbound{Type: wagate.TypeImage, Media: media("", ""), Status: true},
			received(func(m *wagate.Message) {
				m.ChatID, m.Type = "status@broadcast", wagate.TypeImage
				m.Media = &wagate.Media{Mimetype: "image/jpeg", Size: int64(len(jpeg))}
			}), jpeg},
		{"ViewOnce", wagate.SimInbound{Type: wagate.TypeImage, Content: "once", Media: media("", ""), ViewOnce: true},
			received(func(m *wagate.Message) {
				m.Type, m.Body = wagate.TypeImage, "once"
				m.Media = &wagate.Media{Mimetype: "image/jpeg", Size: int64(len(jpeg)), Caption: "once"}
			}), jpeg},
		{"Ephemeral", wagate.SimInbound{Type: wagate.TypeText, Content: "poof", Ephemeral: true},
			received(func(m *wagate.Message) { m.Body = "poof" }), nil},
		{"FromPhoneJID", wagate.SimInbound{From: bobJID, Type: wagate.TypeText, Content: "jid"},
			received(func(m *wagate.Message) { m.Body = "jid" }), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n := MustOpenNetwork(t, fastOptions())
			_, r, _ := pairedSession(t, n, "s1", ana)
			in := tt.in
			if in.From == "" {
				in.From = bob
			}
			in.PushName = "Bob"
			before := time.Now()
			id, err := n.Inbound(t.Context(), "s1", in)
			if err != nil {
				t.Fatalf("inbound: %v", err)
			}
			ev := expect[wagate.MessageEvent](t, r)
			m := ev.Message
			if in.ID == "" && !phoneIDRe.MatchString(id) {
				t.Errorf("generated id %q, want 32 upper-case hex characters", id)
			}
			if m.WhatsAppID != id {
				t.Errorf("message id %q, Inbound returned %q", m.WhatsAppID, id)
			}
			if ts := m.Timestamp; ts.Before(before.Truncate(time.Millisecond)) || ts.After(time.Now()) ||
				ts.Location() != time.UTC || ts.Nanosecond()%int(time.Millisecond) != 0 {
				t.Errorf("timestamp %v, want now in UTC milliseconds", ts)
			}
			if ev.Status != in.Status || ev.Handled == nil {
				t.Errorf("event Status %v, Handled set %v; want %v, true (Inbound waits for the ack)", ev.Status, ev.Handled != nil, in.Status)
			}
			got := *m
			got.Timestamp = time.Time{}
			if tt.want.WhatsAppID == "" {
				tt.want.WhatsAppID = id
			}
			if g, w := mustJSON(t, got), mustJSON(t, tt.want); g != w {
				t.Errorf("message\n got %s\nwant %s", g, w)
			}
			checkDownload(t, ev.Download, tt.wantData)
			r.quiet(t, 10*time.Millisecond)
		})
	}
}

func TestInboundChange(t *testing.T) {
	tests := []struct {
		name string
		in   wagate.SimInbound
		want wagate.MessageChangeEvent
	}{
		{"Edit", wagate.SimInbound{Edit: true, TargetID: "3EB0T", Content: "fixed"},
			wagate.MessageChangeEvent{ChatID: bobJID, TargetID: "3EB0T", NewBody: "fixed"}},
		{"Revoke", wagate.SimInbound{Revoke: true, TargetID: "3EB0T", Content: "ignored"},
			wagate.MessageChangeEvent{ChatID: bobJID, TargetID: "3EB0T", Revoked: true}},
		{"RevokeInGroup", wagate.SimInbound{Group: groupID, Revoke: true, TargetID: "3EB0T", Type: wagate.TypeText},
			wagate.MessageChangeEvent{ChatID: groupID, TargetID: "3EB0T", Revoked: true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n := MustOpenNetwork(t, fastOptions())
			_, r, _ := pairedSession(t, n, "s1", ana)
			tt.in.From = bob
			if _, err := n.Inbound(t.Context(), "s1", tt.in); err != nil {
				t.Fatalf("inbound: %v", err)
			}
			got := expect[wagate.MessageChangeEvent](t, r)
			if time.Since(got.At) > eventTimeout || got.At.Location() != time.UTC {
				t.Errorf("at %v, want now (UTC)", got.At)
			}
			got.At = time.Time{}
			if got != tt.want {
				t.Errorf("change = %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestInboundErrors(t *testing.T) {
	text := func(edit func(in *wagate.SimInbound)) wagate.SimInbound {
		in := wagate.SimInbound{From: bob, Type: wagate.TypeText, Content: "hola"}
		edit(&in)
		return in
	}
	tests := []struct {
		name    string
		session string
		live    bool
		in      wagate.SimInbound
		want    string
	}{
		{"ErrNotHosted", "nope", true, text(func(*wagate.SimInbound) {}), wagate.ENOTFOUND},
		{"ErrNotConnected", "s1", false, text(func(*wagate.SimInbound) {}), wagate.ENOTCONNECTED},
		{"ErrNoFrom", "s1", true, text(func(in *wagate.SimInbound) { in.From = "" }), wagate.EINVALID},
		{"ErrShortFrom", "s1", true, text(func(in *wagate.SimInbound) { in.From = "123456" }), wagate.EINVALID},
		{"ErrLIDAsFrom", "s1", true, text(func(in *wagate.SimInbound) { in.From = bobLID }), wagate.EINVALID},
		{"ErrBadFromLID", "s1", true, text(func(in *wagate.SimInbound) { in.FromLID = bobJID }), wagate.EINVALID},
		{"ErrBadGroup", "s1", true, text(func(in *wagate.SimInbound) { in.Group = "friends" }), wagate.EINVALID},
		{"ErrBadID", "s1", true, text(func(in *wagate.SimInbound) { in.ID = "has space" }), wagate.EINVALID},
		{"ErrNoType", "s1", true, text(func(in *wagate.SimInbound) { in.Type = "" }), wagate.EINVALID},
		{"ErrUnknownType", "s1", true, text(func(in *wagate.SimInbound) { in.Type = wagate.TypeUnknown }), wagate.EINVALID},
		{"ErrEmptyText", "s1", true, text(func(in *wagate.SimInbound) { in.Content = "" }), wagate.EINVALID},
		{"ErrNoMedia", "s1", true, text(func(in *wagate.SimInbound) { in.Type = wagate.TypeImage }), wagate.EINVALID},
		{"ErrNoMediaData", "s1", true, text(func(in *wagate.SimInbound) {
			in.Type, in.Media = wagate.TypeDocument, &wagate.SimMedia{Filename: "a.pdf"}
		}), wagate.EINVALID},
		{"ErrNoLocation", "s1", true, text(func(in *wagate.SimInbound) { in.Type = wagate.TypeLocation }), wagate.EINVALID},
		{"ErrBadLatitude", "s1", true, text(func(in *wagate.SimInbound) {
			in.Type, in.Location = wagate.TypeLocation, &wagate.Location{Latitude: 91}
		}), wagate.EINVALID},
		{"ErrNoContacts", "s1", true, text(func(in *wagate.SimInbound) { in.Type = wagate.TypeContact }), wagate.EINVALID},
		{"ErrReactionNoTarget", "s1", true, text(func(in *wagate.SimInbound) { in.Type = wagate.TypeReaction }), wagate.EINVALID},
		{"ErrEditNoTarget", "s1", true, text(func(in *wagate.SimInbound) { in.Edit = true }), wagate.EINVALID},
		{"ErrRevokeNoTarget", "s1", true, text(func(in *wagate.SimInbound) { in.Revoke = true }), wagate.EINVALID},
		{"ErrEditNoText", "s1", true, text(func(in *wagate.SimInbound) { in.Edit, in.TargetID, in.Content = true, "3EB0T", "" }), wagate.EINVALID},
		{"ErrEditAndRevoke", "s1", true, text(func(in *wagate.SimInbound) { in.Edit, in.Revoke, in.TargetID = true, true, "3EB0T" }), wagate.EINVALID},
		{"ErrStatusInGroup", "s1", true, text(func(in *wagate.SimInbound) { in.Status, in.Group = true, groupID }), wagate.EINVALID},
		{"ErrStatusLocation", "s1", true, text(func(in *wagate.SimInbound) {
			in.Status, in.Type, in.Location = true, wagate.TypeLocation, &wagate.Location{}
		}), wagate.EINVALID},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n := MustOpenNetwork(t, fastOptions())
			var r *recorder
			if tt.live {
				_, r, _ = pairedSession(t, n, "s1", ana)
			} else {
				_, r = startClient(t, n, "s1", "")
			}
			_, err := n.Inbound(t.Context(), tt.session, tt.in)
			wantCode(t, err, tt.want)
			r.quiet(t, 10*time.Millisecond)
		})
	}
}

func TestInboundInOrder(t *testing.T) {
	n := MustOpenNetwork(t, fastOptions())
	_, r, _ := pairedSession(t, n, "s1", ana)
	const count = 200
	for i := range count {
		in := wagate.SimInbound{ID: fmt.Sprintf("ID%03d", i), From: bob, Type: wagate.TypeText, Content: "x"}
		if _, err := n.Inbound(t.Context(), "s1", in); err != nil {
			t.Fatalf("inbound %d: %v", i, err)
		}
	}
	for i := range count {
		if got, want := expect[wagate.MessageEvent](t, r).Message.WhatsAppID, fmt.Sprintf("ID%03d", i); got != want {
			t.Fatalf("event %d is %s, want %s", i, got, want)
		}
	}
}

func TestInboundDuplicateID(t *testing.T) {
	// The network carries a repeated id again: deduplication is the connector's job.
	n := MustOpenNetwork(t, fastOptions())
	_, r, _ := pairedSession(t, n, "s1", ana)
	in := wagate.SimInbound{ID: "SAMEID", From: bob, Type: wagate.TypeText, Content: "x"}
	for range 2 {
		if id, err := n.Inbound(t.Context(), "s1", in); err != nil || id != "SAMEID" {
			t.Fatalf("inbound = %q, %v", id, err)
		}
	}
	expect[wagate.MessageEvent](t, r)
	expect[wagate.MessageEvent](t, r)
}

func TestInboundKeepsNoReferenceToInput(t *testing.T) {
	n := MustOpenNetwork(t, fastOptions())
	_, r, _ := pairedSession(t, n, "s1", ana)
	data := []byte("abc")
	loc := &wagate.Location{Name: "here"}
	if _, err := n.Inbound(t.Context(), "s1", wagate.SimInbound{From: bob, Type: wagate.TypeAudio, Media: &wagate.SimMedia{Data: data}}); err != nil {
		t.Fatalf("inbound audio: %v", err)
	}
	if _, err := n.Inbound(t.Context(), "s1", wagate.SimInbound{From: bob, Type: wagate.TypeLocation, Location: loc}); err != nil {
		t.Fatalf("inbound location: %v", err)
	}
	data[0], loc.Name = 'X', "changed"
	checkDownload(t, expect[wagate.MessageEvent](t, r).Download, []byte("abc"))
	if got := expect[wagate.MessageEvent](t, r).Message.Location.Name; got != "here" {
		t.Errorf("location name %q, want the one sent", got)
	}
}

// checkDownload fails unless download returns want (nil: no download).
func checkDownload(tb testing.TB, download func(context.Context) ([]byte, error), want []byte) {
	tb.Helper()
	if want == nil {
		if download != nil {
			if data, _ := download(tb.Context()); data != nil {
				tb.Errorf("download of a message without media returned %d bytes", len(data))
			}
		}
		return
	}
	if download == nil {
		tb.Fatal("no download for a media message")
	}
	data, err := download(tb.Context())
	if err != nil || !bytes.Equal(data, want) {
		tb.Errorf("download = %q, %v; want %q", data, err, want)
	}
	ctx, cancel := context.WithCancel(tb.Context())
	cancel()
	if _, err := download(ctx); err == nil {
		tb.Error("download with a canceled context succeeded")
	}
}

func mustJSON(tb testing.TB, v any) string {
	tb.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		tb.Fatalf("marshal: %v", err)
	}
	return string(b)
}
