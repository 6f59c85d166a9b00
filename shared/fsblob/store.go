// Package fsblob implements wagate.BlobStore on a local directory: the local
// runtime's stand-in for S3. A blob with key "media/s1/x.jpg" is the file
// <dir>/media/s1/x.jpg; its content type is kept beside it in
// <dir>/media/s1/.x.jpg.meta. Writes are atomic (temporary file, fsync,
// rename). Presigned links are HMAC-signed tokens that the HTTP layer checks
// with Verify before serving the file without the API key.
package fsblob

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	wagate "github.com/wagate/wagate/shared"
)

const (
	defaultContentType = "application/octet-stream"
	metaSuffix         = ".meta"
	tempPattern        = ".tmp-*"
	dirPerm            = 0o750
	// minSigningKeyLen is the shortest link-signing key New accepts
	// (HMAC-SHA256 wants at least its 32-byte output size).
	minSigningKeyLen = 32
)

var _ wagate.BlobStore = (*Store)(nil)

// Store is a wagate.BlobStore on a directory.
type Store struct {
	dir        string
	baseURL    string
	signingKey []byte

	// Now is the clock that link expiry is checked against; time.Now when nil.
	Now func() time.Time
}

// New returns a store keeping blobs under dir (created if missing) whose
// presigned links are baseURL + "/files/<token>", signed with signingKey.
func New(dir string, baseURL string, signingKey []byte) (*Store, error) {
	if dir == "" {
		return nil, errors.New("new blob store: empty directory")
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("new blob store in %q: %w", dir, err)
	}
	if err := os.MkdirAll(abs, dirPerm); err != nil {
		return nil, fmt.Errorf("new blob store in %q: %w", dir, err)
	}
	u, err := url.Parse(baseURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("new blob store: base URL %q must be an absolute http(s) URL", baseURL)
	}
	if len(signingKey) < minSigningKeyLen {
		return nil, fmt.Errorf("new blob store: signing key must be at least %d bytes", minSigningKeyLen)
	}
	return &Store{dir: abs, baseURL: strings.TrimRight(baseURL, "/"), signingKey: append([]byte(nil), signingKey...)}, nil
}

// meta is the content of a blob's metadata file.
type meta struct {
	ContentType string `json:"contentType"`
}

// Put stores r under key, replacing any blob there. A failed Put leaves the
// previous blob as it was.
func (s *Store) Put(ctx context.Context, key string, r io.Reader, contentType string) (wagate.BlobInfo, error) {
	if err := validKey(key); err != nil {
		return wagate.BlobInfo{}, err
	}
	if contentType == "" {
		contentType = defaultContentType
	}
	dataPath, metaPath := s.paths(key)
	if err := s.mkdirFor(key, dataPath); err != nil {
		return wagate.BlobInfo{}, err
	}
	if fi, err := os.Stat(dataPath); err == nil && fi.IsDir() {
		return wagate.BlobInfo{}, wagate.Errorf(wagate.EINVALID, "Blob key %q is a folder of other blobs", key)
	}
	dataTmp, n, err := writeTemp(filepath.Dir(dataPath), ctxReader{ctx, r})
	if err != nil {
		return wagate.BlobInfo{}, fmt.Errorf("put blob %q: %w", key, err)
	}
	defer os.Remove(dataTmp) // a no-op once renamed
	m, err := json.Marshal(meta{ContentType: contentType})
	if err != nil {
		return wagate.BlobInfo{}, fmt.Errorf("put blob %q: %w", key, err)
	}
	metaTmp, _, err := writeTemp(filepath.Dir(metaPath), strings.NewReader(string(m)))
	if err != nil {
		return wagate.BlobInfo{}, fmt.Errorf("put blob %q: %w", key, err)
	}
	defer os.Remove(metaTmp)
	// The data file is the commit point: its metadata goes first, so a
	// reader that sees the new data also sees its content type.
	if err := os.Rename(metaTmp, metaPath); err != nil {
		return wagate.BlobInfo{}, fmt.Errorf("put blob %q: %w", key, err)
	}
	if err := os.Rename(dataTmp, dataPath); err != nil {
		return wagate.BlobInfo{}, fmt.Errorf("put blob %q: %w", key, err)
	}
	return wagate.BlobInfo{Key: key, Size: n, ContentType: contentType}, nil
}

// mkdirFor creates the folders of a key; a blob in the way is a conflict.
func (s *Store) mkdirFor(key, dataPath string) error {
	err := os.MkdirAll(filepath.Dir(dataPath), dirPerm)
	if errors.Is(err, syscall.ENOTDIR) || errors.Is(err, fs.ErrExist) {
		return wagate.Errorf(wagate.EINVALID, "Blob key %q lies under another blob", key)
	}
	if err != nil {
		return fmt.Errorf("put blob %q: %w", key, err)
	}
	return nil
}

// Open returns a reader of the blob and its info. Returns ENOTFOUND if
// there is no blob under key.
func (s *Store) Open(ctx context.Context, key string) (io.ReadCloser, wagate.BlobInfo, error) {
	if err := validKey(key); err != nil {
		return nil, wagate.BlobInfo{}, err
	}
	dataPath, metaPath := s.paths(key)
	f, err := os.Open(dataPath)
	if isMissing(err) {
		return nil, wagate.BlobInfo{}, wagate.Errorf(wagate.ENOTFOUND, "Blob %s not found", key)
	} else if err != nil {
		return nil, wagate.BlobInfo{}, fmt.Errorf("open blob %q: %w", key, err)
	}
	fi, err := f.Stat()
	if err != nil || fi.IsDir() {
		f.Close()
		if err != nil {
			return nil, wagate.BlobInfo{}, fmt.Errorf("open blob %q: %w", key, err)
		}
		return nil, wagate.BlobInfo{}, wagate.Errorf(wagate.ENOTFOUND, "Blob %s not found", key)
	}
	info := wagate.BlobInfo{Key: key, Size: fi.Size(), ContentType: defaultContentType}
	if b, err := os.ReadFile(metaPath); err == nil {
		var m meta
		if json.Unmarshal(b, &m) == nil && m.ContentType != "" {
			info.ContentType = m.ContentType
		}
	} else if !isMissing(err) {
		f.Close()
		return nil, wagate.BlobInfo{}, fmt.Errorf("open blob %q: %w", key, err)
	}
	return f, info, nil
}

// Delete removes the blob and its metadata; a missing blob is not an error.
func (s *Store) Delete(ctx context.Context, key string) error {
	if err := validKey(key); err != nil {
		return err
	}
	dataPath, metaPath := s.paths(key)
	if fi, err := os.Stat(dataPath); err == nil && fi.IsDir() {
		return nil // a folder of other blobs, not a blob
	}
	for _, p := range []string{dataPath, metaPath} {
		if err := os.Remove(p); err != nil && !isMissing(err) {
			return fmt.Errorf("delete blob %q: %w", key, err)
		}
	}
	return nil
}

// isMissing reports whether err means the file is not there (including a
// path that runs through a regular file).
func isMissing(err error) bool {
	return errors.Is(err, fs.ErrNotExist) || errors.Is(err, syscall.ENOTDIR)
}
