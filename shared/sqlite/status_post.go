package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	wagate "github.com/wagate/wagate/shared"
)

var _ wagate.StatusStore = (*StatusStore)(nil)

// StatusStore is wagate.StatusStore on the statuses table.
type StatusStore struct {
	db *DB
}

// NewStatusStore returns the status store of db.
func NewStatusStore(db *DB) *StatusStore { return &StatusStore{db: db} }

const statusColumns = `id, session_id, whatsapp_id, sender_jid, sender_lid, sender_name,
	from_me, type, body, media, timestamp, expires_at, viewed`

// InsertStatus stores a copy of p unless the session has a status with its
// WhatsApp id, and returns the stored one with whether it was created now.
// A zero Timestamp becomes now; a zero ExpiresAt, Timestamp + StatusTTL.
func (st *StatusStore) InsertStatus(ctx context.Context, p *wagate.StatusPost) (*wagate.StatusPost, bool, error) {
	if p.SessionID == "" || p.WhatsAppID == "" {
		return nil, false, wagate.Errorf(wagate.EINVALID, "sessionId and WhatsApp id are required")
	}
	row := *p
	if p.Media != nil {
		media := *p.Media
		row.Media = &media
	}
	row.Timestamp = canonicalTime(row.Timestamp)
	if row.Timestamp.IsZero() {
		row.Timestamp = canonicalTime(time.Now())
	}
	row.ExpiresAt = canonicalTime(row.ExpiresAt)
	if row.ExpiresAt.IsZero() {
		row.ExpiresAt = row.Timestamp.Add(wagate.StatusTTL)
	}
	media, err := encodeMedia(row.Media)
	if err != nil {
		return nil, false, fmt.Errorf("insert status %q: %w", p.WhatsAppID, err)
	}
	var (
		stored  *wagate.StatusPost
		created bool
	)
	err = st.db.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `INSERT INTO statuses (`+statusColumns+`)
			VALUES (NULL, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (session_id, whatsapp_id) DO NOTHING`,
			row.SessionID, row.WhatsAppID, row.SenderJID, row.SenderLID, row.SenderName,
			row.FromMe, string(row.Type), row.Body, media, formatTime(row.Timestamp), formatTime(row.ExpiresAt), row.Viewed)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			if err == nil {
				stored, err = findStatus(ctx, tx, `session_id = ? AND whatsapp_id = ?`, row.SessionID, row.WhatsAppID)
			}
			return err
		}
		row.ID, err = res.LastInsertId()
		stored, created = &row, true
		return err
	}, nil)
	if err != nil {
		return nil, false, fmt.Errorf("insert status %q of session %q: %w", p.WhatsAppID, p.SessionID, err)
	}
	return stored, created, nil
}

// ListStatuses returns a page of the session's statuses, newest first, and
// how many there are; activeOnly keeps those expiring after now. Statuses
// live a day and expired ones are deleted, so counting them stays cheap.
func (st *StatusStore) ListStatuses(ctx context.Context, sessionID string, activeOnly bool, now time.Time, offset, limit int) ([]*wagate.StatusPost, int, error) {
	where, args := `session_id = ?`, []any{sessionID}
	if activeOnly {
		where, args = where+` AND expires_at > ?`, append(args, formatTime(now))
	}
	rows, err := st.db.rd().QueryContext(ctx, `SELECT `+statusColumns+` FROM statuses WHERE `+where+newestFirst+` LIMIT ? OFFSET ?`,
		append(args, listLimit(limit), max(offset, 0))...)
	if err != nil {
		return nil, 0, fmt.Errorf("list statuses of session %q: %w", sessionID, err)
	}
	defer rows.Close()
	var list []*wagate.StatusPost
	for rows.Next() {
		p, err := scanStatus(rows)
		if err != nil {
			return nil, 0, fmt.Errorf("list statuses of session %q: %w", sessionID, err)
		}
		list = append(list, p)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, fmt.Errorf("list statuses of session %q: %w", sessionID, err)
	}
	var total int
	if err := st.db.rd().QueryRowContext(ctx, `SELECT COUNT(*) FROM statuses WHERE `+where, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count statuses of session %q: %w", sessionID, err)
	}
	return list, total, nil
}

// FindStatus returns the session's status whose WhatsApp id, or else numeric
// id, is key.
func (st *StatusStore) FindStatus(ctx context.Context, sessionID, key string) (*wagate.StatusPost, error) {
	p, err := findByKey(ctx, st.db.rd(), sessionID, key, findStatus)
	if err != nil {
		return nil, fmt.Errorf("find status %q of session %q: %w", key, sessionID, err)
	}
	if p == nil {
		return nil, wagate.Errorf(wagate.ENOTFOUND, "Status %s not found", key)
	}
	return p, nil
}

// MarkStatusViewed records that the session viewed the status. Returns
// ENOTFOUND when the session has no status with this WhatsApp id.
func (st *StatusStore) MarkStatusViewed(ctx context.Context, sessionID, whatsAppID string) error {
	err := st.db.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE statuses SET viewed = 1 WHERE session_id = ? AND whatsapp_id = ?`, sessionID, whatsAppID)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			if err == nil {
				err = wagate.Errorf(wagate.ENOTFOUND, "Status %s not found", whatsAppID)
			}
			return err
		}
		return nil
	}, nil)
	if err != nil {
		return fmt.Errorf("mark status %q of session %q viewed: %w", whatsAppID, sessionID, err)
	}
	return nil
}

// DeleteExpiredStatuses removes the statuses that expired before now and
// returns how many.
func (st *StatusStore) DeleteExpiredStatuses(ctx context.Context, now time.Time) (int, error) {
	var n int64
	err := st.db.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM statuses WHERE expires_at < ?`, formatTime(now))
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	}, nil)
	if err != nil {
		return 0, fmt.Errorf("delete expired statuses: %w", err)
	}
	return int(n), nil
}

// DeleteStatus removes the session's status with this WhatsApp id. Returns
// ENOTFOUND when there is none.
func (st *StatusStore) DeleteStatus(ctx context.Context, sessionID, whatsAppID string) error {
	err := st.db.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM statuses WHERE session_id = ? AND whatsapp_id = ?`, sessionID, whatsAppID)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			if err == nil {
				err = wagate.Errorf(wagate.ENOTFOUND, "Status %s not found", whatsAppID)
			}
			return err
		}
		return nil
	}, nil)
	if err != nil {
		return fmt.Errorf("delete status %q of session %q: %w", whatsAppID, sessionID, err)
	}
	return nil
}

// findStatus returns the status matching where, or nil.
func findStatus(ctx context.Context, q querier, where string, args ...any) (*wagate.StatusPost, error) {
	p, err := scanStatus(q.QueryRowContext(ctx, `SELECT `+statusColumns+` FROM statuses WHERE `+where, args...))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	return p, err
}

// scanStatus reads one row selected with statusColumns.
func scanStatus(row scanner) (*wagate.StatusPost, error) {
	var (
		p                    wagate.StatusPost
		typ                  string
		media, ts, expiresAt sql.NullString
	)
	err := row.Scan(&p.ID, &p.SessionID, &p.WhatsAppID, &p.SenderJID, &p.SenderLID, &p.SenderName,
		&p.FromMe, &typ, &p.Body, &media, &ts, &expiresAt, &p.Viewed)
	if err != nil {
		return nil, err
	}
	p.Type = wagate.MessageType(typ)
	if p.Media, err = decodeMedia(media); err != nil {
		return nil, fmt.Errorf("status %d: %w", p.ID, err)
	}
	if p.Timestamp, err = parseTime(ts); err != nil {
		return nil, fmt.Errorf("status %d: %w", p.ID, err)
	}
	if p.ExpiresAt, err = parseTime(expiresAt); err != nil {
		return nil, fmt.Errorf("status %d: %w", p.ID, err)
	}
	return &p, nil
}
