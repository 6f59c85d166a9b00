package service

import (
	"context"
	"time"

	"github.com/wagate/wagate/events"
	wagate "github.com/wagate/wagate/shared"
	"github.com/wagate/wagate/shared/ids"
	"github.com/wagate/wagate/shared/jid"
)

// ListMessagesInput filters a session's messages.
type ListMessagesInput struct {
	ChatID      string
	Type        string
	FromMe      *bool
	Since       time.Time
	Until       time.Time
	Page, Limit int
}

// List returns a page of a session's messages, newest first, and the total.
func (s *Messages) List(ctx context.Context, sessionKey string, in ListMessagesInput) ([]*wagate.Message, int, error) {
	sess, err := s.Sessions.FindSession(ctx, sessionKey)
	if err != nil {
		return nil, 0, err
	}
	f := wagate.MessageFilter{SessionID: sess.SessionID, FromMe: in.FromMe, Since: in.Since, Until: in.Until,
		Offset: (in.Page - 1) * in.Limit, Limit: in.Limit}
	if in.ChatID != "" {
		if f.ChatID, err = jid.Normalize(in.ChatID); err != nil {
			return nil, 0, wagate.Errorf(wagate.EINVALID, "chatId is not a WhatsApp chat: %s", wagate.ErrorMessage(err))
		}
	}
	if in.Type != "" {
		f.Type = wagate.MessageType(in.Type)
		if !validListType(f.Type) {
			return nil, 0, wagate.Errorf(wagate.EINVALID, "type must be one of text, image, video, audio, document, location, contact, sticker, reaction.")
		}
	}
	if !in.Since.IsZero() && !in.Until.IsZero() && in.Until.Before(in.Since) {
		return nil, 0, wagate.Errorf(wagate.EINVALID, "endDate must not be before startDate.")
	}
	return s.Store.ListMessages(ctx, f)
}

func validListType(t wagate.MessageType) bool {
	return t.Sendable() || t == wagate.TypeReaction || t == wagate.TypeUnknown
}

// Get returns one message by numeric id or WhatsApp id.
func (s *Messages) Get(ctx context.Context, sessionKey, key string) (*wagate.Message, error) {
	sess, err := s.Sessions.FindSession(ctx, sessionKey)
	if err != nil {
		return nil, err
	}
	return s.Store.FindMessage(ctx, sess.SessionID, key)
}

// Chats returns a page of a session's chats by last activity.
func (s *Messages) Chats(ctx context.Context, sessionKey string, page, limit int) ([]*wagate.Chat, int, error) {
	sess, err := s.Sessions.FindSession(ctx, sessionKey)
	if err != nil {
		return nil, 0, err
	}
	return s.Store.ListChats(ctx, sess.SessionID, (page-1)*limit, limit)
}

// MarkRead marks a chat's inbound messages read and, when the session is
// live, queues the read receipts to WhatsApp. Returns how many were marked.
func (s *Messages) MarkRead(ctx context.Context, sessionKey, chatID string) (int, error) {
	sess, err := s.Sessions.FindSession(ctx, sessionKey)
	if err != nil {
		return 0, err
	}
	chat, err := jid.Normalize(chatID)
	if err != nil {
		return 0, err
	}
	marked, err := s.Store.MarkChatRead(ctx, sess.SessionID, chat)
	if err != nil || len(marked) == 0 {
		return 0, err
	}
	bySender := map[string][]string{}
	var order []string
	for _, m := range marked {
		sender := ""
		if m.IsGroup {
			sender = m.SenderJID
		}
		if _, ok := bySender[sender]; !ok {
			order = append(order, sender)
		}
		bySender[sender] = append(bySender[sender], m.WhatsAppID)
	}
	p := events.ChatReadPayload{ChatID: chat}
	for _, sender := range order {
		p.Receipts = append(p.Receipts, events.ReadReceipt{SenderJID: sender, IDs: bySender[sender]})
	}
	cmd, err := events.NewCommand(ids.New(), events.CmdChatRead, sess.SessionID, s.now(), p)
	if err == nil {
		err = s.Queue.Enqueue(ctx, cmd)
	}
	return len(marked), err
}

// Stats counts a session's messages in a date range.
func (s *Messages) Stats(ctx context.Context, sessionKey string, since, until time.Time) (*wagate.MessageStats, error) {
	sess, err := s.Sessions.FindSession(ctx, sessionKey)
	if err != nil {
		return nil, err
	}
	if !since.IsZero() && !until.IsZero() && until.Before(since) {
		return nil, wagate.Errorf(wagate.EINVALID, "endDate must not be before startDate.")
	}
	return s.Store.Stats(ctx, sess.SessionID, since, until)
}

// Unread returns unread inbound messages of every session.
func (s *Messages) Unread(ctx context.Context, page, limit int) ([]*wagate.Message, int, error) {
	return s.Store.ListUnread(ctx, (page-1)*limit, limit)
}
