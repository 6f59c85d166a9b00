package fsblob_test

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	wagate "github.com/wagate/wagate/shared"
	"github.com/wagate/wagate/shared/fsblob"
	"github.com/wagate/wagate/shared/porttest"
)

var testKey = bytes.Repeat([]byte("k"), 32)

// MustNew returns a store on a fresh directory under tb.TempDir.
func MustNew(tb testing.TB) *fsblob.Store {
	tb.Helper()
	s, err := fsblob.New(filepath.Join(tb.TempDir(), "blobs"), "http://localhost:8084/api/", testKey)
	if err != nil {
		tb.Fatal(err)
	}
	return s
}

func TestBlobStore(t *testing.T) {
	porttest.BlobStore(t, func(t *testing.T) wagate.BlobStore { return MustNew(t) })
}

func TestNew(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		name, dir, baseURL string
		key                []byte
	}{
		{"ErrNoDir", "", "http://localhost", testKey},
		{"ErrRelativeURL", dir, "/api", testKey},
		{"ErrScheme", dir, "ftp://host", testKey},
		{"ErrShortKey", dir, "http://localhost", []byte("short")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := fsblob.New(tc.dir, tc.baseURL, tc.key); err == nil {
				t.Fatal("New accepted a bad configuration")
			}
		})
	}
}

func TestKeys(t *testing.T) {
	t.Run("ErrInvalid", func(t *testing.T) {
		root := t.TempDir()
		s, err := fsblob.New(filepath.Join(root, "blobs"), "http://localhost", testKey)
		if err != nil {
			t.Fatal(err)
		}
		for _, key := range []string{
			"", "..", ".", "../escape", "a/../../escape", "a/./b", "/etc/passwd", "a//b", "a/", "a\\..\\b",
			"..\\escape", ".hidden", "a/.b.meta", "a/.tmp-123", "nul\x00byte", "line\nbreak", "\xff\xfe",
			strings.Repeat("a", 1025),
		} {
			_, err := s.Put(t.Context(), key, strings.NewReader("x"), "text/plain")
			wantCode(t, key, err, wagate.EINVALID)
			_, _, err = s.Open(t.Context(), key)
			wantCode(t, key, err, wagate.EINVALID)
			wantCode(t, key, s.Delete(t.Context(), key), wagate.EINVALID)
			_, err = s.PresignGet(t.Context(), key, "f", 60e9)
			wantCode(t, key, err, wagate.EINVALID)
		}
		// Nothing was written outside the store's directory.
		entries, err := os.ReadDir(root)
		if err != nil {
			t.Fatal(err)
		}
		if len(entries) != 1 || entries[0].Name() != "blobs" {
			t.Fatalf("files outside the store: %v", entries)
		}
	})

	t.Run("OK", func(t *testing.T) {
		s := MustNew(t)
		for _, key := range []string{"a", "media/s1/3EB0A1B2.jpg", "dots.in.name..x", "spaces and ünïcode/ok", "x/b/c/d/e/f"} {
			if _, err := s.Put(t.Context(), key, strings.NewReader("x"), ""); err != nil {
				t.Errorf("Put(%q): %v", key, err)
			}
		}
	})

	t.Run("ErrKeyConflict", func(t *testing.T) {
		s := MustNew(t)
		if _, err := s.Put(t.Context(), "a/b", strings.NewReader("x"), ""); err != nil {
			t.Fatal(err)
		}
		_, err := s.Put(t.Context(), "a", strings.NewReader("x"), "")
		wantCode(t, "a", err, wagate.EINVALID)
		_, err = s.Put(t.Context(), "a/b/c", strings.NewReader("x"), "")
		wantCode(t, "a/b/c", err, wagate.EINVALID)
		_, _, err = s.Open(t.Context(), "a")
		wantCode(t, "a", err, wagate.ENOTFOUND)
		_, _, err = s.Open(t.Context(), "a/b/c")
		wantCode(t, "a/b/c", err, wagate.ENOTFOUND)
	})

	t.Run("DefaultContentType", func(t *testing.T) {
		s := MustNew(t)
		if _, err := s.Put(t.Context(), "x", strings.NewReader("x"), ""); err != nil {
			t.Fatal(err)
		}
		rc, info, err := s.Open(t.Context(), "x")
		if err != nil {
			t.Fatal(err)
		}
		rc.Close()
		if info.ContentType != "application/octet-stream" {
			t.Fatalf("ContentType = %q", info.ContentType)
		}
	})

	t.Run("NoTempFilesLeft", func(t *testing.T) {
		dir := filepath.Join(t.TempDir(), "blobs")
		s, err := fsblob.New(dir, "http://localhost", testKey)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.Put(t.Context(), "d/ok", strings.NewReader("x"), ""); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Put(t.Context(), "d/broken", io.MultiReader(strings.NewReader("x"), failingReader{}), ""); err == nil {
			t.Fatal("Put from a failing reader returned no error")
		}
		entries, err := os.ReadDir(filepath.Join(dir, "d"))
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		if strings.Join(names, " ") != ".ok.meta ok" {
			t.Fatalf("files in d/: %v, want .ok.meta and ok", names)
		}
	})
}

func wantCode(t *testing.T, key string, err error, code string) {
	t.Helper()
	if got := wagate.ErrorCode(err); got != code {
		t.Errorf("key %q: error %v (code %q), want %s", key, err, got, code)
	}
}

type failingReader struct{}

func (failingReader) Read([]byte) (int, error) { return 0, io.ErrUnexpectedEOF }
