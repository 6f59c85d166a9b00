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
			schema := events.SchemaEvent
			if strings.HasPrefix(filepath.Base(f), "command.") {
				schema, typed = events.SchemaCommand, &events.Command{}
			} else {
				typed = &events.Event{}
			}
			if err := events.Validate(schema, raw); err != nil {
				t.Fatalf("sample does not match %s schema: %v", schema, err)
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
	if err := events.Validate(events.SchemaCommand, b); err != nil {
		t.Fatalf("command: %v", err)
	}
	exp := now.Add(time.Minute)
	ev, _ := events.NewEvent("e1", events.EvSessionQR, "s1", 7, now, events.SessionEvent{
		SessionID: "s1", SessionDBID: 7, Status: "qr_code", QRCode: "data:image/png;base64,AAAA", ExpiresAt: &exp,
	})
	b, _ = json.Marshal(ev)
	if err := events.Validate(events.SchemaEvent, b); err != nil {
		t.Fatalf("event: %v", err)
	}
}

// TestSchemasReject: the schemas catch the mistakes they exist to catch.
func TestSchemasReject(t *testing.T) {
	for name, tc := range map[string]struct{ schema, doc string }{
		"unknownCommand":   {events.SchemaCommand, `{"id":"1","type":"nope","sessionId":"s","createdAt":"2025-11-07T04:25:04Z"}`},
		"pairWithoutPhone": {events.SchemaCommand, `{"id":"1","type":"session.pair_phone","sessionId":"s","createdAt":"2025-11-07T04:25:04Z","payload":{}}`},
		"badStatus":        {events.SchemaEvent, `{"id":"1","type":"session.connected","sessionId":"s","sessionDbId":1,"time":"2025-11-07T04:25:04Z","data":{"sessionId":"s","session_db_id":1,"status":"up"}}`},
		"badTime":          {events.SchemaEvent, `{"id":"1","type":"session.connected","sessionId":"s","sessionDbId":1,"time":"yesterday","data":{"sessionId":"s","session_db_id":1,"status":"connected"}}`},
	} {
		t.Run(name, func(t *testing.T) {
			if events.Validate(tc.schema, []byte(tc.doc)) == nil {
				t.Fatal("accepted")
			}
		})
	}
}
