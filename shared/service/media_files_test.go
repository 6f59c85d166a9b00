package service_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"io"
	"strings"
	"testing"

	wagate "github.com/wagate/wagate/shared"
	"github.com/wagate/wagate/shared/service"
)

// pngFile is a 1×1 PNG.
var pngFile, _ = base64.StdEncoding.DecodeString("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==")

func TestMediaFiles_Upload(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t)
	w.session(t, "s1", wagate.StatusConnected)
	svc := &service.MediaFiles{Sessions: w.sessions, Store: w.media, Blobs: w.blobs, MaxUploadBytes: 1024}

	t.Run("OK", func(t *testing.T) {
		f, err := svc.Upload(ctx, "s1", `C:\fotos\..\"mi foto".txt`, bytes.NewReader(pngFile))
		if err != nil {
			t.Fatal(err)
		}
		if f.Mimetype != "image/png" || f.Filename != "mi foto.txt" || f.Size != int64(len(pngFile)) || f.Origin != "upload" ||
			f.BlobKey != "media/s1/"+f.ID || f.SessionID != "s1" {
			t.Fatalf("file %+v", f)
		}
		got, rc, info, err := svc.Open(ctx, f.ID)
		if err != nil {
			t.Fatal(err)
		}
		data, _ := io.ReadAll(rc)
		rc.Close()
		if got.ID != f.ID || !bytes.Equal(data, pngFile) || info.ContentType != "image/png" {
			t.Fatalf("open: %+v %q", info, data)
		}
		list, total, err := svc.List(ctx, "s1", 1, 20)
		if err != nil || total != 1 || list[0].ID != f.ID {
			t.Fatalf("list %+v %d %v", list, total, err)
		}
	})
	t.Run("NameFromType", func(t *testing.T) {
		f, err := svc.Upload(ctx, "s1", "", strings.NewReader("%PDF-1.4\n%%EOF\n"))
		if err != nil {
			t.Fatal(err)
		}
		if f.Mimetype != "application/pdf" || f.Filename != f.ID+".pdf" {
			t.Fatalf("file %+v", f)
		}
	})
	t.Run("ExactlyTheLimit", func(t *testing.T) {
		if _, err := svc.Upload(ctx, "s1", "a.bin", bytes.NewReader(make([]byte, 1024))); err != nil {
			t.Fatal(err)
		}
	})
	for _, tt := range []struct {
		name, session string
		body          []byte
		code          string
	}{
		{"ErrTooLarge", "s1", make([]byte, 1025), wagate.ETOOLARGE},
		{"ErrEmpty", "s1", nil, wagate.EINVALID},
		{"ErrNoSession", "nope", pngFile, wagate.ENOSESSION},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := svc.Upload(ctx, tt.session, "x.bin", bytes.NewReader(tt.body))
			wantCode(t, err, tt.code)
		})
	}
	if _, total, _ := svc.List(ctx, "s1", 1, 20); total != 3 {
		t.Fatalf("%d files, want 3 (refused uploads store nothing)", total)
	}
}

func TestMediaFiles_Delete(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t)
	w.session(t, "s1", wagate.StatusConnected)
	svc := &service.MediaFiles{Sessions: w.sessions, Store: w.media, Blobs: w.blobs}
	f, err := svc.Upload(ctx, "s1", "a.png", bytes.NewReader(pngFile))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Delete(ctx, f.ID); err != nil {
		t.Fatal(err)
	}
	if _, _, err := w.blobs.Open(ctx, f.BlobKey); wagate.ErrorCode(err) != wagate.ENOTFOUND {
		t.Fatalf("bytes left behind: %v", err)
	}
	for name, call := range map[string]func() error{
		"Get":    func() error { _, err := svc.Get(ctx, f.ID); return err },
		"Open":   func() error { _, _, _, err := svc.Open(ctx, f.ID); return err },
		"Delete": func() error { _, err := svc.Delete(ctx, f.ID); return err },
	} {
		t.Run("ErrNotFound"+name, func(t *testing.T) { wantCode(t, call(), wagate.ENOTFOUND) })
	}
}

func TestCleanFilename(t *testing.T) {
	long := strings.Repeat("é", 300)
	for _, tt := range []struct{ name, in, want string }{
		{"Plain", "report.pdf", "report.pdf"},
		{"Folders", "/etc/passwd", "passwd"},
		{"WindowsFolders", `C:\Users\ana\photo.jpg`, "photo.jpg"},
		{"Traversal", "../../secret.txt", "secret.txt"},
		{"Dots", "..", ""},
		{"Hidden", ".env", "env"},
		{"Control", "a\x00b\r\nc.txt", "abc.txt"},
		{"Quotes", `"x".txt`, "x.txt"},
		{"Spaces", "  a b.txt  ", "a b.txt"},
		{"Empty", "", ""},
		{"Long", long + ".pdf", strings.Repeat("é", service.MaxFilenameRunes-4) + ".pdf"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := service.CleanFilename(tt.in); got != tt.want {
				t.Fatalf("CleanFilename(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}
