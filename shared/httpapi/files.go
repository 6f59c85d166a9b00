package httpapi

import (
	"io"
	"mime"
	"net/http"
	"strconv"
	"time"

	wagate "github.com/wagate/wagate/shared"
)

// MediaLinkTTL is how long a media download link works.
const MediaLinkTTL = 24 * time.Hour

// handleFile serves a presigned download link: no API key, the token is
// the permission (it names one file and expires).
func (s *Server) handleFile(w http.ResponseWriter, r *http.Request) {
	if s.Files == nil {
		s.writeError(w, r, wagate.Errorf(wagate.ENOTFOUND, "No such file."))
		return
	}
	key, filename, err := s.Files.Verify(r.PathValue("token"))
	if err != nil {
		s.writeError(w, r, wagate.Errorf(wagate.ENOTFOUND, "The link is invalid or has expired."))
		return
	}
	rc, info, err := s.Files.Open(r.Context(), key)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	defer rc.Close()
	streamFile(w, rc, info, filename)
}

// streamFile writes a blob with its type, size and download name.
func streamFile(w http.ResponseWriter, rc io.Reader, info wagate.BlobInfo, filename string) {
	ctype := info.ContentType
	if ctype == "" {
		ctype = "application/octet-stream"
	}
	w.Header().Set("Content-Type", ctype)
	w.Header().Set("X-Content-Type-Options", "nosniff")
	if info.Size > 0 {
		w.Header().Set("Content-Length", strconv.FormatInt(info.Size, 10))
	}
	if filename != "" {
		w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": filename}))
	}
	w.WriteHeader(http.StatusOK)
	_, _ = io.Copy(w, rc)
}

type mediaLink struct {
	MessageID         int64  `json:"messageId"`
	WhatsAppMessageID string `json:"whatsappMessageId"`
	URL               string `json:"url"`
	ExpiresAt         string `json:"expiresAt"`
	Filename          string `json:"filename"`
	Mimetype          string `json:"mimetype"`
	Size              int64  `json:"size"`
}

// handleMessageMedia answers an expiring link to a message's file that
// downloads without the API key (client-compat).
func (s *Server) handleMessageMedia(w http.ResponseWriter, r *http.Request) {
	m, err := s.Messages.Get(r.Context(), r.PathValue("sessionId"), r.PathValue("messageId"))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	if m.Media == nil || m.Media.BlobKey == "" || s.Files == nil {
		s.writeError(w, r, wagate.Errorf(wagate.ENOTFOUND, "Message %s has no stored file.", m.WhatsAppID))
		return
	}
	url, err := s.Files.PresignGet(r.Context(), m.Media.BlobKey, m.Media.Filename, MediaLinkTTL)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeOK(w, http.StatusOK, "", mediaLink{
		MessageID: m.ID, WhatsAppMessageID: m.WhatsAppID, URL: url, ExpiresAt: isoTime(time.Now().Add(MediaLinkTTL)),
		Filename: m.Media.Filename, Mimetype: m.Media.Mimetype, Size: m.Media.Size,
	})
}
