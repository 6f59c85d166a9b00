package wagate

import (
	"context"
	"time"
)

// Engine is the WhatsApp network: whatsmeow in production, sim in tests and
// demos. The connector asks it for one client per hosted session.
type Engine interface {
	// Name is "whatsmeow" or "sim".
	Name() string

	// NewClient prepares a client for a session. dev.DeviceJID is empty for a
	// session that was never paired (or was logged out): connecting it shows
	// QR codes. Events of the client are passed to handle, in order, on a
	// goroutine that must not be blocked for long.
	NewClient(ctx context.Context, dev EngineDevice, handle func(EngineEvent)) (EngineClient, error)

	// DeleteDevice removes the stored credentials of a device without
	// talking to WhatsApp (used when a session is deleted while offline).
	DeleteDevice(ctx context.Context, deviceJID string) error
}

// EngineDevice names the device a client runs as.
type EngineDevice struct {
	SessionID string
	DeviceJID string
}

// EngineClient is one session's connection to WhatsApp.
type EngineClient interface {
	// Connect starts connecting. Unpaired: QR codes follow as events.
	// Paired: a ConnectedEvent follows on success. It returns once the
	// attempt is under way, not when it is done.
	Connect(ctx context.Context) error

	// Disconnect closes the connection and keeps the credentials.
	Disconnect()

	// Logout unlinks the device from the phone and deletes its credentials.
	Logout(ctx context.Context) error

	// PairPhone asks WhatsApp for a pairing code for phone (digits with
	// country code), as an alternative to scanning the QR code. The client
	// must be connecting and unpaired.
	PairPhone(ctx context.Context, phone string) (string, error)

	// IsLive reports whether the client is connected and logged in.
	IsLive() bool

	// Send sends m as WhatsApp message m.WhatsAppID to m.ChatID, with the
	// file bytes for media types (nil otherwise), and returns WhatsApp's
	// server timestamp. Sending an id twice must be avoided by the caller.
	Send(ctx context.Context, m *Message, media []byte) (time.Time, error)

	// MarkRead sends read receipts for inbound messages ids of a chat
	// (senderJID is the author in groups, "" otherwise).
	MarkRead(ctx context.Context, chatID, senderJID string, ids []string, at time.Time) error
}

// EngineEvent is something a client observed. The concrete types follow.
type EngineEvent interface{ engineEvent() }

// QREvent: a new QR code to show; it stops being valid at ExpiresAt.
type QREvent struct {
	Code      string
	ExpiresAt time.Time
}

// QRTimeoutEvent: no phone scanned any of the QR codes in time.
type QRTimeoutEvent struct{}

// PairedEvent: a phone linked this device (PairSuccess).
type PairedEvent struct {
	DeviceJID    string
	PhoneNumber  string
	PushName     string
	BusinessName string
}

// ConnectedEvent: connected and logged in (Connected, KeepAliveRestored).
type ConnectedEvent struct {
	PushName    string
	PhoneNumber string
}

// DisconnectedEvent: the connection is gone. Reconnecting says whether the
// client is trying again by itself (socket drop, keep-alive timeout) or has
// given up (logged out, replaced, banned, outdated). CredentialsGone is true
// when the device was unlinked and must pair again.
type DisconnectedEvent struct {
	Reason          Reason
	Detail          string
	Reconnecting    bool
	CredentialsGone bool
}

// ProfileEvent: the linked account's profile changed (push name, about, picture).
type ProfileEvent struct {
	Profile Profile
}

// MessageEvent: a message arrived (or was sent from the phone, FromMe), live
// or from history sync (Message.History). Statuses (stories) arrive with
// Status set. Download fetches the media bytes (nil when there are none);
// call it off the engine's goroutine, soon: WhatsApp's links expire.
//
// Handled, when not nil, must be called once the message is durably stored
// (or with the error that prevented it): the engine acknowledges the
// message to WhatsApp only then, so a crash before it loses nothing.
type MessageEvent struct {
	Message  *Message
	Status   bool
	Download func(ctx context.Context) ([]byte, error)
	Handled  func(err error)
}

// MessageChangeEvent: an earlier message was edited or revoked (deleted for
// everyone) by its author.
type MessageChangeEvent struct {
	ChatID   string
	TargetID string // WhatsApp id of the changed message
	Revoked  bool
	NewBody  string // the edited text (when not Revoked)
	At       time.Time
}

// ReceiptEvent: messages we sent were delivered, read or played.
type ReceiptEvent struct {
	ChatID    string
	SenderJID string // who read it (in groups, a participant)
	IDs       []string
	Status    MessageStatus // delivered, read, played
	At        time.Time
}

func (MessageEvent) engineEvent()       {}
func (MessageChangeEvent) engineEvent() {}
func (ReceiptEvent) engineEvent()       {}
func (QREvent) engineEvent()            {}
func (QRTimeoutEvent) engineEvent()     {}
func (PairedEvent) engineEvent()        {}
func (ConnectedEvent) engineEvent()     {}
func (DisconnectedEvent) engineEvent()  {}
func (ProfileEvent) engineEvent()       {}
