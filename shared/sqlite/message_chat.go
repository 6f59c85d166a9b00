package sqlite

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"slices"

	wagate "github.com/wagate/wagate/shared"
)

// upsertChat counts m in its chat, creating the chat on its first message,
// and reports whether it did. The name is taken once, from the push name of
// an inbound message of a person; the last message only moves forward in
// time (ties go to the higher id).
func upsertChat(ctx context.Context, tx querier, m *wagate.Message) (bool, error) {
	name, unread := "", 0
	if !m.FromMe && !m.IsGroup {
		name = m.SenderName
	}
	if isUnread(m) {
		unread = 1
	}
	var total int
	err := tx.QueryRowContext(ctx, `INSERT INTO chats
		(session_id, chat_id, name, is_group, unread_count, total_messages, last_message_id, last_message_at)
		VALUES (?, ?, ?, ?, ?, 1, ?, ?)
		ON CONFLICT (session_id, chat_id) DO UPDATE SET
			name = CASE WHEN chats.name = '' THEN excluded.name ELSE chats.name END,
			is_group = MAX(chats.is_group, excluded.is_group),
			unread_count = chats.unread_count + excluded.unread_count,
			total_messages = chats.total_messages + 1,
			last_message_id = CASE
				WHEN (excluded.last_message_at, excluded.last_message_id) > (chats.last_message_at, chats.last_message_id)
				THEN excluded.last_message_id ELSE chats.last_message_id END,
			last_message_at = MAX(chats.last_message_at, excluded.last_message_at)
		RETURNING total_messages`,
		m.SessionID, m.ChatID, name, m.IsGroup, unread, m.ID, formatTime(m.Timestamp)).Scan(&total)
	if err != nil {
		return false, fmt.Errorf("update chat %q: %w", m.ChatID, err)
	}
	return total == 1, nil
}

// ListChats returns a page of the session's chats, most recent activity
// first, with their last messages, and how many chats the session has.
func (st *MessageStore) ListChats(ctx context.Context, sessionID string, offset, limit int) ([]*wagate.Chat, int, error) {
	chats, lastIDs, err := st.listChats(ctx, sessionID, max(offset, 0), listLimit(limit))
	if err != nil {
		return nil, 0, fmt.Errorf("list chats of session %q: %w", sessionID, err)
	}
	if err := st.attachLastMessages(ctx, chats, lastIDs); err != nil {
		return nil, 0, fmt.Errorf("list chats of session %q: %w", sessionID, err)
	}
	total, err := readCounter(ctx, st.db.rd(), sessionID, dimChats)
	if err != nil {
		return nil, 0, fmt.Errorf("list chats of session %q: %w", sessionID, err)
	}
	return chats, total, nil
}

func (st *MessageStore) listChats(ctx context.Context, sessionID string, offset, limit int) ([]*wagate.Chat, []int64, error) {
	rows, err := st.db.rd().QueryContext(ctx, `SELECT session_id, chat_id, name, is_group, unread_count, total_messages,
		archived, pinned, muted, last_message_id
		FROM chats WHERE session_id = ? ORDER BY last_message_at DESC, chat_id LIMIT ? OFFSET ?`, sessionID, limit, offset)
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	var (
		chats   []*wagate.Chat
		lastIDs []int64
	)
	for rows.Next() {
		var c wagate.Chat
		var lastID int64
		if err := rows.Scan(&c.SessionID, &c.ChatID, &c.Name, &c.IsGroup, &c.UnreadCount, &c.TotalMessages,
			&c.Archived, &c.Pinned, &c.Muted, &lastID); err != nil {
			return nil, nil, fmt.Errorf("scan chat: %w", err)
		}
		chats, lastIDs = append(chats, &c), append(lastIDs, lastID)
	}
	if err := rows.Err(); err != nil {
		return nil, nil, err
	}
	return chats, lastIDs, nil
}

// attachLastMessages sets each chat's LastMessage from its id, in one query.
func (st *MessageStore) attachLastMessages(ctx context.Context, chats []*wagate.Chat, lastIDs []int64) error {
	if len(chats) == 0 {
		return nil
	}
	args := make([]any, len(lastIDs))
	for i, id := range lastIDs {
		args[i] = id
	}
	rows, err := st.db.rd().QueryContext(ctx, `SELECT `+messageColumns+` FROM messages WHERE id IN (`+placeholders(len(args))+`)`, args...)
	if err != nil {
		return fmt.Errorf("last messages: %w", err)
	}
	list, err := scanMessages(rows)
	if err != nil {
		return fmt.Errorf("last messages: %w", err)
	}
	byID := make(map[int64]*wagate.Message, len(list))
	for _, m := range list {
		byID[m.ID] = m
	}
	for i, c := range chats {
		c.LastMessage = byID[lastIDs[i]]
	}
	return nil
}

// MarkChatRead marks the chat's unread messages seen, zeroes its unread
// count and returns those messages, oldest first. A chat with nothing
// unread (or no chat at all) returns none.
func (st *MessageStore) MarkChatRead(ctx context.Context, sessionID, chatID string) ([]*wagate.Message, error) {
	var list []*wagate.Message
	err := st.db.write(ctx, func(tx *sql.Tx) error {
		// The unread terms are literal so the partial index messages_unread_chat applies.
		rows, err := tx.QueryContext(ctx, `UPDATE messages SET seen = 1
			WHERE session_id = ? AND chat_id = ? AND from_me = 0 AND seen = 0 AND history = 0
			RETURNING `+messageColumns, sessionID, chatID)
		if err != nil {
			return err
		}
		if list, err = scanMessages(rows); err != nil || len(list) == 0 {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE chats SET unread_count = 0 WHERE session_id = ? AND chat_id = ?`, sessionID, chatID); err != nil {
			return fmt.Errorf("reset unread count: %w", err)
		}
		return addCounters(ctx, tx, sessionID, -len(list), dimUnread)
	}, nil)
	if err != nil {
		return nil, fmt.Errorf("mark chat %q of session %q read: %w", chatID, sessionID, err)
	}
	slices.SortFunc(list, func(a, b *wagate.Message) int {
		return cmp.Or(a.Timestamp.Compare(b.Timestamp), cmp.Compare(a.ID, b.ID))
	})
	return list, nil
}
