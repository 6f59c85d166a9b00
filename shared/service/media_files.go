package service

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"path"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	wagate "github.com/wagate/wagate/shared"
	"github.com/wagate/wagate/shared/ids"
	"github.com/wagate/wagate/shared/mediatype"
)

// Limits of uploaded files.
const (
	// DefaultMaxUploadBytes caps an uploaded file unless MediaFiles says otherwise.
	DefaultMaxUploadBytes = 64 << 20
	// MaxFilenameRunes caps the stored name of a file.
	MaxFilenameRunes = 255
	// sniffBytes is how much of a file its type is recognised from.
	sniffBytes = 512
)

// OriginUpload marks files uploaded through the media routes.
const OriginUpload = "upload"

// MediaFiles implements the media routes: files a session keeps (uploaded,
// received with messages, or sent), their bytes in the blob store.
type MediaFiles struct {
	Sessions wagate.SessionStore
	Store    wagate.MediaStore
	Blobs    wagate.BlobStore
	// MaxUploadBytes caps an upload (zero: DefaultMaxUploadBytes).
	MaxUploadBytes int64
	Now            func() time.Time
}

func (s *MediaFiles) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

// MaxBytes is the largest file Upload takes.
func (s *MediaFiles) MaxBytes() int64 {
	if s.MaxUploadBytes > 0 {
		return s.MaxUploadBytes
	}
	return DefaultMaxUploadBytes
}

// List returns a page of the session's files, newest first, and the total.
// Returns ENOSESSION.
func (s *MediaFiles) List(ctx context.Context, sessionKey string, page, limit int) ([]*wagate.MediaFile, int, error) {
	sess, err := s.Sessions.FindSession(ctx, sessionKey)
	if err != nil {
		return nil, 0, err
	}
	return s.Store.ListMedia(ctx, sess.SessionID, (page-1)*limit, limit)
}

// Upload stores the file read from r for the session. Its type is
// recognised from its bytes (the name's extension only breaks ties, see
// mediatype.Sniff), its name is reduced to a plain file name.
// Returns ENOSESSION, EINVALID (empty file), ETOOLARGE.
func (s *MediaFiles) Upload(ctx context.Context, sessionKey, filename string, r io.Reader) (*wagate.MediaFile, error) {
	sess, err := s.Sessions.FindSession(ctx, sessionKey)
	if err != nil {
		return nil, err
	}
	head := make([]byte, sniffBytes)
	n, err := io.ReadFull(r, head)
	if errors.Is(err, io.EOF) {
		return nil, wagate.Errorf(wagate.EINVALID, "The file is empty.")
	} else if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) {
		return nil, readError(err)
	}
	head = head[:n]
	f := &wagate.MediaFile{ID: ids.New(), SessionID: sess.SessionID, Filename: CleanFilename(filename),
		Origin: OriginUpload, CreatedAt: s.now().UTC()}
	f.Mimetype = mediatype.Sniff(head, f.Filename)
	if f.Filename == "" {
		f.Filename = f.ID + mediatype.Extension(f.Mimetype)
	}
	f.BlobKey = "media/" + f.SessionID + "/" + f.ID
	body := &capReader{r: io.MultiReader(bytes.NewReader(head), r), left: s.MaxBytes(), max: s.MaxBytes()}
	info, err := s.Blobs.Put(ctx, f.BlobKey, body, f.Mimetype)
	if err != nil {
		return nil, readError(err)
	}
	f.Size = info.Size
	if err := s.Store.InsertMedia(ctx, f); err != nil {
		_ = s.Blobs.Delete(context.WithoutCancel(ctx), f.BlobKey)
		return nil, err
	}
	return f, nil
}

// Get returns a file by id. Returns ENOTFOUND.
func (s *MediaFiles) Get(ctx context.Context, id string) (*wagate.MediaFile, error) {
	f, err := s.Store.FindMedia(ctx, id)
	if wagate.ErrorCode(err) == wagate.ENOTFOUND {
		return nil, wagate.Errorf(wagate.ENOTFOUND, "No media file %q.", id)
	}
	return f, err
}

// Open returns a file and a reader of its bytes; the caller closes it.
// Returns ENOTFOUND (also when the bytes are gone).
func (s *MediaFiles) Open(ctx context.Context, id string) (*wagate.MediaFile, io.ReadCloser, wagate.BlobInfo, error) {
	f, err := s.Get(ctx, id)
	if err != nil {
		return nil, nil, wagate.BlobInfo{}, err
	}
	rc, info, err := s.Blobs.Open(ctx, f.BlobKey)
	if err != nil {
		return nil, nil, wagate.BlobInfo{}, err
	}
	if info.ContentType == "" {
		info.ContentType = f.Mimetype
	}
	return f, rc, info, nil
}

// Delete removes a file: the record first, then the bytes (a crash in
// between leaves unreachable bytes, never a record without them). Messages
// that carried the file keep their text; their media links stop working.
// Returns ENOTFOUND.
func (s *MediaFiles) Delete(ctx context.Context, id string) (*wagate.MediaFile, error) {
	f, err := s.Get(ctx, id)
	if err != nil {
		return nil, err
	}
	if err := s.Store.DeleteMedia(ctx, id); err != nil {
		return nil, err
	}
	if err := s.Blobs.Delete(ctx, f.BlobKey); err != nil {
		return nil, fmt.Errorf("delete bytes of media %q: %w", id, err)
	}
	return f, nil
}

// CleanFilename reduces a client-given name to a plain file name: no
// folders (either slash), no control characters, no leading dots or
// surrounding spaces, at most MaxFilenameRunes (the extension kept).
// Returns "" when nothing usable is left.
func CleanFilename(name string) string {
	name = path.Base(strings.ReplaceAll(name, `\`, "/"))
	name = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || r == utf8.RuneError || r == '"' {
			return -1
		}
		return r
	}, name)
	name = strings.TrimLeft(strings.TrimSpace(name), ".")
	name = strings.TrimSpace(name)
	if name == "" || name == "/" {
		return ""
	}
	if utf8.RuneCountInString(name) > MaxFilenameRunes {
		ext := path.Ext(name)
		if utf8.RuneCountInString(ext) > 16 {
			ext = ""
		}
		runes := []rune(strings.TrimSuffix(name, ext))
		name = string(runes[:MaxFilenameRunes-utf8.RuneCountInString(ext)]) + ext
	}
	return name
}

// capReader reads at most max bytes and fails with ETOOLARGE past them.
type capReader struct {
	r         io.Reader
	left, max int64
}

func (c *capReader) Read(p []byte) (int, error) {
	if c.left < 0 {
		return 0, TooLarge(c.max)
	}
	if int64(len(p)) > c.left+1 {
		p = p[:c.left+1]
	}
	n, err := c.r.Read(p)
	c.left -= int64(n)
	if c.left < 0 {
		return 0, TooLarge(c.max)
	}
	return n, err
}

// TooLarge is the error of a file over the upload limit of max bytes.
func TooLarge(max int64) error {
	size := fmt.Sprintf("%d bytes", max)
	if max >= 1<<20 && max%(1<<20) == 0 {
		size = fmt.Sprintf("%d MiB", max>>20)
	}
	return wagate.Errorf(wagate.ETOOLARGE, "The file is larger than the upload limit of %s.", size)
}

// readError keeps a coded error (ETOOLARGE from the cap, a blob store
// refusal) and wraps any other failure to read or store an upload.
func readError(err error) error {
	if wagate.ErrorCode(err) != wagate.EINTERNAL {
		return err
	}
	return fmt.Errorf("store upload: %w", err)
}
