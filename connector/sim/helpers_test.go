package sim_test

import (
	"database/sql"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	_ "modernc.org/sqlite"

	"github.com/wagate/wagate/connector/sim"
	wagate "github.com/wagate/wagate/shared"
)

// eventTimeout bounds every wait for an event.
const eventTimeout = 5 * time.Second

// fastOptions: QR codes that stay up (tests scan them), everything else tiny.
func fastOptions() sim.Options {
	return sim.Options{
		QRFirstTimeout: time.Minute,
		QRNextTimeout:  time.Minute,
		ConnectDelay:   time.Millisecond,
		ReconnectDelay: 5 * time.Millisecond,
		PairPhoneDelay: 5 * time.Millisecond,
		Logger:         slog.New(slog.NewTextHandler(io.Discard, nil)),
	}
}

// MustOpenDB opens (creating it if needed) the SQLite file sim.db in dir.
func MustOpenDB(tb testing.TB, dir string) *sql.DB {
	tb.Helper()
	dsn := fmt.Sprintf("file:%s/sim.db?_pragma=foreign_keys(1)&_pragma=journal_mode(WAL)&_pragma=busy_timeout(10000)&_txlock=immediate", dir)
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		tb.Fatalf("open db: %v", err)
	}
	tb.Cleanup(func() { db.Close() })
	return db
}

// MustOpenNetwork opens a network on a fresh database.
func MustOpenNetwork(tb testing.TB, opts sim.Options) *sim.Network {
	tb.Helper()
	n, err := sim.New(MustOpenDB(tb, tb.TempDir()), opts)
	if err != nil {
		tb.Fatalf("new network: %v", err)
	}
	return n
}

// recorder is an event handler that queues what it gets and checks that it
// is never called concurrently.
type recorder struct {
	events   chan wagate.EngineEvent
	inFlight atomic.Int32
	overlap  atomic.Bool
}

func newRecorder(tb testing.TB) *recorder {
	r := &recorder{events: make(chan wagate.EngineEvent, 1024)}
	tb.Cleanup(func() {
		if r.overlap.Load() {
			tb.Error("event handler called concurrently")
		}
	})
	return r
}

func (r *recorder) handle(ev wagate.EngineEvent) {
	if r.inFlight.Add(1) > 1 {
		r.overlap.Store(true)
	}
	r.events <- ev
	r.inFlight.Add(-1)
	if me, ok := ev.(wagate.MessageEvent); ok && me.Handled != nil {
		me.Handled(nil) // the recorder "stores" it at once
	}
}

// next returns the next event.
func (r *recorder) next(tb testing.TB) wagate.EngineEvent {
	tb.Helper()
	select {
	case ev := <-r.events:
		return ev
	case <-time.After(eventTimeout):
		tb.Fatalf("no event within %v", eventTimeout)
		return nil
	}
}

// quiet fails if an event arrives within d.
func (r *recorder) quiet(tb testing.TB, d time.Duration) {
	tb.Helper()
	select {
	case ev := <-r.events:
		tb.Fatalf("unexpected event %T %+v", ev, ev)
	case <-time.After(d):
	}
}

// expect returns the next event, which must be a T.
func expect[T wagate.EngineEvent](tb testing.TB, r *recorder) T {
	tb.Helper()
	ev := r.next(tb)
	got, ok := ev.(T)
	if !ok {
		var want T
		tb.Fatalf("got event %T %+v, want %T", ev, ev, want)
	}
	return got
}

// startClient hosts sessionID on n, as deviceJID ("" = unpaired).
func startClient(tb testing.TB, n *sim.Network, sessionID, deviceJID string) (wagate.EngineClient, *recorder) {
	tb.Helper()
	r := newRecorder(tb)
	c, err := n.NewClient(tb.Context(), wagate.EngineDevice{SessionID: sessionID, DeviceJID: deviceJID}, r.handle)
	if err != nil {
		tb.Fatalf("new client %s: %v", sessionID, err)
	}
	tb.Cleanup(c.Disconnect)
	return c, r
}

// connect connects c and fails the test on error.
func connect(tb testing.TB, c wagate.EngineClient) {
	tb.Helper()
	if err := c.Connect(tb.Context()); err != nil {
		tb.Fatalf("connect: %v", err)
	}
}

// pairedSession hosts a session on n, pairs it by scanning its QR code with
// phone and waits until it is connected. It returns the device JID.
func pairedSession(tb testing.TB, n *sim.Network, sessionID, phone string) (wagate.EngineClient, *recorder, string) {
	tb.Helper()
	c, r := startClient(tb, n, sessionID, "")
	connect(tb, c)
	expect[wagate.QREvent](tb, r)
	if err := n.Scan(tb.Context(), sessionID, phone, "Ana"); err != nil {
		tb.Fatalf("scan: %v", err)
	}
	paired := expect[wagate.PairedEvent](tb, r)
	expect[wagate.ConnectedEvent](tb, r)
	return c, r, paired.DeviceJID
}

// wantCode fails unless err carries the wagate error code want ("" = nil).
func wantCode(tb testing.TB, err error, want string) {
	tb.Helper()
	if got := wagate.ErrorCode(err); got != want {
		tb.Fatalf("error = %v (code %q), want code %q", err, got, want)
	}
}

// wantErrorIs fails unless errors.Is(err, target).
func wantErrorIs(tb testing.TB, err, target error) {
	tb.Helper()
	if !errors.Is(err, target) {
		tb.Fatalf("error = %v, want %v", err, target)
	}
}

// waitGoroutines waits until no more than want goroutines run.
func waitGoroutines(tb testing.TB, want int) {
	tb.Helper()
	deadline := time.Now().Add(eventTimeout)
	for runtime.NumGoroutine() > want {
		if time.Now().After(deadline) {
			buf := make([]byte, 1<<20)
			buf = buf[:runtime.Stack(buf, true)]
			tb.Fatalf("%d goroutines, want ≤ %d:\n%s", runtime.NumGoroutine(), want, trimStacks(string(buf)))
		}
		time.Sleep(time.Millisecond)
	}
}

// trimStacks keeps the goroutine dumps that mention the sim package.
func trimStacks(all string) string {
	var keep []string
	for _, g := range strings.Split(all, "\n\n") {
		if strings.Contains(g, "/sim.") {
			keep = append(keep, g)
		}
	}
	return strings.Join(keep, "\n\n")
}
