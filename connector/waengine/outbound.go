package waengine

import (
	"cmp"
	"fmt"
	"math"
	"strings"

	"go.mau.fi/whatsmeow"
	"go.mau.fi/whatsmeow/proto/waE2E"
	"go.mau.fi/whatsmeow/types"
	"google.golang.org/protobuf/proto"

	wagate "github.com/wagate/wagate/shared"
	"github.com/wagate/wagate/shared/jid"
	"github.com/wagate/wagate/shared/mediatype"
)

// Outbound messages, pure: a wagate.Message (and its file) → the
// waE2E.Message to send. The upload and the send are in send.go.

// Mimetypes used when a message names none and the bytes do not tell.
const (
	stickerMimetype  = "image/webp"
	fallbackMimetype = "application/octet-stream"
)

// uploadMediaType is the media type (encryption keys and upload path) of a
// message type's file. Stickers are uploaded as images, as WhatsApp does.
func uploadMediaType(t wagate.MessageType) whatsmeow.MediaType {
	switch t {
	case wagate.TypeImage, wagate.TypeSticker:
		return whatsmeow.MediaImage
	case wagate.TypeVideo:
		return whatsmeow.MediaVideo
	case wagate.TypeAudio:
		return whatsmeow.MediaAudio
	case wagate.TypeDocument:
		return whatsmeow.MediaDocument
	}
	return ""
}

// parseChat returns the JID to send to: a phone JID, a LID or a group (any
// form jid.Normalize accepts). Returns EINVALID.
func parseChat(chatID string) (types.JID, error) {
	norm, err := jid.Normalize(chatID)
	if err != nil {
		return types.EmptyJID, err
	}
	chat, err := types.ParseJID(norm)
	if err != nil {
		return types.EmptyJID, wagate.Errorf(wagate.EINVALID, "Invalid chat %q.", chatID)
	}
	return chat, nil
}

// buildOutbound returns the message to send for m, with media the file of
// a media message. For media, the fields the upload gives (URL, keys,
// hashes, length) are set afterwards by attachUpload. Returns EINVALID for
// a message that lacks what its type needs, ENOTSUPPORTED for types that
// cannot be sent.
func buildOutbound(m *wagate.Message, media []byte) (*waE2E.Message, error) {
	if m.Type.HasMedia() && len(media) == 0 {
		return nil, wagate.Errorf(wagate.EINVALID, "A %s message needs its media bytes.", m.Type)
	}
	quote := quoteContext(m.QuotedID)
	file := m.Media
	if file == nil {
		file = &wagate.Media{}
	}
	caption := optString(cmp.Or(file.Caption, m.Body))
	switch m.Type {
	case wagate.TypeText:
		return buildText(m.Body, quote)
	case wagate.TypeImage:
		img := &waE2E.ImageMessage{
			Mimetype:      proto.String(outboundMimetype(file, media, "image/jpeg")),
			Caption:       caption,
			JPEGThumbnail: jpegThumbnail(media),
			ContextInfo:   quote,
		}
		w, h, ok := imageSize(media)
		if !ok {
			w, h = file.Width, file.Height
		}
		img.Width, img.Height = optUint32(w), optUint32(h)
		return &waE2E.Message{ImageMessage: img}, nil
	case wagate.TypeVideo:
		return &waE2E.Message{VideoMessage: &waE2E.VideoMessage{
			Mimetype:    proto.String(outboundMimetype(file, media, "video/mp4")),
			Caption:     caption,
			Seconds:     optUint32(file.Seconds),
			Width:       optUint32(file.Width),
			Height:      optUint32(file.Height),
			ContextInfo: quote,
		}}, nil
	case wagate.TypeAudio:
		audio := &waE2E.AudioMessage{
			Mimetype:    proto.String(outboundMimetype(file, media, "audio/mpeg")),
			Seconds:     optUint32(file.Seconds),
			ContextInfo: quote,
		}
		if file.PTT {
			audio.PTT, audio.Mimetype = proto.Bool(true), proto.String(mediatype.VoiceNote)
		}
		return &waE2E.Message{AudioMessage: audio}, nil
	case wagate.TypeDocument:
		mimetype := outboundMimetype(file, media, fallbackMimetype)
		name := cmp.Or(file.Filename, "file"+mediatype.Extension(mimetype))
		return &waE2E.Message{DocumentMessage: &waE2E.DocumentMessage{
			Mimetype:    proto.String(mimetype),
			FileName:    proto.String(name),
			Title:       proto.String(name),
			Caption:     caption,
			ContextInfo: quote,
		}}, nil
	case wagate.TypeSticker:
		return &waE2E.Message{StickerMessage: &waE2E.StickerMessage{
			Mimetype:    proto.String(stickerMimetype),
			Width:       optUint32(file.Width),
			Height:      optUint32(file.Height),
			ContextInfo: quote,
		}}, nil
	case wagate.TypeLocation:
		return buildLocation(m.Location, quote)
	case wagate.TypeContact:
		return buildContacts(m.Contacts, m.Body, quote)
	}
	return nil, wagate.Errorf(wagate.ENOTSUPPORTED, "Sending %s messages is not supported.", m.Type)
}

// quoteContext is the reply context for quotedID. The port carries only the
// quoted message's id: its author (Participant) and content are not known,
// so the content is an empty placeholder, as WhatsApp clients send for a
// quote they no longer have.
func quoteContext(quotedID string) *waE2E.ContextInfo {
	if quotedID == "" {
		return nil
	}
	return &waE2E.ContextInfo{
		StanzaID:      proto.String(quotedID),
		QuotedMessage: &waE2E.Message{Conversation: proto.String("")},
	}
}

// buildText is a plain Conversation, or an ExtendedTextMessage when it
// quotes another message (a Conversation has no context).
func buildText(body string, quote *waE2E.ContextInfo) (*waE2E.Message, error) {
	if strings.TrimSpace(body) == "" {
		return nil, wagate.Errorf(wagate.EINVALID, "A text message needs a body.")
	}
	if quote == nil {
		return &waE2E.Message{Conversation: proto.String(body)}, nil
	}
	return &waE2E.Message{ExtendedTextMessage: &waE2E.ExtendedTextMessage{
		Text:        proto.String(body),
		ContextInfo: quote,
	}}, nil
}

func buildLocation(loc *wagate.Location, quote *waE2E.ContextInfo) (*waE2E.Message, error) {
	if loc == nil || math.IsNaN(loc.Latitude) || math.IsNaN(loc.Longitude) ||
		math.Abs(loc.Latitude) > 90 || math.Abs(loc.Longitude) > 180 {
		return nil, wagate.Errorf(wagate.EINVALID, "A location message needs a latitude (-90..90) and a longitude (-180..180).")
	}
	return &waE2E.Message{LocationMessage: &waE2E.LocationMessage{
		DegreesLatitude:  proto.Float64(loc.Latitude),
		DegreesLongitude: proto.Float64(loc.Longitude),
		Name:             optString(loc.Name),
		Address:          optString(loc.Address),
		URL:              optString(loc.URL),
		ContextInfo:      quote,
	}}, nil
}

// buildContacts is a ContactMessage for one card and a ContactsArrayMessage
// (titled title, or "N contacts") for several. Every vCard gets waid
// parameters on its numbers (see vcardWithWAID); a card without a vCard
// gets a minimal one with its name.
func buildContacts(cards []wagate.ContactCard, title string, quote *waE2E.ContextInfo) (*waE2E.Message, error) {
	if len(cards) == 0 {
		return nil, wagate.Errorf(wagate.EINVALID, "A contact message needs at least one contact.")
	}
	out := make([]*waE2E.ContactMessage, len(cards))
	for i, card := range cards {
		vcard := card.VCard
		if strings.TrimSpace(vcard) == "" {
			if card.DisplayName == "" {
				return nil, wagate.Errorf(wagate.EINVALID, "Contact %d needs a vCard or a display name.", i+1)
			}
			vcard = minimalVCard(card.DisplayName)
		}
		vcard = vcardWithWAID(vcard)
		name := cmp.Or(card.DisplayName, vcardName(vcard), "Contact")
		out[i] = &waE2E.ContactMessage{DisplayName: proto.String(name), Vcard: proto.String(vcard)}
	}
	if len(out) == 1 {
		out[0].ContextInfo = quote
		return &waE2E.Message{ContactMessage: out[0]}, nil
	}
	return &waE2E.Message{ContactsArrayMessage: &waE2E.ContactsArrayMessage{
		DisplayName: proto.String(cmp.Or(title, fmt.Sprintf("%d contacts", len(out)))),
		Contacts:    out,
		ContextInfo: quote,
	}}, nil
}

// outboundMimetype is the file's mimetype in standard form: the one the
// message names, else the one its bytes show, else def.
func outboundMimetype(file *wagate.Media, data []byte, def string) string {
	if m := mediatype.Canonical(file.Mimetype); m != "" {
		return m
	}
	if m := mediatype.Canonical(mediatype.Sniff(data, file.Filename)); m != "" && m != fallbackMimetype {
		return m
	}
	return def
}

// attachUpload sets the fields of an uploaded file on msg's media part;
// mediaKeyTimestamp is the upload time in Unix seconds.
func attachUpload(msg *waE2E.Message, up whatsmeow.UploadResponse, mediaKeyTimestamp int64) {
	url, path, length, ts := proto.String(up.URL), proto.String(up.DirectPath), proto.Uint64(up.FileLength), proto.Int64(mediaKeyTimestamp)
	switch {
	case msg.ImageMessage != nil:
		p := msg.ImageMessage
		p.URL, p.DirectPath, p.MediaKey, p.FileEncSHA256, p.FileSHA256, p.FileLength, p.MediaKeyTimestamp =
			url, path, up.MediaKey, up.FileEncSHA256, up.FileSHA256, length, ts
	case msg.VideoMessage != nil:
		p := msg.VideoMessage
		p.URL, p.DirectPath, p.MediaKey, p.FileEncSHA256, p.FileSHA256, p.FileLength, p.MediaKeyTimestamp =
			url, path, up.MediaKey, up.FileEncSHA256, up.FileSHA256, length, ts
	case msg.AudioMessage != nil:
		p := msg.AudioMessage
		p.URL, p.DirectPath, p.MediaKey, p.FileEncSHA256, p.FileSHA256, p.FileLength, p.MediaKeyTimestamp =
			url, path, up.MediaKey, up.FileEncSHA256, up.FileSHA256, length, ts
	case msg.DocumentMessage != nil:
		p := msg.DocumentMessage
		p.URL, p.DirectPath, p.MediaKey, p.FileEncSHA256, p.FileSHA256, p.FileLength, p.MediaKeyTimestamp =
			url, path, up.MediaKey, up.FileEncSHA256, up.FileSHA256, length, ts
	case msg.StickerMessage != nil:
		p := msg.StickerMessage
		p.URL, p.DirectPath, p.MediaKey, p.FileEncSHA256, p.FileSHA256, p.FileLength, p.MediaKeyTimestamp =
			url, path, up.MediaKey, up.FileEncSHA256, up.FileSHA256, length, ts
	}
}

// optString is nil for "" (proto fields left unset rather than empty).
func optString(s string) *string {
	if s == "" {
		return nil
	}
	return proto.String(s)
}

// optUint32 is nil for values that are not positive.
func optUint32(n int) *uint32 {
	if n <= 0 || n > math.MaxUint32 {
		return nil
	}
	return proto.Uint32(uint32(n))
}
