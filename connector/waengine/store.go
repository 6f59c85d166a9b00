package waengine

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"

	"go.mau.fi/whatsmeow/store"
	"go.mau.fi/whatsmeow/store/sqlstore"
	"go.mau.fi/whatsmeow/types"
	waLog "go.mau.fi/whatsmeow/util/log"
)

// Devices is the device store an Engine needs: whatsmeow's sqlstore
// (OpenContainer, the local runtime) and connector/dynstore (DynamoDB, the
// aws runtime: connector/awshost checks it fits) both implement it.
type Devices interface {
	// PutDevice (device.Save) and DeleteDevice (device.Delete, Logout).
	store.DeviceContainer
	// NewDevice returns an unpaired device with fresh keys, not stored.
	NewDevice() *store.Device
	// GetDevice returns the stored device jid, or nil.
	GetDevice(ctx context.Context, jid types.JID) (*store.Device, error)
}

var _ Devices = (*sqlstore.Container)(nil)

// StoreLogger returns the logger to give a device store: its warnings go
// to log (module "Database"), its debug messages nowhere.
func StoreLogger(log *slog.Logger) waLog.Logger {
	return newWALogger(log.With("engine", EngineName), "Database", false)
}

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
	container := sqlstore.NewWithDB(db, sqliteDialect, StoreLogger(slog.Default()))
	if err := container.Upgrade(ctx); err != nil {
		return nil, fmt.Errorf("upgrade whatsmeow store: %w", err)
	}
	return container, nil
}
