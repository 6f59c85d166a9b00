package wagate

import (
	"context"
	"io"
	"time"
)

// BlobInfo describes a stored blob.
type BlobInfo struct {
	Key         string
	Size        int64
	ContentType string
}

// BlobStore keeps media bytes (uploads, inbound media).
type BlobStore interface {
	// Put stores the bytes of r under key, replacing any blob there.
	Put(ctx context.Context, key string, r io.Reader, contentType string) (BlobInfo, error)

	// Open returns a reader of the blob. Returns ENOTFOUND if missing.
	Open(ctx context.Context, key string) (io.ReadCloser, BlobInfo, error)

	// Delete removes the blob; deleting a missing blob is not an error.
	Delete(ctx context.Context, key string) error

	// PresignGet returns a URL that downloads the blob without the API key
	// until ttl passes, with filename as the download name.
	PresignGet(ctx context.Context, key, filename string, ttl time.Duration) (string, error)
}
