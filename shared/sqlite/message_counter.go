package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	wagate "github.com/wagate/wagate/shared"
)

// Dimensions of message_counters. Per-chat counts are chats.total_messages.
const (
	dimAll    = "all"    // every message of the session
	dimUnread = "unread" // inbound, not seen, not history
	dimChats  = "chats"  // chats of the session
)

func dimType(t wagate.MessageType) string { return "type:" + string(t) }

func dimFromMe(fromMe bool) string {
	if fromMe {
		return "fromMe:1"
	}
	return "fromMe:0"
}

// isUnread reports whether m counts as unread.
func isUnread(m *wagate.Message) bool { return !m.FromMe && !m.Seen && !m.History }

// countInsert keeps the chat and the counters of m's session current after
// m was inserted.
func countInsert(ctx context.Context, tx querier, m *wagate.Message) error {
	newChat, err := upsertChat(ctx, tx, m)
	if err != nil {
		return err
	}
	dims := []string{dimAll, dimType(m.Type), dimFromMe(m.FromMe)}
	if isUnread(m) {
		dims = append(dims, dimUnread)
	}
	if newChat {
		dims = append(dims, dimChats)
	}
	return addCounters(ctx, tx, m.SessionID, 1, dims...)
}

// addCounters adds delta to each dimension of the session.
func addCounters(ctx context.Context, tx querier, sessionID string, delta int, dims ...string) error {
	if len(dims) == 0 || delta == 0 {
		return nil
	}
	args := make([]any, 0, 3*len(dims))
	for _, d := range dims {
		args = append(args, sessionID, d, delta)
	}
	values := strings.TrimSuffix(strings.Repeat("(?, ?, ?), ", len(dims)), ", ")
	_, err := tx.ExecContext(ctx, `INSERT INTO message_counters (session_id, dimension, count) VALUES `+values+`
		ON CONFLICT (session_id, dimension) DO UPDATE SET count = count + excluded.count`, args...)
	if err != nil {
		return fmt.Errorf("update counters: %w", err)
	}
	return nil
}

// readCounter returns one counter of a session; a missing one is 0.
func readCounter(ctx context.Context, q querier, sessionID, dim string) (int, error) {
	var n int
	err := q.QueryRowContext(ctx, `SELECT count FROM message_counters WHERE session_id = ? AND dimension = ?`, sessionID, dim).Scan(&n)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("read counter %q: %w", dim, err)
	}
	return n, nil
}

// sumCounter returns the sum of a dimension over every session. The table
// holds a handful of rows per session, so this stays cheap.
func sumCounter(ctx context.Context, q querier, dim string) (int, error) {
	var n int
	if err := q.QueryRowContext(ctx, `SELECT COALESCE(SUM(count), 0) FROM message_counters WHERE dimension = ?`, dim).Scan(&n); err != nil {
		return 0, fmt.Errorf("sum counter %q: %w", dim, err)
	}
	return n, nil
}
