package events

import (
	"encoding/json"
	"time"
)

// Command types sent from the API to the connector through the command queue.
const (
	CmdSessionConnect    = "session.connect"
	CmdSessionDisconnect = "session.disconnect"
	CmdSessionRestart    = "session.restart"
	CmdSessionDelete     = "session.delete"
	CmdSessionPairPhone  = "session.pair_phone"
)

// Command is one instruction for the connector that hosts a session.
// Commands of one session are processed in order, one at a time.
type Command struct {
	ID        string          `json:"id"`
	Type      string          `json:"type"`
	SessionID string          `json:"sessionId"`
	CreatedAt time.Time       `json:"createdAt"`
	Payload   json.RawMessage `json:"payload,omitempty"`
}

// PairPhonePayload is the payload of session.pair_phone.
type PairPhonePayload struct {
	PhoneNumber string `json:"phoneNumber"`
}

// DeletePayload is the payload of session.delete: the session record is gone
// by the time the connector sees the command, so it carries what the
// connector needs to clean up.
type DeletePayload struct {
	DeviceJID string `json:"deviceJid,omitempty"`
}

// NewCommand builds a command with a JSON payload (nil for none).
func NewCommand(id, typ, sessionID string, now time.Time, payload any) (Command, error) {
	c := Command{ID: id, Type: typ, SessionID: sessionID, CreatedAt: now.UTC()}
	if payload != nil {
		b, err := json.Marshal(payload)
		if err != nil {
			return Command{}, err
		}
		c.Payload = b
	}
	return c, nil
}
