package events

import (
	"encoding/json"
	"time"
)

// Bus event types. The webhook body's "event" field carries the same names.
const (
	EvSessionQR           = "session.qr"
	EvSessionConnecting   = "session.connecting"
	EvSessionConnected    = "session.connected"
	EvSessionDisconnected = "session.disconnected"
	EvSessionLoggedOut    = "session.logged_out"
)

// Event is one fact published on the event bus. ID is stable for the life of
// the event (webhook X-Webhook-Id); Data is the type-specific body.
type Event struct {
	ID          string          `json:"id"`
	Type        string          `json:"type"`
	SessionID   string          `json:"sessionId"`
	SessionDBID int64           `json:"sessionDbId"`
	Time        time.Time       `json:"time"`
	Data        json.RawMessage `json:"data"`
}

// SessionEvent is the Data of every session.* event.
type SessionEvent struct {
	SessionID    string     `json:"sessionId"`
	SessionDBID  int64      `json:"session_db_id"`
	Status       string     `json:"status"`
	Reason       string     `json:"reason,omitempty"`
	ReasonDetail string     `json:"reasonDetail,omitempty"`
	PhoneNumber  string     `json:"phoneNumber,omitempty"`
	QRCode       string     `json:"qrCode,omitempty"`
	ExpiresAt    *time.Time `json:"expiresAt,omitempty"`
}

// NewEvent builds an event with a JSON data body.
func NewEvent(id, typ, sessionID string, sessionDBID int64, now time.Time, data any) (Event, error) {
	b, err := json.Marshal(data)
	if err != nil {
		return Event{}, err
	}
	return Event{ID: id, Type: typ, SessionID: sessionID, SessionDBID: sessionDBID, Time: now.UTC(), Data: b}, nil
}

// WebhookBody is what a webhook target receives: the event type and the
// event's data (message.received media carries a working url).
type WebhookBody struct {
	Event string          `json:"event"`
	Data  json.RawMessage `json:"data"`
}
