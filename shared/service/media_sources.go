package service

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	wagate "github.com/wagate/wagate/shared"
	"github.com/wagate/wagate/shared/fetch"
	"github.com/wagate/wagate/shared/ids"
	"github.com/wagate/wagate/shared/mediatype"
)

// MaxMediaBytes caps a media file taken from a path or sent inline.
const MaxMediaBytes = 64 << 20

// MediaSources says which media sources a send may use.
type MediaSources struct {
	// Dir is the only directory `path` sources may read from; "" turns
	// `path` off (always off in the aws runtime).
	Dir string
	// AllowLoopback / AllowPrivate relax the URL guard (development only).
	AllowLoopback bool
	AllowPrivate  bool
}

// resolve turns the send's media source into the message's Media: inline
// bytes and files from Dir are stored in the blob store now; uploaded files
// are referenced; URLs are checked now and fetched by the connector.
func (ms MediaSources) resolve(ctx context.Context, s *Messages, sessionID, waID string, in SendInput) (*wagate.Media, error) {
	src := in.Media
	if src == nil {
		return nil, wagate.Errorf(wagate.EINVALID, "message.%s needs one of url, base64, buffer, path or mediaId.", in.Type)
	}
	media := &wagate.Media{Filename: src.Filename, Mimetype: src.Mimetype, PTT: in.PTT, Caption: in.Text}
	switch {
	case src.URL != "":
		if err := fetch.CheckURL(src.URL, ms.AllowLoopback, ms.AllowPrivate); err != nil {
			return nil, err
		}
		if media.Mimetype != "" {
			if err := mediatype.Check(in.Type, media.Mimetype, in.PTT); err != nil {
				return nil, err
			}
		}
		media.SourceURL = src.URL
		return media, nil
	case src.MediaID != "":
		f, err := s.Media.FindMedia(ctx, src.MediaID)
		if err != nil || f.SessionID != sessionID {
			return nil, wagate.Errorf(wagate.ENOTFOUND, "No media file %q in session %s.", src.MediaID, sessionID)
		}
		if err := mediatype.Check(in.Type, f.Mimetype, in.PTT); err != nil {
			return nil, err
		}
		media.BlobKey, media.Size, media.Mimetype = f.BlobKey, f.Size, f.Mimetype
		if media.Filename == "" {
			media.Filename = f.Filename
		}
		return media, nil
	case src.Path != "":
		data, name, err := ms.readPath(src.Path)
		if err != nil {
			return nil, err
		}
		if media.Filename == "" {
			media.Filename = name
		}
		return s.storeInline(ctx, sessionID, waID, in.Type, media, data)
	case src.Data != nil:
		return s.storeInline(ctx, sessionID, waID, in.Type, media, src.Data)
	}
	return nil, wagate.Errorf(wagate.EINVALID, "message.%s needs one of url, base64, buffer, path or mediaId.", in.Type)
}

// storeInline checks the bytes' type and puts them in the blob store.
func (s *Messages) storeInline(ctx context.Context, sessionID, waID string, t wagate.MessageType, media *wagate.Media, data []byte) (*wagate.Media, error) {
	if len(data) == 0 {
		return nil, wagate.Errorf(wagate.EINVALID, "message.%s: the file is empty.", t)
	}
	if media.Mimetype == "" {
		media.Mimetype = mediatype.Sniff(data, media.Filename)
	}
	if err := mediatype.Check(t, media.Mimetype, media.PTT); err != nil {
		return nil, err
	}
	if media.Filename == "" {
		media.Filename = waID + mediatype.Extension(media.Mimetype)
	}
	id := ids.New()
	key := "media/" + sessionID + "/" + id
	info, err := s.Blobs.Put(ctx, key, bytes.NewReader(data), media.Mimetype)
	if err != nil {
		return nil, fmt.Errorf("store outbound media: %w", err)
	}
	media.BlobKey, media.Size = key, info.Size
	if s.Media != nil {
		f := &wagate.MediaFile{ID: id, SessionID: sessionID, BlobKey: key, Filename: media.Filename,
			Mimetype: media.Mimetype, Size: info.Size, Origin: "outbound", MessageID: waID, CreatedAt: s.now().UTC()}
		if err := s.Media.InsertMedia(ctx, f); err != nil {
			return nil, err
		}
	}
	return media, nil
}

// readPath reads a file that must lie inside ms.Dir (no traversal, no
// symlinks out of it).
func (ms MediaSources) readPath(p string) ([]byte, string, error) {
	if ms.Dir == "" {
		return nil, "", wagate.Errorf(wagate.EINVALID, "path sources are disabled on this server: send the file as url, base64 or mediaId.")
	}
	root, err := filepath.EvalSymlinks(ms.Dir)
	if err != nil {
		return nil, "", fmt.Errorf("media dir: %w", err)
	}
	rel := filepath.Clean(strings.TrimPrefix(p, root+string(filepath.Separator)))
	if filepath.IsAbs(rel) || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return nil, "", wagate.Errorf(wagate.EINVALID, "path must be a file inside the media directory.")
	}
	full, err := filepath.EvalSymlinks(filepath.Join(root, rel))
	if err != nil {
		return nil, "", wagate.Errorf(wagate.EINVALID, "path: no such file in the media directory.")
	}
	if r, err := filepath.Rel(root, full); err != nil || r == ".." || strings.HasPrefix(r, ".."+string(filepath.Separator)) {
		return nil, "", wagate.Errorf(wagate.EINVALID, "path must be a file inside the media directory.")
	}
	f, err := os.Open(full)
	if err != nil {
		return nil, "", wagate.Errorf(wagate.EINVALID, "path: the file cannot be read.")
	}
	defer f.Close()
	if st, err := f.Stat(); err != nil || !st.Mode().IsRegular() {
		return nil, "", wagate.Errorf(wagate.EINVALID, "path must name a regular file.")
	}
	data, err := io.ReadAll(io.LimitReader(f, MaxMediaBytes+1))
	if err != nil {
		return nil, "", fmt.Errorf("read media file: %w", err)
	}
	if len(data) > MaxMediaBytes {
		return nil, "", wagate.Errorf(wagate.ETOOLARGE, "The file is larger than %d MiB.", MaxMediaBytes>>20)
	}
	return data, filepath.Base(full), nil
}
