package waengine

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"

	"go.mau.fi/whatsmeow/store/sqlstore"
)

// sqliteDialect is the dialect name dbutil (under sqlstore) understands for
// any SQLite driver: it only checks the "sqlite" prefix, to choose SQL
// flavour and placeholders; the connection itself is db's.
const sqliteDialect = "sqlite"

// OpenContainer builds the whatsmeow device store on db, an open SQLite
// handle (driver modernc.org/sqlite) shared with wagate's own tables, and
// brings its schema (tables whatsmeow_*) up to date.
//
// db's DSN must enable foreign keys (sqlstore refuses to start without
// them), WAL, a busy timeout and _txlock=immediate (several sessions write
// to one file; deferred transactions fail with SQLITE_BUSY):
//
//	file:wa.db?_pragma=foreign_keys(1)&_pragma=journal_mode(WAL)&_pragma=busy_timeout(10000)&_txlock=immediate
//
// Store warnings are logged through slog.Default(). Closing the container
// closes db.
func OpenContainer(ctx context.Context, db *sql.DB) (*sqlstore.Container, error) {
	log := newWALogger(slog.Default().With("engine", EngineName), "Database", false)
	container := sqlstore.NewWithDB(db, sqliteDialect, log)
	if err := container.Upgrade(ctx); err != nil {
		return nil, fmt.Errorf("upgrade whatsmeow store: %w", err)
	}
	return container, nil
}
