package wagate

import (
	"context"
	"time"
)

// StatusTTL is how long a WhatsApp status (story) stays active.
const StatusTTL = 24 * time.Hour

// StatusPost is a WhatsApp status (story) a session received or posted.
type StatusPost struct {
	ID         int64
	SessionID  string
	WhatsAppID string
	SenderJID  string
	SenderLID  string
	SenderName string
	FromMe     bool
	Type       MessageType // text, image, video
	Body       string
	Media      *Media
	Timestamp  time.Time
	ExpiresAt  time.Time // Timestamp + StatusTTL
	Viewed     bool
}

// StatusStore keeps the statuses of sessions.
type StatusStore interface {
	// InsertStatus stores p unless the session has one with the same
	// WhatsApp id; returns the stored post and whether it was created.
	InsertStatus(ctx context.Context, p *StatusPost) (*StatusPost, bool, error)

	// ListStatuses returns a session's statuses, newest first; activeOnly
	// keeps those with ExpiresAt after now.
	ListStatuses(ctx context.Context, sessionID string, activeOnly bool, now time.Time, offset, limit int) ([]*StatusPost, int, error)

	// FindStatus returns one by numeric id or WhatsApp id. Returns ENOTFOUND.
	FindStatus(ctx context.Context, sessionID, key string) (*StatusPost, error)

	// MarkStatusViewed records that the session viewed the status.
	MarkStatusViewed(ctx context.Context, sessionID, whatsAppID string) error

	// DeleteExpiredStatuses removes statuses that expired before now.
	DeleteExpiredStatuses(ctx context.Context, now time.Time) (int, error)

	// DeleteStatus removes one status (a post WhatsApp refused). Returns
	// ENOTFOUND.
	DeleteStatus(ctx context.Context, sessionID, whatsAppID string) error
}
