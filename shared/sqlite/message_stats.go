package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	wagate "github.com/wagate/wagate/shared"
)

// Stats counts the session's messages with since ≤ timestamp ≤ until (a zero
// bound is open) in one pass over the session's time index, grouped by type,
// status, direction and UTC day. It reads every message in the range: it is
// meant for dashboards, not for every request.
func (st *MessageStore) Stats(ctx context.Context, sessionID string, since, until time.Time) (*wagate.MessageStats, error) {
	where, args := messageWhere(wagate.MessageFilter{SessionID: sessionID, Since: since, Until: until})
	rows, err := st.db.rd().QueryContext(ctx, `SELECT type, status, from_me, substr(timestamp, 1, 10), COUNT(*)
		FROM messages WHERE `+where+` GROUP BY 1, 2, 3, 4`, args...)
	if err != nil {
		return nil, fmt.Errorf("message stats of session %q: %w", sessionID, err)
	}
	defer rows.Close()
	s := &wagate.MessageStats{
		ByType:   map[wagate.MessageType]int{},
		ByStatus: map[wagate.MessageStatus]int{},
		ByDay:    map[string]int{},
	}
	for rows.Next() {
		var (
			typ, status, day string
			fromMe           bool
			n                int
		)
		if err := rows.Scan(&typ, &status, &fromMe, &day, &n); err != nil {
			return nil, fmt.Errorf("message stats of session %q: %w", sessionID, err)
		}
		s.Total += n
		if fromMe {
			s.Sent += n
		} else {
			s.Received += n
		}
		s.ByType[wagate.MessageType(typ)] += n
		s.ByStatus[wagate.MessageStatus(status)] += n
		s.ByDay[day] += n
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("message stats of session %q: %w", sessionID, err)
	}
	return s, nil
}

// ListUnread returns a page of the unread messages of every session, newest
// first, and how many there are (from the counters).
func (st *MessageStore) ListUnread(ctx context.Context, offset, limit int) ([]*wagate.Message, int, error) {
	// The unread terms are literal so the partial index messages_unread applies.
	rows, err := st.db.rd().QueryContext(ctx, pageByID(`from_me = 0 AND seen = 0 AND history = 0`), listLimit(limit), max(offset, 0))
	if err != nil {
		return nil, 0, fmt.Errorf("list unread messages: %w", err)
	}
	list, err := scanMessages(rows)
	if err != nil {
		return nil, 0, fmt.Errorf("list unread messages: %w", err)
	}
	total, err := sumCounter(ctx, st.db.rd(), dimUnread)
	if err != nil {
		return nil, 0, fmt.Errorf("list unread messages: %w", err)
	}
	return list, total, nil
}

// DeleteSessionMessages removes the session's messages, chats and counters.
func (st *MessageStore) DeleteSessionMessages(ctx context.Context, sessionID string) error {
	err := st.db.write(ctx, func(tx *sql.Tx) error {
		for _, table := range []string{"messages", "chats", "message_counters"} {
			if _, err := tx.ExecContext(ctx, `DELETE FROM `+table+` WHERE session_id = ?`, sessionID); err != nil {
				return fmt.Errorf("delete from %s: %w", table, err)
			}
		}
		return nil
	}, nil)
	if err != nil {
		return fmt.Errorf("delete messages of session %q: %w", sessionID, err)
	}
	return nil
}
