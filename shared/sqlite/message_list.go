package sqlite

import (
	"context"
	"fmt"
	"strings"

	wagate "github.com/wagate/wagate/shared"
)

const (
	// defaultListLimit is the page size of a list call with no limit.
	defaultListLimit = 50
	// maxListLimit caps the page size of a list call.
	maxListLimit = 1000
	// maxCountedTotal caps the totals that have to be counted: a filter no
	// counter answers counts at most this many rows.
	maxCountedTotal = 10_000
)

// listLimit turns a requested page size into the one used.
func listLimit(limit int) int {
	if limit <= 0 {
		return defaultListLimit
	}
	return min(limit, maxListLimit)
}

// newestFirst is the order of every message list; the indexes of migration
// 0004 hold rows in exactly this order.
const newestFirst = ` ORDER BY timestamp DESC, id DESC`

// pageByID selects a page of messages in two steps: the inner query walks
// only the index (every filter column is in one, and id is the rowid) to
// skip offset rows cheaply, the outer one reads the full rows of the page.
func pageByID(where string) string {
	return `SELECT ` + messageColumns + ` FROM messages WHERE id IN (SELECT id FROM messages WHERE ` + where +
		newestFirst + ` LIMIT ? OFFSET ?)` + newestFirst
}

// ListMessages returns a page of the messages matching f, newest first, and
// the total that match.
//
// The total is read from a counter when f has no date range and at most one
// of ChatID, Type and FromMe. Otherwise (combined filters or a date range)
// it is a bounded count: at most maxCountedTotal (10,000) matching rows are
// counted, so such a total is capped there — it is never below the rows the
// page itself proves exist (offset + page length).
func (st *MessageStore) ListMessages(ctx context.Context, f wagate.MessageFilter) ([]*wagate.Message, int, error) {
	where, args := messageWhere(f)
	offset, limit := max(f.Offset, 0), listLimit(f.Limit)
	rows, err := st.db.rd().QueryContext(ctx, pageByID(where), append(args, limit, offset)...)
	if err != nil {
		return nil, 0, fmt.Errorf("list messages of session %q: %w", f.SessionID, err)
	}
	list, err := scanMessages(rows)
	if err != nil {
		return nil, 0, fmt.Errorf("list messages of session %q: %w", f.SessionID, err)
	}
	total, err := st.messageTotal(ctx, f, where, args)
	if err != nil {
		return nil, 0, fmt.Errorf("count messages of session %q: %w", f.SessionID, err)
	}
	if len(list) > 0 {
		total = max(total, offset+len(list))
	}
	return list, total, nil
}

// messageWhere returns the WHERE clause of f and its arguments.
//
// Only the most selective equality of f (chat, else type, else fromMe)
// may pick the index; the others are written as +column, which keeps
// SQLite from choosing their less selective index and makes it read them
// from the trailing columns of the chosen one (migration 0004). Without
// this, chat+fromMe could walk half the session through the fromMe index.
func messageWhere(f wagate.MessageFilter) (string, []any) {
	terms, args := []string{"session_id = ?"}, []any{f.SessionID}
	equal := func(column string, value any) {
		if len(args) > 1 {
			column = "+" + column
		}
		terms, args = append(terms, column+" = ?"), append(args, value)
	}
	if f.ChatID != "" {
		equal("chat_id", f.ChatID)
	}
	if f.Type != "" {
		equal("type", string(f.Type))
	}
	if f.FromMe != nil {
		equal("from_me", *f.FromMe)
	}
	if !f.Since.IsZero() {
		terms, args = append(terms, "timestamp >= ?"), append(args, formatTime(f.Since))
	}
	if !f.Until.IsZero() {
		terms, args = append(terms, "timestamp <= ?"), append(args, formatTime(f.Until))
	}
	return strings.Join(terms, " AND "), args
}

// messageTotal returns how many messages match f: from a counter when one
// answers, else a count bounded by maxCountedTotal.
func (st *MessageStore) messageTotal(ctx context.Context, f wagate.MessageFilter, where string, args []any) (int, error) {
	if f.Since.IsZero() && f.Until.IsZero() {
		switch {
		case f.ChatID == "" && f.Type == "" && f.FromMe == nil:
			return readCounter(ctx, st.db.rd(), f.SessionID, dimAll)
		case f.ChatID != "" && f.Type == "" && f.FromMe == nil:
			return st.chatTotal(ctx, f.SessionID, f.ChatID)
		case f.ChatID == "" && f.Type != "" && f.FromMe == nil:
			return readCounter(ctx, st.db.rd(), f.SessionID, dimType(f.Type))
		case f.ChatID == "" && f.Type == "" && f.FromMe != nil:
			return readCounter(ctx, st.db.rd(), f.SessionID, dimFromMe(*f.FromMe))
		}
	}
	var n int
	err := st.db.rd().QueryRowContext(ctx, `SELECT COUNT(*) FROM (SELECT 1 FROM messages WHERE `+where+` LIMIT ?)`,
		append(args, maxCountedTotal)...).Scan(&n)
	return n, err
}

// chatTotal returns the number of messages of a chat (0 for no chat).
func (st *MessageStore) chatTotal(ctx context.Context, sessionID, chatID string) (int, error) {
	var n int
	err := st.db.rd().QueryRowContext(ctx, `SELECT COALESCE(MAX(total_messages), 0) FROM chats WHERE session_id = ? AND chat_id = ?`,
		sessionID, chatID).Scan(&n)
	return n, err
}
