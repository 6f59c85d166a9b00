package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	wagate "github.com/wagate/wagate/shared"
)

var _ wagate.SessionStore = (*SessionStore)(nil)

// SessionStore is wagate.SessionStore on the sessions table. Reads are served
// from the DB's write-through cache; writes go to the table first, then to
// the cache. Several SessionStores of one DB share that cache.
type SessionStore struct {
	db *DB
}

// NewSessionStore returns the session store of db.
func NewSessionStore(db *DB) *SessionStore { return &SessionStore{db: db} }

// CreateSession stores s, allocating s.ID, s.CreatedAt and s.UpdatedAt.
func (st *SessionStore) CreateSession(ctx context.Context, s *wagate.Session) error {
	if s.SessionID == "" {
		return wagate.Errorf(wagate.EINVALID, "sessionId is required")
	}
	row := s.Clone()
	now := time.Now()
	row.CreatedAt, row.UpdatedAt = now, now
	canonicalize(row)
	values, err := sessionValues(row)
	if err != nil {
		return fmt.Errorf("create session %q: %w", s.SessionID, err)
	}
	err = st.db.write(ctx, func(tx *sql.Tx) error {
		if _, taken := st.db.sessions.bySessionID(row.SessionID); taken {
			return wagate.Errorf(wagate.ESESSIONEXISTS, "Session %s already exists", row.SessionID)
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO sessions (`+sessionColumns+`) VALUES (NULL, ?, `+placeholders(len(values))+`)`,
			append([]any{row.SessionID}, values...)...)
		if err != nil {
			return err
		}
		row.ID, err = res.LastInsertId()
		return err
	}, func() { st.db.sessions.put(row) })
	if err != nil {
		return fmt.Errorf("create session %q: %w", s.SessionID, err)
	}
	s.ID, s.CreatedAt, s.UpdatedAt = row.ID, row.CreatedAt, row.UpdatedAt
	return nil
}

// FindSession returns the session whose sessionId, or else numeric id, is key.
func (st *SessionStore) FindSession(ctx context.Context, key string) (*wagate.Session, error) {
	if s, ok := st.db.sessions.find(key); ok {
		return s, nil
	}
	return nil, wagate.Errorf(wagate.ENOSESSION, "Session %s not found", key)
}

// ListSessions returns the sessions matching f ordered by numeric id, and
// how many match in all.
func (st *SessionStore) ListSessions(ctx context.Context, f wagate.SessionFilter) ([]*wagate.Session, int, error) {
	list, total := st.db.sessions.list(f)
	return list, total, nil
}

// UpdateSession applies upd to the session with this sessionId.
func (st *SessionStore) UpdateSession(ctx context.Context, sessionID string, upd wagate.SessionUpdate) (*wagate.Session, error) {
	var row *wagate.Session
	err := st.db.write(ctx, func(tx *sql.Tx) error {
		var ok bool
		if row, ok = st.db.sessions.bySessionID(sessionID); !ok {
			return wagate.Errorf(wagate.ENOSESSION, "Session %s not found", sessionID)
		}
		applyUpdate(row, upd)
		row.UpdatedAt = canonicalTime(time.Now())
		values, err := sessionValues(row)
		if err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `UPDATE sessions SET `+sessionSets+` WHERE id = ?`, append(values, row.ID)...)
		if err != nil {
			return err
		}
		return expectOneRow(res, row)
	}, func() { st.db.sessions.put(row.Clone()) })
	if err != nil {
		return nil, fmt.Errorf("update session %q: %w", sessionID, err)
	}
	return row, nil
}

// DeleteSession removes the session with this sessionId.
func (st *SessionStore) DeleteSession(ctx context.Context, sessionID string) error {
	var id int64
	err := st.db.write(ctx, func(tx *sql.Tx) error {
		row, ok := st.db.sessions.bySessionID(sessionID)
		if !ok {
			return wagate.Errorf(wagate.ENOSESSION, "Session %s not found", sessionID)
		}
		id = row.ID
		res, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE id = ?`, id)
		if err != nil {
			return err
		}
		return expectOneRow(res, row)
	}, func() { st.db.sessions.remove(id) })
	if err != nil {
		return fmt.Errorf("delete session %q: %w", sessionID, err)
	}
	return nil
}

// expectOneRow reports a cache that lost track of the table (another writer
// touched the file) instead of silently diverging.
func expectOneRow(res sql.Result, s *wagate.Session) error {
	n, err := res.RowsAffected()
	if err != nil {
		return err
	}
	if n != 1 {
		return fmt.Errorf("session row %d is missing from the table (written by another process?)", s.ID)
	}
	return nil
}

// placeholders returns n comma-separated question marks.
func placeholders(n int) string {
	if n <= 0 {
		return ""
	}
	b := make([]byte, 0, 3*n)
	for i := range n {
		if i > 0 {
			b = append(b, ", "...)
		}
		b = append(b, '?')
	}
	return string(b)
}
