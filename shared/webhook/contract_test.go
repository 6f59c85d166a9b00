package webhook_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wagate/wagate/events"
	"github.com/wagate/wagate/events/schema"
	"github.com/wagate/wagate/shared/webhook"
)

// TestRenderMatchesWebhookSchema: every bus event sample of the contracts,
// rendered as the deliverer renders it, is a valid webhook body.
func TestRenderMatchesWebhookSchema(t *testing.T) {
	files, _ := filepath.Glob("../../events/testdata/event.*.json")
	if len(files) == 0 {
		t.Fatal("no event samples")
	}
	link := func(mediaID, filename string) (string, error) {
		return "https://wagate.example.com/files/" + mediaID + "?n=" + filename, nil
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			raw, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			var ev events.Event
			if err := json.Unmarshal(raw, &ev); err != nil {
				t.Fatal(err)
			}
			body, err := webhook.Render(ev, link)
			if err != nil {
				t.Fatal(err)
			}
			if err := schema.Validate(schema.Webhook, body); err != nil {
				t.Fatalf("rendered body breaks the webhook contract: %v\n%s", err, body)
			}
			if ev.Type == events.EvMessageReceived && strings.Contains(string(raw), `"mediaId"`) && !strings.Contains(string(body), "https://wagate.example.com/files/") {
				t.Fatalf("media url not filled: %s", body)
			}
		})
	}
}
