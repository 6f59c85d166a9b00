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
	// SQLITE_BUSY when it upgrades (see docs in TOOLS.md).
	dsnParams = "_pragma=foreign_keys(1)&_pragma=journal_mode(WAL)&_pragma=busy_timeout(10000)&_pragma=synchronous(NORMAL)&_txlock=immediate"

	// maxIdleConns keeps a few connections open: opening one re-runs the
	// pragmas above.
	maxIdleConns = 4

	// recheckInterval bounds how long a waiting Receive or Claim sleeps
	// without looking at its table, as a safety net behind the in-process
	// wake-ups and the computed next-visible times.
	recheckInterval = time.Second
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

	sessions        *sessionCache
	commandsChanged *broadcast
	outboxChanged   *broadcast

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
	db := &DB{
		sql:             sdb,
		path:            path,
		writeLock:       make(chan struct{}, 1),
		sessions:        newSessionCache(),
		commandsChanged: newBroadcast(),
		outboxChanged:   newBroadcast(),
		closed:          make(chan struct{}),
	}
	if err := db.start(ctx); err != nil {
		_ = sdb.Close()
		return nil, fmt.Errorf("open database %q: %w", path, err)
	}
	return db, nil
}

func (db *DB) start(ctx context.Context) error {
	if err := db.migrate(ctx); err != nil {
		return err
	}
	if err := db.releaseDeliveries(ctx); err != nil {
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

// wait blocks until changed fires, d passes, ctx ends or the DB closes.
// d is capped at recheckInterval; d <= 0 means recheckInterval.
func (db *DB) wait(ctx context.Context, changed <-chan struct{}, d time.Duration) error {
	if d <= 0 || d > recheckInterval {
		d = recheckInterval
	}
	timer := time.NewTimer(d)
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
