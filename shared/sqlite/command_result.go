package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	wagate "github.com/wagate/wagate/shared"
)

var _ wagate.CommandResultStore = (*CommandResultStore)(nil)

// CommandResultStore is wagate.CommandResultStore on the command_results table.
type CommandResultStore struct {
	db *DB
}

// NewCommandResultStore returns the command result store of db.
func NewCommandResultStore(db *DB) *CommandResultStore { return &CommandResultStore{db: db} }

const commandResultColumns = `id, session_id, type, status, result, err_code, err_message, created_at, completed_at, expires_at`

// PutCommandResult stores r, never replacing a finished record by a pending
// one. A zero CreatedAt becomes now and a zero ExpiresAt CreatedAt +
// CommandResultTTL.
func (st *CommandResultStore) PutCommandResult(ctx context.Context, r *wagate.CommandResult) error {
	switch {
	case r.ID == "":
		return wagate.Errorf(wagate.EINVALID, "command result: id is required")
	case r.Status != wagate.CommandPending && !r.Status.Finished():
		return wagate.Errorf(wagate.EINVALID, "command result %s: unknown status %q", r.ID, r.Status)
	}
	created := canonicalTime(r.CreatedAt)
	if created.IsZero() {
		created = canonicalTime(time.Now())
	}
	expires := canonicalTime(r.ExpiresAt)
	if expires.IsZero() {
		expires = created.Add(wagate.CommandResultTTL)
	}
	var result any
	if len(r.Result) > 0 {
		result = []byte(r.Result)
	}
	err := st.db.write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO command_results (`+commandResultColumns+`)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (id) DO UPDATE SET
				session_id = excluded.session_id, type = excluded.type, status = excluded.status,
				result = excluded.result, err_code = excluded.err_code, err_message = excluded.err_message,
				completed_at = excluded.completed_at, expires_at = excluded.expires_at
			WHERE excluded.status <> 'pending' OR command_results.status = 'pending'`,
			r.ID, r.SessionID, r.Type, string(r.Status), result, r.ErrCode, r.ErrMessage,
			formatTime(created), nullTime(r.CompletedAt), formatTime(expires))
		return err
	}, nil)
	if err != nil {
		return fmt.Errorf("put command result %q: %w", r.ID, err)
	}
	return nil
}

// GetCommandResult returns the unexpired record of a command.
func (st *CommandResultStore) GetCommandResult(ctx context.Context, id string) (*wagate.CommandResult, error) {
	r, err := scanCommandResult(st.db.sql.QueryRowContext(ctx,
		`SELECT `+commandResultColumns+` FROM command_results WHERE id = ? AND expires_at > ?`, id, formatTime(time.Now())))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, wagate.Errorf(wagate.ENOTFOUND, "Command %s not found (results are kept for %s).", id, wagate.CommandResultTTL)
	} else if err != nil {
		return nil, fmt.Errorf("get command result %q: %w", id, err)
	}
	return r, nil
}

// DeleteExpiredCommandResults removes the records that expired before now.
func (st *CommandResultStore) DeleteExpiredCommandResults(ctx context.Context, now time.Time) (int, error) {
	var n int64
	err := st.db.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM command_results WHERE expires_at < ?`, formatTime(now))
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	}, nil)
	if err != nil {
		return 0, fmt.Errorf("delete expired command results: %w", err)
	}
	return int(n), nil
}

func scanCommandResult(row scanner) (*wagate.CommandResult, error) {
	var (
		r                           wagate.CommandResult
		status                      string
		result                      []byte
		created, completed, expires sql.NullString
	)
	if err := row.Scan(&r.ID, &r.SessionID, &r.Type, &status, &result, &r.ErrCode, &r.ErrMessage, &created, &completed, &expires); err != nil {
		return nil, err
	}
	r.Status = wagate.CommandStatus(status)
	if len(result) > 0 {
		r.Result = result
	}
	var err error
	if r.CreatedAt, err = parseTime(created); err != nil {
		return nil, err
	}
	if r.CompletedAt, err = parseTime(completed); err != nil {
		return nil, err
	}
	if r.ExpiresAt, err = parseTime(expires); err != nil {
		return nil, err
	}
	return &r, nil
}
