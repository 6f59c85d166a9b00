package sqlite

import (
	"context"
	"database/sql"
)

// preparedTx runs the statements of a write transaction through the DB's
// statement cache (DB.stmt), so hot write paths such as InsertMessage do not
// prepare the same query text again in every transaction.
type preparedTx struct {
	db *DB
	tx *sql.Tx
}

func (p preparedTx) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	return p.db.exec(ctx, p.tx, query, args...)
}

func (p preparedTx) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	return p.db.query(ctx, p.tx, query, args...)
}

func (p preparedTx) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	st, err := p.db.stmt(ctx, p.tx, query)
	if err != nil {
		// A *sql.Row cannot carry err; running the query unprepared reports it.
		return p.tx.QueryRowContext(ctx, query, args...)
	}
	return st.QueryRowContext(ctx, args...)
}
