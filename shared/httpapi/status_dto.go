package httpapi

import (
	"context"
	"time"

	wagate "github.com/wagate/wagate/shared"
)

// statusDTO is a status (story) in every REST answer.
type statusDTO struct {
	ID                int64           `json:"id"`
	WhatsAppMessageID string          `json:"whatsappMessageId"`
	SessionID         string          `json:"sessionId"`
	From              string          `json:"from"`
	FromLID           string          `json:"fromLid,omitempty"`
	SenderName        string          `json:"senderName,omitempty"`
	FromMe            bool            `json:"fromMe"`
	Type              string          `json:"type"`
	Body              string          `json:"body"`
	Content           string          `json:"content"`
	HasMedia          bool            `json:"hasMedia"`
	Media             *statusMediaDTO `json:"media"`
	Timestamp         string          `json:"timestamp"`
	ExpiresAt         string          `json:"expiresAt"`
	Active            bool            `json:"active"`
	Viewed            bool            `json:"viewed"`
}

// statusMediaDTO is a status's file; url is an expiring link that needs
// no API key (null while the file is not stored).
type statusMediaDTO struct {
	Filename string  `json:"filename"`
	Mimetype string  `json:"mimetype"`
	Size     int64   `json:"size"`
	URL      *string `json:"url"`
}

// statusOf renders p at now.
func (s *Server) statusOf(ctx context.Context, p *wagate.StatusPost, now time.Time) statusDTO {
	d := statusDTO{
		ID: p.ID, WhatsAppMessageID: p.WhatsAppID, SessionID: p.SessionID, From: p.SenderJID, FromLID: p.SenderLID,
		SenderName: p.SenderName, FromMe: p.FromMe, Type: string(p.Type), Body: p.Body, Content: p.Body,
		Timestamp: isoTime(p.Timestamp), ExpiresAt: isoTime(p.ExpiresAt), Active: p.ExpiresAt.After(now), Viewed: p.Viewed,
	}
	if d.From == "" {
		d.From = p.SenderLID
	}
	if m := p.Media; m != nil {
		d.HasMedia = true
		d.Media = &statusMediaDTO{Filename: m.Filename, Mimetype: m.Mimetype, Size: m.Size, URL: s.link(ctx, m.BlobKey, m.Filename)}
	}
	return d
}

// link is an expiring download link of a blob, nil when there is no blob
// (or no signer).
func (s *Server) link(ctx context.Context, key, filename string) *string {
	if key == "" || s.Files == nil {
		return nil
	}
	u, err := s.Files.PresignGet(ctx, key, filename, MediaLinkTTL)
	if err != nil {
		s.log().WarnContext(ctx, "presign media link", "key", key, "err", err)
		return nil
	}
	return &u
}
