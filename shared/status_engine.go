package wagate

import (
	"context"
	"time"
)

// MaxStatusFont is the highest font index a text status may use (0-5).
const MaxStatusFont = 5

// StatusStyle is how a text status looks: colours as 0xAARRGGBB and a font
// index 0-MaxStatusFont, which each engine maps to WhatsApp's fonts.
type StatusStyle struct {
	BackgroundARGB uint32
	TextARGB       uint32
	Font           int
}

// StatusPoster is implemented by engine clients that can post statuses
// (stories) to status@broadcast; both engines do. It is a separate port so
// that test doubles of EngineClient need not implement it.
type StatusPoster interface {
	// PostStatus posts m (type text, image or video; m.ChatID is
	// status@broadcast) as WhatsApp message m.WhatsAppID to the account's
	// status audience, with the file bytes for media, and returns WhatsApp's
	// server timestamp. style applies to text statuses.
	// Returns EINVALID, ENOTCONNECTED, EWHATSAPP like Send.
	PostStatus(ctx context.Context, m *Message, style StatusStyle, media []byte) (time.Time, error)
}
