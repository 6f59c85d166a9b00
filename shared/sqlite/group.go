package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	wagate "github.com/wagate/wagate/shared"
)

var _ wagate.GroupStore = (*GroupStore)(nil)

// GroupStore is wagate.GroupStore on the session_groups table; members are
// a JSON array in the group's row.
type GroupStore struct {
	db *DB
}

// NewGroupStore returns the group store of db.
func NewGroupStore(db *DB) *GroupStore { return &GroupStore{db: db} }

const groupColumns = `session_id, jid, subject, description, owner_jid, created_at, announce, locked,
	participants, invite_code, updated_at`

// UpsertGroups stores each group, keeping a stored invite code the group
// does not carry.
func (st *GroupStore) UpsertGroups(ctx context.Context, sessionID string, gs []*wagate.Group) error {
	if err := checkGroups(gs); err != nil {
		return err
	}
	err := st.db.write(ctx, func(tx *sql.Tx) error {
		return writeGroups(ctx, preparedTx{st.db, tx}, sessionID, gs)
	}, nil)
	if err != nil {
		return fmt.Errorf("upsert %d groups of session %q: %w", len(gs), sessionID, err)
	}
	return nil
}

// ReplaceGroups makes gs the session's complete group list.
func (st *GroupStore) ReplaceGroups(ctx context.Context, sessionID string, gs []*wagate.Group) error {
	if err := checkGroups(gs); err != nil {
		return err
	}
	err := st.db.write(ctx, func(tx *sql.Tx) error {
		keep := make(map[string]bool, len(gs))
		for _, g := range gs {
			keep[g.JID] = true
		}
		rows, err := tx.QueryContext(ctx, `SELECT jid FROM session_groups WHERE session_id = ?`, sessionID)
		if err != nil {
			return err
		}
		var drop []string
		for rows.Next() {
			var jid string
			if err := rows.Scan(&jid); err != nil {
				rows.Close()
				return err
			}
			if !keep[jid] {
				drop = append(drop, jid)
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for _, jid := range drop {
			if _, err := tx.ExecContext(ctx, `DELETE FROM session_groups WHERE session_id = ? AND jid = ?`, sessionID, jid); err != nil {
				return err
			}
		}
		return writeGroups(ctx, preparedTx{st.db, tx}, sessionID, gs)
	}, nil)
	if err != nil {
		return fmt.Errorf("replace groups of session %q: %w", sessionID, err)
	}
	return nil
}

func checkGroups(gs []*wagate.Group) error {
	for _, g := range gs {
		if g == nil || g.JID == "" {
			return wagate.Errorf(wagate.EINVALID, "groups: every group needs a JID")
		}
	}
	return nil
}

// writeGroups inserts or replaces the rows of gs; an empty invite code keeps
// the stored one.
func writeGroups(ctx context.Context, q querier, sessionID string, gs []*wagate.Group) error {
	now := formatTime(time.Now())
	for _, g := range gs {
		members := g.Participants
		if members == nil {
			members = []wagate.GroupParticipant{}
		}
		enc, err := encodeDoc("group participants", members)
		if err != nil {
			return err
		}
		_, err = q.ExecContext(ctx, `INSERT INTO session_groups (`+groupColumns+`, sort_key)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (session_id, jid) DO UPDATE SET
				subject = excluded.subject, description = excluded.description, owner_jid = excluded.owner_jid,
				created_at = excluded.created_at, announce = excluded.announce, locked = excluded.locked,
				participants = excluded.participants, updated_at = excluded.updated_at, sort_key = excluded.sort_key,
				invite_code = CASE WHEN excluded.invite_code <> '' THEN excluded.invite_code ELSE session_groups.invite_code END`,
			sessionID, g.JID, g.Subject, g.Description, g.OwnerJID, nullTime(g.CreatedAt), g.Announce, g.Locked,
			enc.String, g.InviteCode, now, strings.ToLower(g.Subject))
		if err != nil {
			return fmt.Errorf("group %q: %w", g.JID, err)
		}
	}
	return nil
}

// FindGroup returns a session's group.
func (st *GroupStore) FindGroup(ctx context.Context, sessionID, jid string) (*wagate.Group, error) {
	g, err := scanGroup(st.db.sql.QueryRowContext(ctx, `SELECT `+groupColumns+` FROM session_groups WHERE session_id = ? AND jid = ?`, sessionID, jid))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, wagate.Errorf(wagate.ENOTFOUND, "Group %s not found.", jid)
	} else if err != nil {
		return nil, fmt.Errorf("find group %q of session %q: %w", jid, sessionID, err)
	}
	return g, nil
}

// ListGroups returns a page of a session's groups by subject, and the total.
func (st *GroupStore) ListGroups(ctx context.Context, sessionID string, offset, limit int) ([]*wagate.Group, int, error) {
	rows, err := st.db.sql.QueryContext(ctx, `SELECT `+groupColumns+` FROM session_groups WHERE session_id = ?
		ORDER BY sort_key, jid LIMIT ? OFFSET ?`, sessionID, listLimit(limit), max(offset, 0))
	if err != nil {
		return nil, 0, fmt.Errorf("list groups of session %q: %w", sessionID, err)
	}
	defer rows.Close()
	var list []*wagate.Group
	for rows.Next() {
		g, err := scanGroup(rows)
		if err != nil {
			return nil, 0, fmt.Errorf("list groups of session %q: %w", sessionID, err)
		}
		list = append(list, g)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, fmt.Errorf("list groups of session %q: %w", sessionID, err)
	}
	var total int
	if err := st.db.sql.QueryRowContext(ctx, `SELECT COUNT(*) FROM session_groups WHERE session_id = ?`, sessionID).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count groups of session %q: %w", sessionID, err)
	}
	return list, total, nil
}

// DeleteGroup removes a session's group.
func (st *GroupStore) DeleteGroup(ctx context.Context, sessionID, jid string) error {
	err := st.db.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM session_groups WHERE session_id = ? AND jid = ?`, sessionID, jid)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			if err == nil {
				err = wagate.Errorf(wagate.ENOTFOUND, "Group %s not found.", jid)
			}
			return err
		}
		return nil
	}, nil)
	if err != nil {
		return fmt.Errorf("delete group %q of session %q: %w", jid, sessionID, err)
	}
	return nil
}

// DeleteSessionGroups removes every group of a session.
func (st *GroupStore) DeleteSessionGroups(ctx context.Context, sessionID string) error {
	err := st.db.write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `DELETE FROM session_groups WHERE session_id = ?`, sessionID)
		return err
	}, nil)
	if err != nil {
		return fmt.Errorf("delete groups of session %q: %w", sessionID, err)
	}
	return nil
}

func scanGroup(row scanner) (*wagate.Group, error) {
	var (
		g                  wagate.Group
		created, updated   sql.NullString
		participants       sql.NullString
		announce, isLocked bool
	)
	err := row.Scan(&g.SessionID, &g.JID, &g.Subject, &g.Description, &g.OwnerJID, &created, &announce, &isLocked,
		&participants, &g.InviteCode, &updated)
	if err != nil {
		return nil, err
	}
	g.Announce, g.Locked = announce, isLocked
	g.Participants = []wagate.GroupParticipant{}
	if err := decodeDoc("group participants", participants, &g.Participants); err != nil {
		return nil, fmt.Errorf("group %q: %w", g.JID, err)
	}
	if g.CreatedAt, err = parseTime(created); err != nil {
		return nil, fmt.Errorf("group %q: %w", g.JID, err)
	}
	if g.UpdatedAt, err = parseTime(updated); err != nil {
		return nil, fmt.Errorf("group %q: %w", g.JID, err)
	}
	return &g, nil
}
