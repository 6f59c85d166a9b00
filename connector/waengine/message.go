package waengine

import (
	"context"
	"fmt"
	"time"

	"go.mau.fi/whatsmeow"
	"go.mau.fi/whatsmeow/proto/waE2E"
	"go.mau.fi/whatsmeow/types"
	"google.golang.org/protobuf/proto"

	wagate "github.com/wagate/wagate/shared"
)

// Messages, provisional: the engine port gained Send and MarkRead while the
// session part of this adapter was written. Text messages and read
// receipts work; the other message types wait for the messages issue
// (media upload, locations, contacts, stickers, replies, inbound events).

// Send sends a text message as m.WhatsAppID and returns WhatsApp's server
// timestamp. Returns EINVALID for a message without id, chat or a valid
// chat JID, ENOTSUPPORTED for other types (for now), ENOTCONNECTED when the
// client is not live.
func (c *Client) Send(ctx context.Context, m *wagate.Message, media []byte) (time.Time, error) {
	if m == nil || m.WhatsAppID == "" || m.ChatID == "" {
		return time.Time{}, wagate.Errorf(wagate.EINVALID, "A message needs a WhatsApp id and a chat.")
	}
	if m.Type != wagate.TypeText {
		return time.Time{}, wagate.Errorf(wagate.ENOTSUPPORTED, "Sending %s messages is not supported yet.", m.Type)
	}
	chat, err := types.ParseJID(m.ChatID)
	if err != nil || chat.User == "" {
		return time.Time{}, wagate.Errorf(wagate.EINVALID, "Invalid chat %q.", m.ChatID)
	}
	if !c.IsLive() {
		return time.Time{}, wagate.Errorf(wagate.ENOTCONNECTED, "Session %s is not connected.", c.sessionID)
	}
	resp, err := c.wa.SendMessage(ctx, chat, &waE2E.Message{Conversation: proto.String(m.Body)},
		whatsmeow.SendRequestExtra{ID: types.MessageID(m.WhatsAppID)})
	if err != nil {
		return time.Time{}, fmt.Errorf("send message %q of session %q: %w", m.WhatsAppID, c.sessionID, err)
	}
	return resp.Timestamp, nil
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
		return wagate.Errorf(wagate.ENOTCONNECTED, "Session %s is not connected.", c.sessionID)
	}
	msgIDs := make([]types.MessageID, len(ids))
	for i, id := range ids {
		msgIDs[i] = types.MessageID(id)
	}
	if err := c.wa.MarkRead(ctx, msgIDs, at, chat, sender); err != nil {
		return fmt.Errorf("mark %d messages read in %s for session %q: %w", len(ids), chatID, c.sessionID, err)
	}
	return nil
}
