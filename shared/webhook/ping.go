package webhook

import (
	"context"
	"fmt"

	"github.com/wagate/wagate/events"
	wagate "github.com/wagate/wagate/shared"
	"github.com/wagate/wagate/shared/ids"
)

// EvWebhookTest is the event type of the ping Test sends.
const EvWebhookTest = "webhook.test"

// TestData is the data of a webhook.test ping.
type TestData struct {
	SessionID   string `json:"sessionId"`
	SessionDBID int64  `json:"session_db_id"`
	Status      string `json:"status"`
	Message     string `json:"message"`
	Timestamp   int64  `json:"timestamp"` // unix seconds
}

// Test sends a signed webhook.test ping to the session's webhook URL, with
// the same headers as a delivery, and returns the attempt: its StatusCode
// and Error say how the endpoint answered. Nothing is stored or retried.
// Returns EINVALID when the session has no webhook URL.
func (dl *Deliverer) Test(ctx context.Context, sess *wagate.Session) (wagate.WebhookAttempt, error) {
	if sess == nil || sess.Webhook.URL == "" {
		id := ""
		if sess != nil {
			id = sess.SessionID
		}
		return wagate.WebhookAttempt{}, wagate.Errorf(wagate.EINVALID, "Session %s has no webhookUrl to test", id)
	}
	dl.init()
	now := dl.now().UTC()
	ev, err := events.NewEvent("test-"+ids.New(), EvWebhookTest, sess.SessionID, sess.ID, now, TestData{
		SessionID: sess.SessionID, SessionDBID: sess.ID, Status: string(sess.Status),
		Message: "wagate webhook test", Timestamp: now.Unix(),
	})
	if err != nil {
		return wagate.WebhookAttempt{}, fmt.Errorf("test webhook of session %q: %w", sess.SessionID, err)
	}
	body, err := Render(ev, nil)
	if err != nil {
		return wagate.WebhookAttempt{}, fmt.Errorf("test webhook of session %q: %w", sess.SessionID, err)
	}
	return dl.sender.Send(ctx, sess.Webhook.URL, sess.Webhook.Secret, ev, body), nil
}
