package wagate

import (
	"context"
	"time"
)

// SimControl drives the simulated WhatsApp network. It exists only when the
// sim engine is active; the API exposes it under /api/_sim/.
type SimControl interface {
	// Scan acts as a phone scanning the session's current QR code.
	// Returns ENOTFOUND if the session is not hosted, EINVALID if it shows
	// no QR code or phone is malformed. phone and pushName may be empty.
	Scan(ctx context.Context, sessionID, phone, pushName string) error

	// Drop cuts the session's connection; the client reconnects by itself.
	Drop(ctx context.Context, sessionID string) error

	// Logout acts as the phone unlinking the device.
	Logout(ctx context.Context, sessionID string) error

	// Kick ends the connection the way WhatsApp does for reason
	// (replaced, banned, client_outdated, passkey_required, …).
	Kick(ctx context.Context, sessionID string, reason Reason, detail string) error

	// Inbound delivers a message to the session as if a contact sent it
	// and returns its WhatsApp id. Returns ENOTCONNECTED when the session
	// is not live, EINVALID for a malformed message.
	Inbound(ctx context.Context, sessionID string, in SimInbound) (string, error)

	// Receipt reports that the recipient's phone delivered, read or played
	// a message the session sent. Returns ENOTFOUND for an id the network
	// never carried.
	Receipt(ctx context.Context, sessionID, whatsAppID string, status MessageStatus) error

	// Carried lists what the network carried for the session: each WhatsApp id
	// once (recipients deduplicate ids), with how often it was submitted.
	Carried(ctx context.Context, sessionID string) ([]SimSent, error)

	// Reads lists the read receipts the session sent (chats marked read,
	// statuses viewed), oldest first.
	Reads(ctx context.Context, sessionID string) ([]SimRead, error)
}

// SimRead is one batch of read receipts a session sent.
type SimRead struct {
	ChatID    string
	SenderJID string // the author in groups and of a status; "" in direct chats
	IDs       []string
	At        time.Time
}

// SimSent is a message the simulated network carried.
type SimSent struct {
	WhatsAppID  string
	ChatID      string
	Type        MessageType
	Body        string
	Submissions int
}

// SimInbound describes a message the simulated network delivers.
type SimInbound struct {
	ID       string // WhatsApp id; generated when empty (reuse one to test duplicates)
	From     string // sender: digits or phone JID (required)
	FromLID  string // sender's LID JID, when the chat is addressed by LID
	PushName string
	Group    string // group JID when the message is posted in a group
	Type     MessageType
	Content  string // text, or caption of media
	Media    *SimMedia
	Location *Location
	Contacts []ContactCard
	PTT      bool
	// Reaction: TargetID is the reacted message; Content the emoji ("" removes).
	// Edit / revoke: set Edit or Revoke and TargetID; Content is the new text.
	TargetID     string
	TargetFromMe bool
	Edit         bool
	Revoke       bool
	QuotedID     string
	ViewOnce     bool // wrapped in a view-once message
	Ephemeral    bool // wrapped in an ephemeral (disappearing) message
	History      bool // arrives through history sync
	Status       bool // posted as a status (story) to status@broadcast
}

// SimMedia is the file of a simulated inbound media message.
type SimMedia struct {
	Data     []byte
	Mimetype string
	Filename string
}
