package porttest

import (
	"bytes"
	"crypto/rand"
	"errors"
	"io"
	"net/url"
	"testing"
	"time"

	wagate "github.com/wagate/wagate/shared"
)

// BlobStore runs the conformance suite of wagate.BlobStore.
func BlobStore(t *testing.T, open func(t *testing.T) wagate.BlobStore) {
	t.Run("OK", func(t *testing.T) {
		bs := open(t)
		body := []byte("\x89PNG fake image bytes")
		info, err := bs.Put(t.Context(), "media/s1/3EB0AA.png", bytes.NewReader(body), "image/png")
		must(t, err)
		want := wagate.BlobInfo{Key: "media/s1/3EB0AA.png", Size: int64(len(body)), ContentType: "image/png"}
		if info != want {
			t.Fatalf("Put = %+v, want %+v", info, want)
		}
		expectBlob(t, bs, want, body)
	})

	t.Run("Replace", func(t *testing.T) {
		bs := open(t)
		_, err := bs.Put(t.Context(), "a/b.bin", bytes.NewReader([]byte("first version")), "application/octet-stream")
		must(t, err)
		_, err = bs.Put(t.Context(), "a/b.bin", bytes.NewReader([]byte("v2")), "text/plain")
		must(t, err)
		expectBlob(t, bs, wagate.BlobInfo{Key: "a/b.bin", Size: 2, ContentType: "text/plain"}, []byte("v2"))
	})

	t.Run("Empty", func(t *testing.T) {
		bs := open(t)
		_, err := bs.Put(t.Context(), "empty.txt", bytes.NewReader(nil), "text/plain")
		must(t, err)
		expectBlob(t, bs, wagate.BlobInfo{Key: "empty.txt", Size: 0, ContentType: "text/plain"}, nil)
	})

	t.Run("Large", func(t *testing.T) {
		bs := open(t)
		body := make([]byte, 5<<20+123)
		_, _ = rand.Read(body)
		// A reader that is not an io.Seeker and yields short reads.
		r := io.MultiReader(bytes.NewReader(body[:1000]), io.LimitReader(bytes.NewReader(body[1000:]), int64(len(body)-1000)))
		info, err := bs.Put(t.Context(), "big/video.mp4", r, "video/mp4")
		must(t, err)
		if info.Size != int64(len(body)) {
			t.Fatalf("Put size = %d, want %d", info.Size, len(body))
		}
		expectBlob(t, bs, wagate.BlobInfo{Key: "big/video.mp4", Size: int64(len(body)), ContentType: "video/mp4"}, body)
	})

	t.Run("FailedPutKeepsOld", func(t *testing.T) {
		bs := open(t)
		_, err := bs.Put(t.Context(), "doc.pdf", bytes.NewReader([]byte("old")), "application/pdf")
		must(t, err)
		broken := io.MultiReader(bytes.NewReader([]byte("partial new content")), errReader{})
		if _, err := bs.Put(t.Context(), "doc.pdf", broken, "application/pdf"); err == nil {
			t.Fatal("Put from a failing reader returned no error")
		}
		expectBlob(t, bs, wagate.BlobInfo{Key: "doc.pdf", Size: 3, ContentType: "application/pdf"}, []byte("old"))
	})

	t.Run("ErrNotFound", func(t *testing.T) {
		bs := open(t)
		_, err := bs.Put(t.Context(), "dir/file.txt", bytes.NewReader([]byte("x")), "text/plain")
		must(t, err)
		for _, key := range []string{"missing.txt", "dir/missing.txt", "other/file.txt"} {
			rc, _, err := bs.Open(t.Context(), key)
			if err == nil {
				rc.Close()
			}
			wantCode(t, err, wagate.ENOTFOUND)
		}
	})

	t.Run("Delete", func(t *testing.T) {
		bs := open(t)
		_, err := bs.Put(t.Context(), "a/gone.txt", bytes.NewReader([]byte("x")), "text/plain")
		must(t, err)
		_, err = bs.Put(t.Context(), "a/kept.txt", bytes.NewReader([]byte("y")), "text/plain")
		must(t, err)
		must(t, bs.Delete(t.Context(), "a/gone.txt"))
		_, _, err = bs.Open(t.Context(), "a/gone.txt")
		wantCode(t, err, wagate.ENOTFOUND)
		expectBlob(t, bs, wagate.BlobInfo{Key: "a/kept.txt", Size: 1, ContentType: "text/plain"}, []byte("y"))
		must(t, bs.Delete(t.Context(), "a/gone.txt"))  // deleting again
		must(t, bs.Delete(t.Context(), "never/there")) // deleting a missing blob
	})

	t.Run("PresignGet", func(t *testing.T) {
		bs := open(t)
		_, err := bs.Put(t.Context(), "media/s1/photo.jpg", bytes.NewReader([]byte("jpeg")), "image/jpeg")
		must(t, err)
		raw, err := bs.PresignGet(t.Context(), "media/s1/photo.jpg", "photo.jpg", 10*time.Minute)
		must(t, err)
		u, err := url.Parse(raw)
		if err != nil || !u.IsAbs() || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			t.Fatalf("PresignGet = %q: want an absolute http(s) URL (%v)", raw, err)
		}
		other, err := bs.PresignGet(t.Context(), "media/s1/other.jpg", "other.jpg", 10*time.Minute)
		must(t, err)
		if other == raw {
			t.Fatal("two blobs got the same presigned URL")
		}
	})
}

// expectBlob fails t unless Open(want.Key) yields want and body.
func expectBlob(t *testing.T, bs wagate.BlobStore, want wagate.BlobInfo, body []byte) {
	t.Helper()
	rc, info, err := bs.Open(t.Context(), want.Key)
	must(t, err)
	defer rc.Close()
	got, err := io.ReadAll(rc)
	must(t, err)
	if info != want {
		t.Errorf("Open info = %+v, want %+v", info, want)
	}
	if !bytes.Equal(got, body) {
		t.Errorf("Open read %d bytes, want the %d bytes put", len(got), len(body))
	}
}

// errReader fails every read.
type errReader struct{}

func (errReader) Read([]byte) (int, error) { return 0, errors.New("reader broke") }
