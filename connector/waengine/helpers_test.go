package waengine_test

import (
	"context"
	"database/sql"
	"log/slog"
	"path/filepath"
	"testing"
	"time"

	"go.mau.fi/whatsmeow/proto/waAdv"
	"go.mau.fi/whatsmeow/store"
	"go.mau.fi/whatsmeow/store/sqlstore"
	"go.mau.fi/whatsmeow/types"
	_ "modernc.org/sqlite"

	"github.com/wagate/wagate/connector/waengine"
	wagate "github.com/wagate/wagate/shared"
)

// testDSN is the DSN wagate opens its SQLite file with (see TOOLS.md).
const testDSN = "?_pragma=foreign_keys(1)&_pragma=journal_mode(WAL)&_pragma=busy_timeout(10000)&_txlock=immediate"

// mustOpenDB opens a fresh SQLite file in a temp dir.
func mustOpenDB(tb testing.TB) *sql.DB {
	tb.Helper()
	return mustOpenDSN(tb, "file:"+filepath.Join(tb.TempDir(), "wa.db")+testDSN)
}

func mustOpenDSN(tb testing.TB, dsn string) *sql.DB {
	tb.Helper()
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		tb.Fatalf("open sqlite: %v", err)
	}
	tb.Cleanup(func() { _ = db.Close() })
	return db
}

// mustContainer opens the whatsmeow store on a fresh file.
func mustContainer(tb testing.TB) (*sqlstore.Container, *sql.DB) {
	tb.Helper()
	db := mustOpenDB(tb)
	c, err := waengine.OpenContainer(context.Background(), db)
	if err != nil {
		tb.Fatalf("OpenContainer: %v", err)
	}
	return c, db
}

// mustSaveDevice stores a paired-looking device with jid (keys are real,
// the account signature is not: enough for the store, never for WhatsApp).
func mustSaveDevice(tb testing.TB, c *sqlstore.Container, jid types.JID) *store.Device {
	tb.Helper()
	dev := c.NewDevice()
	dev.ID = &jid
	dev.PushName = "Ana"
	dev.Account = &waAdv.ADVSignedDeviceIdentity{
		Details:             []byte{1},
		AccountSignature:    make([]byte, 64),
		AccountSignatureKey: make([]byte, 32),
		DeviceSignature:     make([]byte, 64),
	}
	if err := dev.Save(context.Background()); err != nil {
		tb.Fatalf("save device: %v", err)
	}
	return dev
}

// testLogger logs into the test's output.
func testLogger(tb testing.TB) *slog.Logger {
	return slog.New(slog.NewTextHandler(tb.Output(), &slog.HandlerOptions{Level: slog.LevelDebug}))
}

// eventLog receives a client's events.
type eventLog chan wagate.EngineEvent

func newEventLog() eventLog { return make(eventLog, 64) }

func (l eventLog) handle(ev wagate.EngineEvent) { l <- ev }

// next waits for the next event.
func (l eventLog) next(tb testing.TB, timeout time.Duration) wagate.EngineEvent {
	tb.Helper()
	select {
	case ev := <-l:
		return ev
	case <-time.After(timeout):
		tb.Fatalf("no event within %s", timeout)
		return nil
	}
}

// none checks that no event comes within d.
func (l eventLog) none(tb testing.TB, d time.Duration) {
	tb.Helper()
	select {
	case ev := <-l:
		tb.Errorf("unexpected event %#v", ev)
	case <-time.After(d):
	}
}
