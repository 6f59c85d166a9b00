package sim

import (
	"context"
	"time"

	wagate "github.com/wagate/wagate/shared"
)

// Statuses the session posts, and the read receipts it sent, as the phone
// side sees them.

var _ wagate.StatusPoster = (*Client)(nil)

// PostStatus posts m to status@broadcast like Send does to a chat: the
// network records it (with style for a text status) once per WhatsApp id
// and returns the server timestamp. Returns EINVALID for another chat or a
// type other than text, image and video, and what Send returns.
func (c *Client) PostStatus(ctx context.Context, m *wagate.Message, style wagate.StatusStyle, media []byte) (time.Time, error) {
	if m == nil || m.ChatID != statusBroadcast {
		return time.Time{}, wagate.Errorf(wagate.EINVALID, "A status is posted to %s.", statusBroadcast)
	}
	switch m.Type {
	case wagate.TypeText:
		if m.Body == "" {
			return time.Time{}, wagate.Errorf(wagate.EINVALID, "A text status needs text.")
		}
	case wagate.TypeImage, wagate.TypeVideo:
		style = wagate.StatusStyle{}
	default:
		return time.Time{}, wagate.Errorf(wagate.EINVALID, "A status cannot be a %s message.", m.Type)
	}
	return c.send(ctx, m, media, &style)
}

// Reads is SimControl.Reads: the read receipts the session sent that the
// ledger remembers, oldest first.
func (n *Network) Reads(_ context.Context, sessionID string) ([]wagate.SimRead, error) {
	list := n.ReadReceipts(sessionID)
	out := make([]wagate.SimRead, len(list))
	for i, r := range list {
		out[i] = wagate.SimRead(r)
	}
	return out, nil
}
