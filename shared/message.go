package wagate

import (
	"context"
	"time"
)

// MessageType is the kind of a message, as the API and webhooks name it.
type MessageType string

const (
	TypeText     MessageType = "text"
	TypeImage    MessageType = "image"
	TypeVideo    MessageType = "video"
	TypeAudio    MessageType = "audio"
	TypeDocument MessageType = "document"
	TypeLocation MessageType = "location"
	TypeContact  MessageType = "contact"
	TypeSticker  MessageType = "sticker"
	TypeReaction MessageType = "reaction"
	TypeUnknown  MessageType = "unknown" // a kind wagate does not model; kept with a description
)

// Sendable reports whether t can be sent through the send route.
func (t MessageType) Sendable() bool {
	switch t {
	case TypeText, TypeImage, TypeVideo, TypeAudio, TypeDocument, TypeLocation, TypeContact, TypeSticker:
		return true
	}
	return false
}

// HasMedia reports whether messages of type t carry a file.
func (t MessageType) HasMedia() bool {
	switch t {
	case TypeImage, TypeVideo, TypeAudio, TypeDocument, TypeSticker:
		return true
	}
	return false
}

// MessageStatus is where a message is in its life. Outbound messages move
// pending → sent → delivered → read → played, or to failed, never
// backwards; inbound messages are received.
type MessageStatus string

const (
	StatusPending   MessageStatus = "pending"
	StatusSent      MessageStatus = "sent"
	StatusDelivered MessageStatus = "delivered"
	StatusRead      MessageStatus = "read"
	StatusPlayed    MessageStatus = "played"
	StatusFailed    MessageStatus = "failed"
	StatusReceived  MessageStatus = "received"
)

// Rank orders outbound statuses; a status may only be replaced by one of a
// higher rank. failed ranks just above pending: a message WhatsApp
// acknowledged (sent or later) is never marked failed afterwards.
func (s MessageStatus) Rank() int {
	switch s {
	case StatusPending:
		return 1
	case StatusFailed:
		return 2
	case StatusSent:
		return 3
	case StatusDelivered:
		return 4
	case StatusRead:
		return 5
	case StatusPlayed:
		return 6
	}
	return 0
}

// Advances reports whether moving from s to next is a forward move.
func (s MessageStatus) Advances(next MessageStatus) bool {
	return next.Rank() > s.Rank()
}

// Message is one WhatsApp message, inbound or outbound.
type Message struct {
	ID         int64  // numeric, allocated by the store
	SessionID  string // owning session's sessionId
	WhatsAppID string // WhatsApp message id (minted by wagate for sends)

	ChatID     string // chat JID: the phone JID of a person when known, a group JID, …
	ChatLID    string // the chat's LID JID when known
	SenderJID  string // author: phone JID when known (the participant in groups)
	SenderLID  string // author's LID when known
	SenderName string // author's push name
	FromMe     bool
	IsGroup    bool

	Type     MessageType
	Body     string // text, caption, or a readable description
	Media    *Media
	Location *Location
	Contacts []ContactCard
	Reaction *Reaction
	QuotedID string // WhatsApp id of the message this one replies to

	Edited    bool
	Revoked   bool
	History   bool // came from history sync: stored, never webhooked
	Seen      bool // inbound: marked read by us
	Status    MessageStatus
	Error     string // why it failed
	Timestamp time.Time

	SentAt, DeliveredAt, ReadAt, PlayedAt time.Time

	IdempotencyKey string // outbound: the caller's key
	CreatedAt      time.Time
}

// Media is the file of a media message.
type Media struct {
	BlobKey   string // where the bytes are in the blob store ("" until stored)
	SourceURL string // outbound: fetched by the connector (SSRF-guarded) when BlobKey is empty
	Filename  string
	Mimetype  string
	Size      int64
	PTT       bool // audio: voice note
	Width     int
	Height    int
	Seconds   int
	Caption   string
}

// Location is a shared place.
type Location struct {
	Latitude  float64
	Longitude float64
	Name      string
	Address   string
	URL       string
}

// ContactCard is one shared contact (vCard).
type ContactCard struct {
	DisplayName string
	VCard       string
}

// Reaction is an emoji on another message; an empty Text removes it.
type Reaction struct {
	TargetID     string // WhatsApp id of the reacted message
	TargetChatID string
	TargetFromMe bool
	Text         string
}

// MessageUpdate changes a stored message; nil fields stay. Status is applied
// only when it advances (see MessageStatus.Advances); its timestamp field
// (SentAt, DeliveredAt, …) is set with At.
type MessageUpdate struct {
	Status  *MessageStatus
	At      time.Time
	Error   *string
	Body    *string // edit
	Edited  *bool
	Revoked *bool
	Media   *Media // inbound media stored
}

// MessageFilter selects messages in ListMessages, newest first.
type MessageFilter struct {
	SessionID string
	ChatID    string      // "" = any
	Type      MessageType // "" = any
	FromMe    *bool
	Since     time.Time // inclusive; zero = unbounded
	Until     time.Time // inclusive; zero = unbounded
	Offset    int
	Limit     int
}

// Chat is a conversation of a session, maintained as messages arrive.
type Chat struct {
	SessionID     string
	ChatID        string
	Name          string
	IsGroup       bool
	UnreadCount   int
	TotalMessages int
	Archived      bool
	Pinned        bool
	Muted         bool
	LastMessage   *Message // nil for an empty chat
}

// MessageStats are counts of a session's messages in a time range.
type MessageStats struct {
	Total    int
	Sent     int // fromMe
	Received int // not fromMe
	ByType   map[MessageType]int
	ByStatus map[MessageStatus]int
	ByDay    map[string]int // "2006-01-02" (UTC) → count
}

// MessageStore keeps messages and the chats they form.
type MessageStore interface {
	// InsertMessage stores m unless the session already has a message with
	// the same WhatsAppID (or, when set, the same IdempotencyKey); it
	// returns the stored message and whether it was created now. It keeps
	// the chat (name, counts, last message) and the counters current.
	InsertMessage(ctx context.Context, m *Message) (*Message, bool, error)

	// FindMessage returns a message of the session by numeric id or
	// WhatsApp id. Returns ENOTFOUND.
	FindMessage(ctx context.Context, sessionID, key string) (*Message, error)

	// FindByIdempotencyKey returns the outbound message sent with key.
	// Returns ENOTFOUND.
	FindByIdempotencyKey(ctx context.Context, sessionID, key string) (*Message, error)

	// UpdateMessage applies upd to the message with this WhatsApp id and
	// returns it with whether anything changed. Returns ENOTFOUND.
	UpdateMessage(ctx context.Context, sessionID, whatsAppID string, upd MessageUpdate) (*Message, bool, error)

	// ListMessages returns a page of messages, newest first, and the total
	// that match (from counters, never a full scan per request).
	ListMessages(ctx context.Context, f MessageFilter) ([]*Message, int, error)

	// ListChats returns a page of a session's chats by last activity.
	ListChats(ctx context.Context, sessionID string, offset, limit int) ([]*Chat, int, error)

	// MarkChatRead marks the chat's unseen inbound messages seen and
	// returns them (to send read receipts).
	MarkChatRead(ctx context.Context, sessionID, chatID string) ([]*Message, error)

	// Stats counts a session's messages with since ≤ timestamp ≤ until.
	Stats(ctx context.Context, sessionID string, since, until time.Time) (*MessageStats, error)

	// ListUnread returns unseen inbound messages of every session, newest first.
	ListUnread(ctx context.Context, offset, limit int) ([]*Message, int, error)

	// DeleteSessionMessages removes every message and chat of a session.
	DeleteSessionMessages(ctx context.Context, sessionID string) error
}

// MessageWatcher is implemented by message stores that can signal, within
// the process, that a message changed (the local runtime); others are polled.
type MessageWatcher interface {
	// WatchMessage returns a channel closed at the next change of the
	// message; stop releases the watch.
	WatchMessage(sessionID, whatsAppID string) (changed <-chan struct{}, stop func())
}
