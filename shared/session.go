package wagate

import (
	"context"
	"time"
)

// Status is the live state of a session as the API reports it.
type Status string

const (
	StatusQRCode       Status = "qr_code"
	StatusConnecting   Status = "connecting"
	StatusConnected    Status = "connected"
	StatusDisconnected Status = "disconnected"
)

// Valid reports whether s is one of the four statuses of the contract.
func (s Status) Valid() bool {
	switch s {
	case StatusQRCode, StatusConnecting, StatusConnected, StatusDisconnected:
		return true
	}
	return false
}

// Reason says why a session is disconnected (or reconnecting) when WhatsApp
// or the operator caused it. Empty when nothing noteworthy happened.
type Reason string

const (
	ReasonNone            Reason = ""
	ReasonUserRequest     Reason = "user_request"     // disconnect route
	ReasonLoggedOut       Reason = "logged_out"       // the phone unlinked the device
	ReasonReplaced        Reason = "replaced"         // another client took the connection (StreamReplaced)
	ReasonBanned          Reason = "banned"           // TemporaryBan
	ReasonPasskeyRequired Reason = "passkey_required" // WhatsApp asks for a passkey to log in
	ReasonClientOutdated  Reason = "client_outdated"  // WhatsApp refuses this client version
	ReasonQRTimeout       Reason = "qr_timeout"       // no phone scanned any QR code in time
	ReasonConnectionLost  Reason = "connection_lost"  // socket dropped; reconnecting by itself
	ReasonKeepAlive       Reason = "keepalive_timeout"
	ReasonConnectFailed   Reason = "connect_failed"
	ReasonHostStopped     Reason = "host_stopped" // the connector hosting it shut down; it reconnects when one starts
)

// Session is one linked (or to be linked) WhatsApp number.
type Session struct {
	ID          int64  // numeric, monotonic, allocated by the store
	SessionID   string // client-given or generated, unique
	Name        string
	PhoneNumber string

	Webhook WebhookConfig

	// Live state, written by the connector that hosts the session.
	Status       Status
	Reason       Reason
	ReasonDetail string // free text from WhatsApp (ban expiry, error text)
	QRCode       string // PNG data URL, only while Status == qr_code
	QRExpiresAt  time.Time
	PairingCode  string // phone pairing code, while pairing by code
	DeviceJID    string // set once paired; empty when logged out
	Profile      Profile
	LastActivity time.Time

	// AutoConnect is the desired state: true when the session should be
	// connected whenever a connector hosts it (set by create/connect/restart,
	// cleared by disconnect and logout).
	AutoConnect bool

	CreatedAt time.Time
	UpdatedAt time.Time
}

// IsConnected reports the live connection flag the API returns beside status.
func (s *Session) IsConnected() bool { return s.Status == StatusConnected }

// HasQR reports whether a QR code is waiting to be scanned.
func (s *Session) HasQR() bool {
	return s.Status == StatusQRCode && s.QRCode != ""
}

// Profile is the WhatsApp profile of the linked number.
type Profile struct {
	Name       string
	About      string
	PictureURL string
	IsBusiness bool
}

// WebhookConfig is where a session's events go.
type WebhookConfig struct {
	URL          string
	Secret       string
	Events       []string // "message", "message_status", "session", "qr", …; empty = all
	SendToFrappe bool
}

// SessionUpdate changes some fields of a session; nil fields stay as they are.
type SessionUpdate struct {
	Name          *string
	PhoneNumber   *string
	WebhookURL    *string
	WebhookSecret *string
	WebhookEvents *[]string
	SendToFrappe  *bool
	AutoConnect   *bool

	Status       *Status
	Reason       *Reason
	ReasonDetail *string
	QRCode       *string
	QRExpiresAt  *time.Time
	PairingCode  *string
	DeviceJID    *string
	Profile      *Profile
	LastActivity *time.Time
}

// SessionFilter selects sessions in ListSessions.
type SessionFilter struct {
	Status      Status // "" = any
	AutoConnect *bool  // nil = any
	Offset      int
	Limit       int // 0 = no limit
}

// SessionStore keeps sessions.
type SessionStore interface {
	// CreateSession stores s, allocating s.ID and the timestamps.
	// Returns ESESSIONEXISTS if s.SessionID is taken.
	CreateSession(ctx context.Context, s *Session) error

	// FindSession returns the session whose numeric id or sessionId is key.
	// Returns ENOSESSION if there is none.
	FindSession(ctx context.Context, key string) (*Session, error)

	// ListSessions returns sessions ordered by numeric id and the total
	// number that match the filter (ignoring Offset/Limit).
	ListSessions(ctx context.Context, f SessionFilter) ([]*Session, int, error)

	// UpdateSession applies upd to the session with this sessionId and
	// returns the result. Returns ENOSESSION if there is none.
	UpdateSession(ctx context.Context, sessionID string, upd SessionUpdate) (*Session, error)

	// DeleteSession removes the session. Returns ENOSESSION if there is none.
	DeleteSession(ctx context.Context, sessionID string) error
}
