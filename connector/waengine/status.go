package waengine

import (
	"context"
	"time"

	"go.mau.fi/whatsmeow/proto/waE2E"
	"go.mau.fi/whatsmeow/types"
	"google.golang.org/protobuf/proto"

	wagate "github.com/wagate/wagate/shared"
	"github.com/wagate/wagate/shared/jid"
)

// Statuses (stories): building the message (pure) and posting it.
//
// whatsmeow sends a message to types.StatusBroadcastJID like a group
// message whose participants are the account's status audience: it asks
// WhatsApp for the status privacy setting (GetStatusPrivacy) and, for "my
// contacts" and "my contacts except…", takes the contacts of the device
// store that have a full name (synced from the phone's address book);
// for "only share with…" the listed people. The account's own devices are
// always added.

var _ wagate.StatusPoster = (*Client)(nil)

// statusFonts maps the API's font index (0-5) to WhatsApp's status fonts.
// WhatsApp's proto numbers fonts 0, 1, 2, 6, 7, 8, 9, 10 (3-5 were retired),
// so the index is not the proto value.
var statusFonts = [wagate.MaxStatusFont + 1]waE2E.ExtendedTextMessage_FontType{
	waE2E.ExtendedTextMessage_SYSTEM,
	waE2E.ExtendedTextMessage_SYSTEM_TEXT,
	waE2E.ExtendedTextMessage_FB_SCRIPT,
	waE2E.ExtendedTextMessage_SYSTEM_BOLD,
	waE2E.ExtendedTextMessage_MORNINGBREEZE_REGULAR,
	waE2E.ExtendedTextMessage_CALISTOGA_REGULAR,
}

// Colours of a text status that names none (WhatsApp's teal, white text).
const (
	defaultStatusBackground uint32 = 0xFF128C7E
	defaultStatusText       uint32 = 0xFFFFFFFF
)

// PostStatus posts m (text, image or video, to status@broadcast) to the
// account's status audience and returns WhatsApp's server timestamp.
// Returns EINVALID for another chat, another type or a message lacking
// what its type needs; ENOTCONNECTED when the client is not live;
// EWHATSAPP when WhatsApp refuses the upload or the message.
func (c *Client) PostStatus(ctx context.Context, m *wagate.Message, style wagate.StatusStyle, media []byte) (time.Time, error) {
	if m == nil || m.WhatsAppID == "" {
		return time.Time{}, wagate.Errorf(wagate.EINVALID, "A status needs a WhatsApp id.")
	}
	msg, err := buildStatus(m, style, media)
	if err != nil {
		return time.Time{}, err
	}
	return c.submit(ctx, types.StatusBroadcastJID, m, msg, media)
}

// buildStatus returns the message of a status: an ExtendedTextMessage with
// its colours and font for text, the usual image or video message (with
// caption and thumbnail, no quote) for media. Returns EINVALID.
func buildStatus(m *wagate.Message, style wagate.StatusStyle, media []byte) (*waE2E.Message, error) {
	if m.ChatID != jid.StatusBroadcast {
		return nil, wagate.Errorf(wagate.EINVALID, "A status is posted to %s, not %q.", jid.StatusBroadcast, m.ChatID)
	}
	switch m.Type {
	case wagate.TypeText:
		if m.Body == "" {
			return nil, wagate.Errorf(wagate.EINVALID, "A text status needs text.")
		}
		if style.Font < 0 || style.Font > wagate.MaxStatusFont {
			return nil, wagate.Errorf(wagate.EINVALID, "font must be a number from 0 to %d.", wagate.MaxStatusFont)
		}
		bg, fg := style.BackgroundARGB, style.TextARGB
		if bg == 0 {
			bg = defaultStatusBackground
		}
		if fg == 0 {
			fg = defaultStatusText
		}
		return &waE2E.Message{ExtendedTextMessage: &waE2E.ExtendedTextMessage{
			Text:           proto.String(m.Body),
			BackgroundArgb: proto.Uint32(bg),
			TextArgb:       proto.Uint32(fg),
			Font:           statusFonts[style.Font].Enum(),
		}}, nil
	case wagate.TypeImage, wagate.TypeVideo:
		plain := *m
		plain.QuotedID = ""
		return buildOutbound(&plain, media)
	}
	return nil, wagate.Errorf(wagate.EINVALID, "A status cannot be a %s message: post text, image or video.", m.Type)
}
