package waengine

import (
	"context"
	"errors"
	"fmt"
	"time"

	"go.mau.fi/whatsmeow"
	"go.mau.fi/whatsmeow/proto/waE2E"
	"go.mau.fi/whatsmeow/types"

	wagate "github.com/wagate/wagate/shared"
)

// Send and MarkRead: the I/O of outbound messages. Building the messages is
// in outbound.go.

// Send uploads m's file (media types), sends m as WhatsApp message
// m.WhatsAppID to m.ChatID and returns WhatsApp's server timestamp.
// Returns EINVALID for a message without id, with a bad chat, or lacking
// what its type needs (media bytes, a body, a location, contacts);
// ENOTSUPPORTED for types that cannot be sent; ENOTCONNECTED when the
// client is not live; EWHATSAPP when WhatsApp refuses the upload or the
// message.
func (c *Client) Send(ctx context.Context, m *wagate.Message, media []byte) (time.Time, error) {
	if m == nil || m.WhatsAppID == "" || m.ChatID == "" {
		return time.Time{}, wagate.Errorf(wagate.EINVALID, "A message needs a WhatsApp id and a chat.")
	}
	chat, err := parseChat(m.ChatID)
	if err != nil {
		return time.Time{}, err
	}
	msg, err := buildOutbound(m, media)
	if err != nil {
		return time.Time{}, err
	}
	return c.submit(ctx, chat, m, msg, media)
}

// submit uploads the file of a media message into msg and sends msg to
// chat as WhatsApp message m.WhatsAppID.
func (c *Client) submit(ctx context.Context, chat types.JID, m *wagate.Message, msg *waE2E.Message, media []byte) (time.Time, error) {
	if !c.IsLive() {
		return time.Time{}, c.notConnected()
	}
	if m.Type.HasMedia() {
		up, err := c.wa.Upload(ctx, media, uploadMediaType(m.Type))
		if err != nil {
			return time.Time{}, c.sendError(m, "upload the media of", err)
		}
		attachUpload(msg, up, time.Now().Unix())
	}
	resp, err := c.wa.SendMessage(ctx, chat, msg, whatsmeow.SendRequestExtra{ID: types.MessageID(m.WhatsAppID)})
	if err != nil {
		return time.Time{}, c.sendError(m, "send", err)
	}
	return resp.Timestamp, nil
}

// sendError classifies a failed upload or send: a lost connection is
// ENOTCONNECTED, a cancelled or expired context stays internal, anything
// else is WhatsApp refusing (EWHATSAPP).
func (c *Client) sendError(m *wagate.Message, op string, err error) error {
	var code error
	switch {
	case errors.Is(err, whatsmeow.ErrNotConnected), errors.Is(err, whatsmeow.ErrNotLoggedIn):
		code = c.notConnected()
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return fmt.Errorf("%s message %q of session %q: %w", op, m.WhatsAppID, c.sessionID, err)
	default:
		code = wagate.Errorf(wagate.EWHATSAPP, "WhatsApp did not accept the message (%s): %v", op, err)
	}
	return fmt.Errorf("%s message %q of session %q: %w: %w", op, m.WhatsAppID, c.sessionID, code, err)
}

func (c *Client) notConnected() error {
	return wagate.Errorf(wagate.ENOTCONNECTED, "Session %s is not connected.", c.sessionID)
}

// MarkRead sends read receipts for ids of chatID (senderJID: the author in
// groups). Returns EINVALID for bad JIDs or no ids, ENOTCONNECTED when the
// client is not live.
func (c *Client) MarkRead(ctx context.Context, chatID, senderJID string, ids []string, at time.Time) error {
	if len(ids) == 0 {
		return wagate.Errorf(wagate.EINVALID, "No message ids to mark as read.")
	}
	chat, err := types.ParseJID(chatID)
	if err != nil || chat.User == "" {
		return wagate.Errorf(wagate.EINVALID, "Invalid chat %q.", chatID)
	}
	var sender types.JID
	if senderJID != "" {
		if sender, err = types.ParseJID(senderJID); err != nil {
			return wagate.Errorf(wagate.EINVALID, "Invalid sender %q.", senderJID)
		}
	}
	if !c.IsLive() {
		return c.notConnected()
	}
	msgIDs := make([]types.MessageID, len(ids))
	for i, id := range ids {
		msgIDs[i] = types.MessageID(id)
	}
	if err := c.wa.MarkRead(ctx, msgIDs, at, chat, sender, types.ReceiptTypeRead); err != nil {
		if errors.Is(err, whatsmeow.ErrNotConnected) || errors.Is(err, whatsmeow.ErrNotLoggedIn) {
			err = fmt.Errorf("%w: %w", c.notConnected(), err)
		}
		return fmt.Errorf("mark %d messages read in %s for session %q: %w", len(ids), chatID, c.sessionID, err)
	}
	return nil
}
