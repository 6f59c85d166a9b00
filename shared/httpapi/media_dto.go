package httpapi

import (
	"context"
	"time"

	wagate "github.com/wagate/wagate/shared"
)

// mediaFileDTO is a file of the media routes. url is an expiring link that
// needs no API key; downloadUrl is the authenticated route.
type mediaFileDTO struct {
	ID                string  `json:"id"`
	SessionID         string  `json:"sessionId"`
	Filename          string  `json:"filename"`
	Mimetype          string  `json:"mimetype"`
	Size              int64   `json:"size"`
	Origin            string  `json:"origin"`
	WhatsAppMessageID *string `json:"whatsappMessageId"`
	CreatedAt         string  `json:"createdAt"`
	URL               *string `json:"url"`
	ExpiresAt         *string `json:"expiresAt"`
	DownloadURL       string  `json:"downloadUrl"`
}

func (s *Server) mediaFileOf(ctx context.Context, f *wagate.MediaFile) mediaFileDTO {
	d := mediaFileDTO{
		ID: f.ID, SessionID: f.SessionID, Filename: f.Filename, Mimetype: f.Mimetype, Size: f.Size, Origin: f.Origin,
		CreatedAt: isoTime(f.CreatedAt), DownloadURL: "/api/media/" + f.ID + "/download",
	}
	if f.MessageID != "" {
		d.WhatsAppMessageID = &f.MessageID
	}
	if d.URL = s.link(ctx, f.BlobKey, f.Filename); d.URL != nil {
		d.ExpiresAt = isoOrNil(time.Now().Add(MediaLinkTTL))
	}
	return d
}
