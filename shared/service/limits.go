package service

import "time"

// Limits and waits of the session use cases.
const (
	// CreateWait is how long creating or connecting a session waits for the
	// connector to show a QR code or connect before answering.
	CreateWait = 5 * time.Second
	// DisconnectWait is how long a disconnect waits to see the session down.
	DisconnectWait = 3 * time.Second
	// PairWait is how long a pairing-code request waits for the code.
	PairWait = 15 * time.Second
	// PollEvery is the period at which waits re-read the session.
	PollEvery = 20 * time.Millisecond

	MaxSessionName   = 100
	MaxWebhookURL    = 2048
	MaxWebhookSecret = 256
	MaxPageLimit     = 100
	DefaultPageLimit = 20
)

// webhookEventNames are the subscriptions a session may list in webhookEvents.
var webhookEventNames = map[string]bool{
	"message": true, "message_status": true, "session": true, "qr": true,
	"group": true, "status": true, "all": true, "*": true,
}
