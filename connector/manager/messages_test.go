package manager_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/wagate/wagate/events"
	wagate "github.com/wagate/wagate/shared"
)

// TestMessageEventsMatchContracts: an inbound message with media, a send
// and its receipts publish events that validate against the schemas (the
// env's published() checks every one), and the engine's Handled callback
// is called only after the message is stored.
func TestMessageEventsMatchContracts(t *testing.T) {
	e := newEnv(t, &wagate.Session{SessionID: "s1", AutoConnect: true, DeviceJID: "d@s.whatsapp.net", PhoneNumber: "34600000001"})
	c := e.client("s1")
	c.handle(wagate.ConnectedEvent{})
	e.eventually("s1", "connected", status(wagate.StatusConnected))
	e.published()

	handled := make(chan error, 1)
	c.handle(wagate.MessageEvent{
		Message: &wagate.Message{WhatsAppID: "IN1", ChatID: "34611111111@s.whatsapp.net", ChatLID: "99@lid", SenderJID: "34611111111@s.whatsapp.net",
			SenderLID: "99@lid", SenderName: "Ana", Type: wagate.TypeImage, Body: "foto", Timestamp: time.Now().UTC(),
			Media: &wagate.Media{Mimetype: "image/png"}},
		Download: func(context.Context) ([]byte, error) { return []byte("\x89PNG\r\n\x1a\nfake"), nil },
		Handled:  func(err error) { handled <- err },
	})
	select {
	case err := <-handled:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(3 * time.Second):
		t.Fatal("Handled never called")
	}
	if m, err := e.msgs.FindMessage(context.Background(), "s1", "IN1"); err != nil || m.Media == nil || m.Media.BlobKey == "" {
		t.Fatalf("stored before Handled: %+v %v", m, err)
	}
	c.handle(wagate.MessageEvent{Message: &wagate.Message{WhatsAppID: "IN2", ChatID: "120363@g.us", IsGroup: true, SenderJID: "34622222222@s.whatsapp.net",
		Type: wagate.TypeReaction, Body: "👍", Timestamp: time.Now().UTC(), Reaction: &wagate.Reaction{TargetID: "OUT1", Text: "👍", TargetFromMe: true}}})

	out := &wagate.Message{SessionID: "s1", WhatsAppID: "OUT1", ChatID: "34611111111@s.whatsapp.net", FromMe: true,
		Type: wagate.TypeText, Body: "hola", Status: wagate.StatusPending, Timestamp: time.Now().UTC()}
	if _, _, err := e.msgs.InsertMessage(context.Background(), out); err != nil {
		t.Fatal(err)
	}
	e.send(events.CmdMessageSend, "s1", events.MessageSendPayload{WhatsAppMessageID: "OUT1"})
	for deadline := time.Now().Add(3 * time.Second); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
		if m, _ := e.msgs.FindMessage(context.Background(), "s1", "OUT1"); m != nil && m.Status == wagate.StatusSent {
			break
		}
	}
	c.handle(wagate.ReceiptEvent{ChatID: out.ChatID, IDs: []string{"OUT1"}, Status: wagate.StatusRead, At: time.Now()})
	time.Sleep(100 * time.Millisecond)
	got := types(e.published())
	for _, want := range []string{"message.received", "message.sent", "message.read"} {
		if !strings.Contains(got, want) {
			t.Fatalf("published %s, missing %s", got, want)
		}
	}
}
