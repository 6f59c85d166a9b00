package service

import (
	wagate "github.com/wagate/wagate/shared"
)

// SendInput is a send request after decoding the seed's body forms.
type SendInput struct {
	To             string // digits, phone JID, LID JID or group JID
	Type           wagate.MessageType
	Text           string // text body, or caption for media
	Media          *MediaInput
	Location       *wagate.Location
	Contacts       []wagate.ContactCard
	ContactsName   string // displayName of a contacts message
	PTT            bool   // audio: send as a voice note
	QuotedID       string // WhatsApp id of the message to reply to
	IdempotencyKey string // Idempotency-Key header or a client message id in the body
}

// MediaInput says where a media message's file comes from; exactly one
// source is set.
type MediaInput struct {
	URL      string // fetched by the connector with the SSRF guard
	Data     []byte // decoded base64 / buffer
	Path     string // a file inside the configured media directory (local runtime only)
	MediaID  string // a file uploaded through the media routes
	Mimetype string // as given; sniffed from the bytes when empty
	Filename string
}
