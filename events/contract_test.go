package events_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/wagate/wagate/events"
	"github.com/wagate/wagate/events/schema"
)

// TestSamples: every sample validates against its schema and survives a
// round trip through the Go type unchanged.
func TestSamples(t *testing.T) {
	files, _ := filepath.Glob("testdata/*.json")
	if len(files) == 0 {
		t.Fatal("no samples")
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			raw, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			var typed any
			sch := schema.Event
			switch name := filepath.Base(f); {
			case strings.HasPrefix(name, "command."):
				sch, typed = schema.Command, &events.Command{}
			case strings.HasPrefix(name, "webhook."):
				sch, typed = schema.Webhook, &events.WebhookBody{}
			default:
				typed = &events.Event{}
			}
			if err := schema.Validate(sch, raw); err != nil {
				t.Fatalf("sample does not match %s schema: %v", sch, err)
			}
			if err := json.Unmarshal(raw, typed); err != nil {
				t.Fatal(err)
			}
			again, _ := json.Marshal(typed)
			var a, b any
			_ = json.Unmarshal(raw, &a)
			_ = json.Unmarshal(again, &b)
			if !reflect.DeepEqual(a, b) {
				t.Fatalf("round trip changed the sample:\n%s\n%s", raw, again)
			}
			checkTypedData(t, typed)
		})
	}
}

// TestProducersMatchSchemas: what NewCommand / NewEvent build validates.
func TestProducersMatchSchemas(t *testing.T) {
	now := time.Date(2025, 11, 7, 4, 25, 4, 0, time.UTC)
	cmd, err := events.NewCommand("c1", events.CmdSessionPairPhone, "s1", now, events.PairPhonePayload{PhoneNumber: "34600000000"})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(cmd)
	if err := schema.Validate(schema.Command, b); err != nil {
		t.Fatalf("command: %v", err)
	}
	exp := now.Add(time.Minute)
	ev, _ := events.NewEvent("e1", events.EvSessionQR, "s1", 7, now, events.SessionEvent{
		SessionID: "s1", SessionDBID: 7, Status: "qr_code", QRCode: "data:image/png;base64,AAAA", ExpiresAt: &exp,
	})
	b, _ = json.Marshal(ev)
	if err := schema.Validate(schema.Event, b); err != nil {
		t.Fatalf("event: %v", err)
	}
}

// TestSchemasReject: the schemas catch the mistakes they exist to catch.
func TestSchemasReject(t *testing.T) {
	for name, tc := range map[string]struct{ sch, doc string }{
		"unknownCommand":         {schema.Command, `{"id":"1","type":"nope","sessionId":"s","createdAt":"2025-11-07T04:25:04Z"}`},
		"pairWithoutPhone":       {schema.Command, `{"id":"1","type":"session.pair_phone","sessionId":"s","createdAt":"2025-11-07T04:25:04Z","payload":{}}`},
		"badStatus":              {schema.Event, `{"id":"1","type":"session.connected","sessionId":"s","sessionDbId":1,"time":"2025-11-07T04:25:04Z","data":{"sessionId":"s","session_db_id":1,"status":"up"}}`},
		"webhookMediaWithoutURL": {schema.Webhook, `{"event":"message.received","data":{"sessionId":"s","session_db_id":1,"message":{"whatsappMessageId":"A","content":"","chatId":"1@s.whatsapp.net","from":"1@s.whatsapp.net","to":"s","timestamp":1,"type":"image","has_attachment":true,"media":{"filename":"a","filesize":1,"mimetype":"image/png","url":""},"id":1,"messageId":"A","fromMe":false,"isGroup":false}}}`},
		"receivedMissingChat":    {schema.Event, `{"id":"1","type":"message.received","sessionId":"s","sessionDbId":1,"time":"2025-11-07T04:25:04Z","data":{"sessionId":"s","session_db_id":1,"message":{"whatsappMessageId":"A"}}}`},
		"statusUnknown":          {schema.Event, `{"id":"1","type":"message.read","sessionId":"s","sessionDbId":1,"time":"2025-11-07T04:25:04Z","data":{"sessionId":"s","session_db_id":1,"id":1,"messageId":"A","whatsappMessageId":"A","chatId":"c","status":"seen","timestamp":1}}`},
		"badTime":                {schema.Event, `{"id":"1","type":"session.connected","sessionId":"s","sessionDbId":1,"time":"yesterday","data":{"sessionId":"s","session_db_id":1,"status":"connected"}}`},
	} {
		t.Run(name, func(t *testing.T) {
			if schema.Validate(tc.sch, []byte(tc.doc)) == nil {
				t.Fatal("accepted")
			}
		})
	}
}

// checkTypedData: the data of every event and webhook sample survives a round
// trip through its Go type, so the types carry every field the contract has.
func checkTypedData(t *testing.T, typed any) {
	t.Helper()
	var typ string
	var data json.RawMessage
	switch v := typed.(type) {
	case *events.Event:
		typ, data = v.Type, v.Data
	case *events.WebhookBody:
		typ, data = v.Event, v.Data
	default:
		return
	}
	var target any
	switch {
	case typ == events.EvMessageReceived:
		target = &events.MessageData{}
	case strings.HasPrefix(typ, "message."):
		target = &events.MessageStatusData{}
	case strings.HasPrefix(typ, "session."):
		target = &events.SessionEvent{}
	default:
		return
	}
	if err := json.Unmarshal(data, target); err != nil {
		t.Fatalf("data into %T: %v", target, err)
	}
	again, _ := json.Marshal(target)
	var a, b any
	_ = json.Unmarshal(data, &a)
	_ = json.Unmarshal(again, &b)
	if !reflect.DeepEqual(a, b) {
		t.Fatalf("%T drops or changes fields:\n%s\n%s", target, data, again)
	}
}
