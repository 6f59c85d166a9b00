package wagate

import (
	"context"
	"time"
)

// MediaFile is a file wagate keeps: uploaded through the media routes,
// received with a message, or sent.
type MediaFile struct {
	ID        string // opaque, URL-safe
	SessionID string
	BlobKey   string
	Filename  string
	Mimetype  string
	Size      int64
	Origin    string // "upload", "inbound", "outbound"
	MessageID string // WhatsApp id of the message it belongs to, if any
	CreatedAt time.Time
}

// MediaStore keeps the metadata of media files (the bytes are in the BlobStore).
type MediaStore interface {
	InsertMedia(ctx context.Context, f *MediaFile) error
	// FindMedia returns a file by id. Returns ENOTFOUND.
	FindMedia(ctx context.Context, id string) (*MediaFile, error)
	// ListMedia returns a session's files, newest first, and the total.
	ListMedia(ctx context.Context, sessionID string, offset, limit int) ([]*MediaFile, int, error)
	// DeleteMedia removes the record. Returns ENOTFOUND.
	DeleteMedia(ctx context.Context, id string) error
}
