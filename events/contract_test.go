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
			if strings.HasPrefix(filepath.Base(f), "command.") {
				sch, typed = schema.Command, &events.Command{}
			} else {
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
		"unknownCommand":   {schema.Command, `{"id":"1","type":"nope","sessionId":"s","createdAt":"2025-11-07T04:25:04Z"}`},
		"pairWithoutPhone": {schema.Command, `{"id":"1","type":"session.pair_phone","sessionId":"s","createdAt":"2025-11-07T04:25:04Z","payload":{}}`},
		"badStatus":        {schema.Event, `{"id":"1","type":"session.connected","sessionId":"s","sessionDbId":1,"time":"2025-11-07T04:25:04Z","data":{"sessionId":"s","session_db_id":1,"status":"up"}}`},
		"badTime":          {schema.Event, `{"id":"1","type":"session.connected","sessionId":"s","sessionDbId":1,"time":"yesterday","data":{"sessionId":"s","session_db_id":1,"status":"connected"}}`},
	} {
		t.Run(name, func(t *testing.T) {
			if schema.Validate(tc.sch, []byte(tc.doc)) == nil {
				t.Fatal("accepted")
			}
		})
	}
}
