package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"time"

	wagate "github.com/wagate/wagate/shared"
)

var _ wagate.MessageStore = (*MessageStore)(nil)

// MessageStore is wagate.MessageStore on the messages, chats and
// message_counters tables. InsertMessage and MarkChatRead keep the chats and
// counters current in the same transaction as the messages they count, so
// totals are read, never counted (see ListMessages for the one exception).
//
// A message is unread while it is inbound, not seen and not from history
// sync; the partial indexes of migration 0004 hold exactly those rows.
type MessageStore struct {
	db      *DB
	watches watches
}

// NewMessageStore returns the message store of db.
func NewMessageStore(db *DB) *MessageStore { return &MessageStore{db: db} }

// querier is *sql.DB, *sql.Tx or preparedTx.
type querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// InsertMessage stores a copy of m unless the session already has a message
// with its WhatsAppID or (when set) its IdempotencyKey, and returns the
// stored message and whether it was created now. The store allocates ID and
// CreatedAt; a zero Timestamp becomes CreatedAt and an empty Type "unknown".
func (st *MessageStore) InsertMessage(ctx context.Context, m *wagate.Message) (*wagate.Message, bool, error) {
	if m.SessionID == "" || m.WhatsAppID == "" || m.ChatID == "" {
		return nil, false, wagate.Errorf(wagate.EINVALID, "sessionId, WhatsApp message id and chatId are required")
	}
	row := canonicalMessage(m.Clone())
	row.ID, row.CreatedAt = 0, canonicalTime(time.Now())
	if row.Timestamp.IsZero() {
		row.Timestamp = row.CreatedAt
	}
	if row.Type == "" {
		row.Type = wagate.TypeUnknown
	}
	values, err := messageValues(row)
	if err != nil {
		return nil, false, fmt.Errorf("insert message %q: %w", m.WhatsAppID, err)
	}
	var (
		stored  *wagate.Message
		created bool
	)
	err = st.db.write(ctx, func(tx *sql.Tx) error {
		ptx := preparedTx{st.db, tx}
		existing, err := findExisting(ctx, ptx, row)
		if err != nil || existing != nil {
			stored = existing
			return err
		}
		res, err := ptx.ExecContext(ctx, `INSERT INTO messages (`+messageColumns+`) VALUES (NULL, `+placeholders(len(values))+`)`, values...)
		if err != nil {
			return err
		}
		if row.ID, err = res.LastInsertId(); err != nil {
			return err
		}
		stored, created = row, true
		return countInsert(ctx, ptx, row)
	}, nil)
	if err != nil {
		return nil, false, fmt.Errorf("insert message %q of session %q: %w", m.WhatsAppID, m.SessionID, err)
	}
	return stored, created, nil
}

// findExisting returns the session's message with m's WhatsApp id or
// idempotency key, or nil.
func findExisting(ctx context.Context, q querier, m *wagate.Message) (*wagate.Message, error) {
	found, err := findOne(ctx, q, `session_id = ? AND whatsapp_id = ?`, m.SessionID, m.WhatsAppID)
	if found != nil || err != nil || m.IdempotencyKey == "" {
		return found, err
	}
	return findOne(ctx, q, `session_id = ? AND idempotency_key = ? AND idempotency_key <> ''`, m.SessionID, m.IdempotencyKey)
}

// findOne returns the message matching where, or nil.
func findOne(ctx context.Context, q querier, where string, args ...any) (*wagate.Message, error) {
	m, err := scanMessage(q.QueryRowContext(ctx, `SELECT `+messageColumns+` FROM messages WHERE `+where, args...))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("find message: %w", err)
	}
	return m, nil
}

// findByKey finds the session's row whose WhatsApp id, or else numeric id,
// is key (the rule for every {id} naming a message or a status), with find
// reading one row by a WHERE clause. Nil, nil when there is none.
func findByKey[T any](ctx context.Context, q querier, sessionID, key string,
	find func(ctx context.Context, q querier, where string, args ...any) (*T, error)) (*T, error) {
	v, err := find(ctx, q, `session_id = ? AND whatsapp_id = ?`, sessionID, key)
	if v == nil && err == nil {
		if id, perr := strconv.ParseInt(key, 10, 64); perr == nil && id > 0 {
			v, err = find(ctx, q, `id = ? AND session_id = ?`, id, sessionID)
		}
	}
	return v, err
}

// FindMessage returns the session's message whose WhatsApp id, or else
// numeric id, is key.
func (st *MessageStore) FindMessage(ctx context.Context, sessionID, key string) (*wagate.Message, error) {
	m, err := findByKey(ctx, st.db.rd(), sessionID, key, findOne)
	if err != nil {
		return nil, fmt.Errorf("find message %q of session %q: %w", key, sessionID, err)
	}
	if m == nil {
		return nil, wagate.Errorf(wagate.ENOTFOUND, "Message %s not found", key)
	}
	return m, nil
}

// FindByIdempotencyKey returns the session's message sent with key.
func (st *MessageStore) FindByIdempotencyKey(ctx context.Context, sessionID, key string) (*wagate.Message, error) {
	var m *wagate.Message
	var err error
	if key != "" {
		m, err = findOne(ctx, st.db.rd(), `session_id = ? AND idempotency_key = ? AND idempotency_key <> ''`, sessionID, key)
	}
	if err != nil {
		return nil, fmt.Errorf("find message with idempotency key %q of session %q: %w", key, sessionID, err)
	}
	if m == nil {
		return nil, wagate.Errorf(wagate.ENOTFOUND, "No message with idempotency key %s", key)
	}
	return m, nil
}

// UpdateMessage applies upd to the session's message with this WhatsApp id
// in one read-modify-write transaction, and returns the message with whether
// anything changed. A status that does not advance is ignored.
func (st *MessageStore) UpdateMessage(ctx context.Context, sessionID, whatsAppID string, upd wagate.MessageUpdate) (*wagate.Message, bool, error) {
	var (
		m       *wagate.Message
		changed bool
	)
	err := st.db.write(ctx, func(tx *sql.Tx) error {
		ptx := preparedTx{st.db, tx}
		var err error
		if m, err = findOne(ctx, ptx, `session_id = ? AND whatsapp_id = ?`, sessionID, whatsAppID); err != nil {
			return err
		}
		if m == nil {
			return wagate.Errorf(wagate.ENOTFOUND, "Message %s not found", whatsAppID)
		}
		if changed = applyMessageUpdate(m, upd, time.Now()); !changed {
			return nil
		}
		values, err := messageSetValues(m)
		if err != nil {
			return err
		}
		_, err = ptx.ExecContext(ctx, `UPDATE messages SET `+messageSets+` WHERE id = ?`, append(values, m.ID)...)
		return err
	}, func() {
		if changed {
			st.watches.notify(sessionID + "\x00" + whatsAppID)
		}
	})
	if err != nil {
		return nil, false, fmt.Errorf("update message %q of session %q: %w", whatsAppID, sessionID, err)
	}
	return m, changed, nil
}

// canonicalMessage makes m's times what they read back as.
func canonicalMessage(m *wagate.Message) *wagate.Message {
	for _, t := range []*time.Time{&m.Timestamp, &m.CreatedAt, &m.SentAt, &m.DeliveredAt, &m.ReadAt, &m.PlayedAt} {
		*t = canonicalTime(*t)
	}
	return m
}
