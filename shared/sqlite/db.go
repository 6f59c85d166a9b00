// Package sqlite implements wagate ports on one SQLite file with the pure-Go
// driver modernc.org/sqlite: sessions, the command queue and the event outbox.
// whatsmeow's sqlstore shares the same *sql.DB (see DB.SQL).
//
// The process that opens the file is assumed to be its only writer (the local
// runtime is a single binary). Two things follow: the DB keeps a write-through
// cache of sessions, loaded at open, so reads cost no query; and opening the
// file releases the command deliveries and outbox leases a previous process
// left behind, so they are handed out again at once instead of after their
// timeouts. Open each file once per process and share the *DB.
package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"time"

	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

const (
	// dsnParams: foreign keys (required by whatsmeow's sqlstore), WAL so
	// readers never wait for the writer, a busy timeout for the writers we do
	// not serialise ourselves (sqlstore), and BEGIN IMMEDIATE so a
	// transaction takes the write lock up front instead of failing with
	// SQLITE_BUSY when it upgrades (sqlstore needs it with several sessions).
	dsnParams = "_pragma=foreign_keys(1)&_pragma=journal_mode(WAL)&_pragma=busy_timeout(10000)&_pragma=synchronous(NORMAL)&_txlock=immediate"

	// maxIdleConns keeps a few connections open: opening one re-runs the
	// pragmas above.
	maxIdleConns = 32 // readers in parallel without reopening connections
	// maxOpenConns caps connections so an overload queues requests instead
	// of opening hundreds of connections.
	maxOpenConns = 64

	// recheckInterval bounds how long a waiting Receive or Claim sleeps
	// without looking at its table, as a safety net behind the in-process
	// wake-ups and the computed next-visible times. Every change that makes
	// a row visible is one of those (this process is the file's only
	// writer), so the net only guards against a missed wake-up and can be
	// wide: an idle runtime then allocates next to nothing, so its heap never
	// reaches the collector's first goal and its resident memory stays flat
	// (docs/benchmarks.md, "Idle memory").
	recheckInterval = time.Hour
)

// ErrClosed is returned by calls waiting on a DB that was closed.
var ErrClosed = errors.New("sqlite: database closed")

// DB is an open SQLite database file shared by the adapters of this package.
type DB struct {
	sql  *sql.DB
	path string

	// writeLock serialises the writes of this package (a channel so waiting
	// honours ctx). SQLite allows one writer at a time anyway; queueing in Go
	// avoids the busy handler's sleeps.
	writeLock chan struct{}

	sessions       *sessionCache
	commandsWakeup *wakeup
	outboxWakeup   *wakeup

	stmtMu sync.Mutex
	stmts  map[string]*sql.Stmt // prepared once per query text

	closed    chan struct{}
	closeOnce sync.Once
}

// Open opens (creating if needed) the database file at path, applies the
// pending migrations and loads the session cache.
func Open(ctx context.Context, path string) (*DB, error) {
	if path == "" {
		return nil, errors.New("open database: empty path")
	}
	sdb, err := sql.Open("sqlite", "file:"+uriPath(path)+"?"+dsnParams)
	if err != nil {
		return nil, fmt.Errorf("open database %q: %w", path, err)
	}
	sdb.SetMaxIdleConns(maxIdleConns)
	sdb.SetMaxOpenConns(maxOpenConns)
	db := &DB{
		sql:            sdb,
		path:           path,
		writeLock:      make(chan struct{}, 1),
		sessions:       newSessionCache(),
		commandsWakeup: newWakeup(),
		outboxWakeup:   newWakeup(),
		stmts:          map[string]*sql.Stmt{},
		closed:         make(chan struct{}),
	}
	if err := db.start(ctx); err != nil {
		_ = sdb.Close()
		return nil, fmt.Errorf("open database %q: %w", path, err)
	}
	return db, nil
}

// start migrates the schema and releases what a previous run left in
// flight, in one write transaction, then loads the session cache.
func (db *DB) start(ctx context.Context) error {
	err := db.write(ctx, func(tx *sql.Tx) error {
		if err := migrate(ctx, tx); err != nil {
			return err
		}
		return releaseDeliveries(ctx, tx)
	}, nil)
	if err != nil {
		return err
	}
	return db.sessions.load(ctx, db.sql)
}

// uriPath escapes the characters that end or escape the path of an SQLite
// URI filename.
func uriPath(path string) string {
	return strings.NewReplacer("%", "%25", "?", "%3f", "#", "%23").Replace(filepath.Clean(path))
}

// SQL returns the underlying pool, for whatsmeow's sqlstore.
func (db *DB) SQL() *sql.DB { return db.sql }

// Path returns the file name the DB was opened with.
func (db *DB) Path() string { return db.path }

// Close wakes every waiting Receive and Claim (they return ErrClosed) and
// closes the pool.
func (db *DB) Close() error {
	db.closeOnce.Do(func() { close(db.closed) })
	db.stmtMu.Lock()
	for _, st := range db.stmts {
		_ = st.Close()
	}
	clear(db.stmts)
	db.stmtMu.Unlock()
	if err := db.sql.Close(); err != nil {
		return fmt.Errorf("close database %q: %w", db.path, err)
	}
	return nil
}

// write runs fn in a write transaction, one at a time. committed, if not
// nil, runs after a successful commit while the write lock is still held, so
// in-memory state follows the database in commit order.
func (db *DB) write(ctx context.Context, fn func(tx *sql.Tx) error, committed func()) error {
	select {
	case db.writeLock <- struct{}{}:
	case <-ctx.Done():
		return ctx.Err()
	case <-db.closed:
		return ErrClosed
	}
	defer func() { <-db.writeLock }()

	tx, err := db.sql.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	if err := fn(tx); err != nil {
		_ = tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	if committed != nil {
		committed()
	}
	return nil
}

// stmt returns query prepared for tx; the preparation is kept for the next
// transactions on the same connection.
func (db *DB) stmt(ctx context.Context, tx *sql.Tx, query string) (*sql.Stmt, error) {
	st, err := db.prepared(ctx, query)
	if err != nil {
		return nil, err
	}
	return tx.StmtContext(ctx, st), nil
}

// prepared returns the cached prepared statement of query, preparing it
// the first time.
func (db *DB) prepared(ctx context.Context, query string) (*sql.Stmt, error) {
	db.stmtMu.Lock()
	defer db.stmtMu.Unlock()
	st, ok := db.stmts[query]
	if !ok {
		var err error
		if st, err = db.sql.PrepareContext(ctx, query); err != nil {
			return nil, fmt.Errorf("prepare: %w", err)
		}
		db.stmts[query] = st
	}
	return st, nil
}

// reader runs queries outside transactions through the statement cache, so
// hot read paths (message lookups, lists) never prepare the same text twice.
type reader struct{ db *DB }

func (r reader) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	st, err := r.db.prepared(ctx, query)
	if err != nil {
		return nil, err
	}
	return st.QueryContext(ctx, args...)
}

func (r reader) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	st, err := r.db.prepared(ctx, query)
	if err != nil {
		return r.db.sql.QueryRowContext(ctx, query, args...) // reports err through Scan
	}
	return st.QueryRowContext(ctx, args...)
}

func (r reader) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	st, err := r.db.prepared(ctx, query)
	if err != nil {
		return nil, err
	}
	return st.ExecContext(ctx, args...)
}

// rd is the DB's prepared-statement reader.
func (db *DB) rd() reader { return reader{db} }

// exec runs a prepared query in tx.
func (db *DB) exec(ctx context.Context, tx *sql.Tx, query string, args ...any) (sql.Result, error) {
	st, err := db.stmt(ctx, tx, query)
	if err != nil {
		return nil, err
	}
	return st.ExecContext(ctx, args...)
}

// query runs a prepared query in tx.
func (db *DB) query(ctx context.Context, tx *sql.Tx, query string, args ...any) (*sql.Rows, error) {
	st, err := db.stmt(ctx, tx, query)
	if err != nil {
		return nil, err
	}
	return st.QueryContext(ctx, args...)
}

// nextVisible runs query, which selects the smallest visible_at (unix ms)
// after its one argument, now, and returns that instant (zero if none).
func (db *DB) nextVisible(ctx context.Context, tx *sql.Tx, query string, now time.Time) (time.Time, error) {
	st, err := db.stmt(ctx, tx, query)
	if err != nil {
		return time.Time{}, err
	}
	var ms sql.NullInt64
	if err := st.QueryRowContext(ctx, now.UnixMilli()).Scan(&ms); err != nil {
		return time.Time{}, fmt.Errorf("next visible: %w", err)
	}
	if !ms.Valid {
		return time.Time{}, nil
	}
	return time.UnixMilli(ms.Int64), nil
}

// untilNext is how long a waiter sleeps when the next hidden row becomes
// visible at next (zero: none is hidden).
func untilNext(next time.Time) time.Duration {
	if next.IsZero() {
		return recheckInterval
	}
	return max(time.Until(next), time.Millisecond)
}

// wait blocks until a token arrives on changed, d passes (at most
// recheckInterval), ctx ends or the DB closes.
func (db *DB) wait(ctx context.Context, changed <-chan struct{}, d time.Duration) error {
	timer := time.NewTimer(min(d, recheckInterval))
	defer timer.Stop()
	select {
	case <-changed:
	case <-timer.C:
	case <-ctx.Done():
		return ctx.Err()
	case <-db.closed:
		return ErrClosed
	}
	return nil
}
