package events_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/wagate/wagate/events"
	"github.com/wagate/wagate/events/schema"
)

// TestStatusPostContract: what the API produces for status.post validates,
// and the schema refuses payloads the connector could not act on.
func TestStatusPostContract(t *testing.T) {
	now := time.Date(2025, 11, 7, 4, 25, 4, 0, time.UTC)
	cmd, err := events.NewCommand("c1", events.CmdStatusPost, "s1", now, events.StatusPostPayload{
		MessageID: 7, WhatsAppMessageID: "3EB0AA", BackgroundARGB: 0xFF128C7E, TextARGB: 0xFFFFFFFF, Font: 5,
	})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(cmd)
	if err := schema.Validate(schema.Command, b); err != nil {
		t.Fatalf("status.post: %v", err)
	}
	for name, payload := range map[string]string{
		"ErrNoPayload":   ``,
		"ErrNoMessageID": `,"payload":{"whatsappMessageId":"3EB0AA"}`,
		"ErrFont":        `,"payload":{"messageId":1,"whatsappMessageId":"3EB0AA","font":6}`,
		"ErrColour":      `,"payload":{"messageId":1,"whatsappMessageId":"3EB0AA","backgroundArgb":-1}`,
		"ErrExtraField":  `,"payload":{"messageId":1,"whatsappMessageId":"3EB0AA","media":"bytes"}`,
	} {
		t.Run(name, func(t *testing.T) {
			doc := `{"id":"1","type":"status.post","sessionId":"s","createdAt":"2025-11-07T04:25:04Z"` + payload + `}`
			if schema.Validate(schema.Command, []byte(doc)) == nil {
				t.Fatalf("accepted %s", doc)
			}
		})
	}
}
