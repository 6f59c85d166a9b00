package webhook_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/wagate/wagate/events"
	"github.com/wagate/wagate/shared/webhook"
)

// linkTo is a media link maker that names what it was asked for.
func linkTo(mediaID, filename string) (string, error) {
	return "https://files.example/" + mediaID + "?name=" + filename, nil
}

func received(t *testing.T, media *events.MediaPayload) events.Event {
	t.Helper()
	data := events.MessageData{SessionID: "s1", SessionDBID: 7, Message: events.MessagePayload{
		WhatsAppMessageID: "3EB0AA", Content: "Mira <esto> & aquello", ChatID: "34600000001@s.whatsapp.net",
		From: "34600000001@s.whatsapp.net", To: "s1", Timestamp: 1699332400, Type: "image",
		HasAttachment: media != nil, Media: media, ID: 12, MessageID: "3EB0AA",
	}}
	ev, err := events.NewEvent("msg-s1-3EB0AA", events.EvMessageReceived, "s1", 7, time.Unix(1699332401, 0), data)
	if err != nil {
		t.Fatal(err)
	}
	return ev
}

func TestRender(t *testing.T) {
	t.Run("Shape", func(t *testing.T) {
		ev, err := events.NewEvent("e1", events.EvSessionConnected, "s1", 7, time.Now(),
			events.SessionEvent{SessionID: "s1", SessionDBID: 7, Status: "connected"})
		if err != nil {
			t.Fatal(err)
		}
		ev.Data = json.RawMessage("{\n  \"sessionId\": \"s1\",\n  \"session_db_id\": 7,\n  \"status\": \"connected\"\n}")
		got, err := webhook.Render(ev, linkTo)
		if err != nil {
			t.Fatal(err)
		}
		want := `{"event":"session.connected","data":{"sessionId":"s1","session_db_id":7,"status":"connected"}}`
		if string(got) != want {
			t.Fatalf("Render =\n %s\nwant\n %s", got, want)
		}
	})

	t.Run("MediaURL", func(t *testing.T) {
		ev := received(t, &events.MediaPayload{Filename: "a.jpg", Filesize: 10, Mimetype: "image/jpeg", MediaID: "m1"})
		got, err := webhook.Render(ev, linkTo)
		if err != nil {
			t.Fatal(err)
		}
		var body struct {
			Event string             `json:"event"`
			Data  events.MessageData `json:"data"`
		}
		if err := json.Unmarshal(got, &body); err != nil {
			t.Fatal(err)
		}
		if m := body.Data.Message.Media; body.Event != events.EvMessageReceived || m == nil || m.URL != "https://files.example/m1?name=a.jpg" {
			t.Fatalf("rendered %s; want media.url filled", got)
		}
		if !bytes.HasPrefix(got, []byte(`{"event":"message.received","data":{"sessionId":"s1","session_db_id":7,"message":{"whatsappMessageId":"3EB0AA","content":"Mira <esto> & aquello",`)) {
			t.Fatalf("rendered %s; want the seed's field order and unescaped text", got)
		}
		again, err := webhook.Render(ev, linkTo)
		if err != nil || !bytes.Equal(again, got) {
			t.Fatalf("second Render differs:\n %s\n %s (%v)", got, again, err)
		}
	})

	t.Run("NoMedia", func(t *testing.T) {
		ev := received(t, nil)
		got, err := webhook.Render(ev, func(string, string) (string, error) {
			t.Fatal("media link made for a message without media")
			return "", nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if want := `{"event":"message.received","data":` + string(ev.Data) + `}`; string(got) != want {
			t.Fatalf("Render =\n %s\nwant\n %s", got, want)
		}
	})

	t.Run("NilMediaURL", func(t *testing.T) {
		ev := received(t, &events.MediaPayload{Filename: "a.jpg", MediaID: "m1", URL: "https://kept.example/a"})
		got, err := webhook.Render(ev, nil)
		if err != nil || !bytes.Contains(got, []byte(`"url":"https://kept.example/a"`)) {
			t.Fatalf("Render = %s, %v; want the published url kept", got, err)
		}
	})

	t.Run("ErrMediaURL", func(t *testing.T) {
		ev := received(t, &events.MediaPayload{Filename: "a.jpg", MediaID: "m1"})
		boom := errors.New("presign failed")
		if _, err := webhook.Render(ev, func(string, string) (string, error) { return "", boom }); !errors.Is(err, boom) {
			t.Fatalf("Render error = %v, want %v wrapped", err, boom)
		}
	})

	t.Run("ErrInvalidData", func(t *testing.T) {
		ev := events.Event{ID: "e1", Type: events.EvSessionConnected, Data: json.RawMessage(`{"broken":`)}
		if _, err := webhook.Render(ev, nil); err == nil {
			t.Fatal("Render of invalid data succeeded")
		}
	})

	t.Run("NoData", func(t *testing.T) {
		got, err := webhook.Render(events.Event{ID: "e1", Type: "session.connecting"}, nil)
		if err != nil || string(got) != `{"event":"session.connecting","data":null}` {
			t.Fatalf("Render = %s, %v", got, err)
		}
	})
}
