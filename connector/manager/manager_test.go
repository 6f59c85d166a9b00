package manager_test

import (
	"context"
	"encoding/json"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/wagate/wagate/connector/manager"
	"github.com/wagate/wagate/events"
	"github.com/wagate/wagate/events/schema"
	wagate "github.com/wagate/wagate/shared"
	"github.com/wagate/wagate/shared/fsblob"
	"github.com/wagate/wagate/shared/ids"
	"github.com/wagate/wagate/shared/sqlite"
)

type env struct {
	t      *testing.T
	engine *fakeEngine
	store  *sqlite.SessionStore
	queue  *sqlite.CommandQueue
	outbox *sqlite.Outbox
	msgs   *sqlite.MessageStore
	mgr    *manager.Manager
	stop   func()
}

// newEnv runs a manager over a real SQLite store and queue and a fake engine.
func newEnv(t *testing.T, seed ...*wagate.Session) *env {
	t.Helper()
	db, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "m.db"))
	if err != nil {
		t.Fatal(err)
	}
	e := &env{t: t, engine: newFakeEngine(), store: sqlite.NewSessionStore(db), queue: sqlite.NewCommandQueue(db), outbox: sqlite.NewOutbox(db)}
	for _, s := range seed {
		if err := e.store.CreateSession(context.Background(), s); err != nil {
			t.Fatal(err)
		}
	}
	blobs, err := fsblob.New(filepath.Join(t.TempDir(), "files"), "http://localhost", []byte("0123456789abcdef0123456789abcdef"))
	if err != nil {
		t.Fatal(err)
	}
	e.msgs = sqlite.NewMessageStore(db)
	e.mgr = &manager.Manager{Engine: e.engine, Store: e.store, Queue: e.queue, Bus: e.outbox,
		Messages: e.msgs, Statuses: sqlite.NewStatusStore(db), Media: sqlite.NewMediaStore(db), Blobs: blobs}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); _ = e.mgr.Run(ctx) }()
	e.stop = func() { cancel(); <-done }
	t.Cleanup(func() { e.stop(); db.Close() })
	return e
}

func (e *env) send(typ, sessionID string, payload any) {
	e.t.Helper()
	cmd, err := events.NewCommand(ids.New(), typ, sessionID, time.Now(), payload)
	if err != nil {
		e.t.Fatal(err)
	}
	if err := e.queue.Enqueue(context.Background(), cmd); err != nil {
		e.t.Fatal(err)
	}
}

// eventually waits until cond holds for the session.
func (e *env) eventually(sessionID, what string, cond func(*wagate.Session) bool) *wagate.Session {
	e.t.Helper()
	var s *wagate.Session
	for deadline := time.Now().Add(3 * time.Second); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
		var err error
		if s, err = e.store.FindSession(context.Background(), sessionID); err == nil && cond(s) {
			return s
		}
	}
	e.t.Fatalf("session %s never %s; last %+v", sessionID, what, s)
	return nil
}

func (e *env) client(sessionID string) *fakeClient {
	e.t.Helper()
	for deadline := time.Now().Add(3 * time.Second); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
		if c := e.engine.client(sessionID); c != nil {
			return c
		}
	}
	e.t.Fatalf("no client for %s", sessionID)
	return nil
}

// published drains the outbox and returns the events, checked against the schema.
func (e *env) published() []events.Event {
	e.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	var all []events.Event
	for {
		evs, err := e.outbox.Claim(ctx, 100, time.Minute)
		if err != nil || len(evs) == 0 {
			return all
		}
		for _, ev := range evs {
			b, _ := json.Marshal(ev)
			if err := schema.Validate(schema.Event, b); err != nil {
				e.t.Fatalf("published event breaks the contract: %v\n%s", err, b)
			}
			_ = e.outbox.Ack(context.Background(), ev.ID)
		}
		all = append(all, evs...)
	}
}

func types(evs []events.Event) string {
	var s []string
	for _, e := range evs {
		s = append(s, e.Type)
	}
	return strings.Join(s, ",")
}

func status(st wagate.Status) func(*wagate.Session) bool {
	return func(s *wagate.Session) bool { return s.Status == st }
}

func TestPairingFlow(t *testing.T) {
	e := newEnv(t, &wagate.Session{SessionID: "s1", AutoConnect: true, Status: wagate.StatusConnecting})
	c := e.client("s1") // resumed on start
	if c.dev.DeviceJID != "" {
		t.Fatalf("unpaired session got device %q", c.dev.DeviceJID)
	}
	exp := time.Now().Add(time.Minute)
	c.handle(wagate.QREvent{Code: "2@abc,def", ExpiresAt: exp})
	s := e.eventually("s1", "showed a QR", status(wagate.StatusQRCode))
	if !strings.HasPrefix(s.QRCode, "data:image/png;base64,") || s.QRExpiresAt.Sub(exp).Abs() > time.Millisecond {
		t.Fatalf("qr state: %.40s %v", s.QRCode, s.QRExpiresAt)
	}
	c.handle(wagate.PairedEvent{DeviceJID: "34600000001:3@s.whatsapp.net", PhoneNumber: "34600000001", PushName: "Ana"})
	c.handle(wagate.ConnectedEvent{})
	s = e.eventually("s1", "connected", status(wagate.StatusConnected))
	if s.DeviceJID != "34600000001:3@s.whatsapp.net" || s.PhoneNumber != "34600000001" || s.Profile.Name != "Ana" || s.QRCode != "" || s.LastActivity.IsZero() {
		t.Fatalf("connected state: %+v", s)
	}
	if got := types(e.published()); got != "session.qr,session.connected" {
		t.Fatalf("published %s", got)
	}
}

func TestDisconnectReasons(t *testing.T) {
	for _, tc := range []struct {
		name         string
		ev           wagate.DisconnectedEvent
		wantStatus   wagate.Status
		wantEvent    string
		wantDevice   string
		wantAuto     bool
		wantHostGone bool
	}{
		{"Reconnecting", wagate.DisconnectedEvent{Reason: wagate.ReasonConnectionLost, Reconnecting: true}, wagate.StatusConnecting, "session.disconnected", "d@s.whatsapp.net", true, false},
		{"KeepAlive", wagate.DisconnectedEvent{Reason: wagate.ReasonKeepAlive, Reconnecting: true}, wagate.StatusConnecting, "session.disconnected", "d@s.whatsapp.net", true, false},
		{"LoggedOut", wagate.DisconnectedEvent{Reason: wagate.ReasonLoggedOut, CredentialsGone: true}, wagate.StatusDisconnected, "session.logged_out", "", false, true},
		{"Replaced", wagate.DisconnectedEvent{Reason: wagate.ReasonReplaced}, wagate.StatusDisconnected, "session.disconnected", "d@s.whatsapp.net", false, true},
		{"Banned", wagate.DisconnectedEvent{Reason: wagate.ReasonBanned, Detail: "code 101 until 2026-12-01"}, wagate.StatusDisconnected, "session.disconnected", "d@s.whatsapp.net", false, true},
		{"Outdated", wagate.DisconnectedEvent{Reason: wagate.ReasonClientOutdated}, wagate.StatusDisconnected, "session.disconnected", "d@s.whatsapp.net", false, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t, &wagate.Session{SessionID: "s1", AutoConnect: true, DeviceJID: "d@s.whatsapp.net"})
			c := e.client("s1")
			c.handle(wagate.ConnectedEvent{})
			e.eventually("s1", "connected", status(wagate.StatusConnected))
			e.published()
			c.handle(tc.ev)
			s := e.eventually("s1", "reported the reason", func(s *wagate.Session) bool { return s.Reason == tc.ev.Reason })
			if s.Status != tc.wantStatus || s.DeviceJID != tc.wantDevice || s.AutoConnect != tc.wantAuto || s.ReasonDetail != tc.ev.Detail {
				t.Fatalf("state %+v", s)
			}
			if got := types(e.published()); got != tc.wantEvent {
				t.Fatalf("published %q, want %q", got, tc.wantEvent)
			}
			if gone := e.mgr.Hosted() == 0; gone != tc.wantHostGone {
				t.Fatalf("host gone = %v", gone)
			}
		})
	}
}

func TestCommands(t *testing.T) {
	e := newEnv(t, &wagate.Session{SessionID: "s1", DeviceJID: "d@s.whatsapp.net"})
	if e.mgr.Hosted() != 0 {
		t.Fatal("a session with autoConnect false was resumed")
	}
	e.send(events.CmdSessionConnect, "s1", nil)
	c := e.client("s1")
	e.eventually("s1", "connecting", status(wagate.StatusConnecting))
	c.handle(wagate.ConnectedEvent{})
	e.eventually("s1", "connected", status(wagate.StatusConnected))

	t.Run("ConnectTwiceIsNoop", func(t *testing.T) {
		e.send(events.CmdSessionConnect, "s1", nil)
		e.send(events.CmdSessionDisconnect, "s1", nil)
		s := e.eventually("s1", "disconnected", status(wagate.StatusDisconnected))
		if n, d, _ := c.counts(); n != 1 || d != 1 || s.Reason != wagate.ReasonUserRequest {
			t.Fatalf("connects %d disconnects %d reason %s", n, d, s.Reason)
		}
	})
	t.Run("Restart", func(t *testing.T) {
		e.send(events.CmdSessionRestart, "s1", nil)
		for deadline := time.Now().Add(3 * time.Second); e.engine.client("s1") == c && time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
		}
		c2 := e.engine.client("s1")
		if c2 == c || c2.dev.DeviceJID != "d@s.whatsapp.net" {
			t.Fatal("restart did not open a new client on the stored device")
		}
		c = c2
	})
	t.Run("PairPhone", func(t *testing.T) {
		e.send(events.CmdSessionPairPhone, "s1", events.PairPhonePayload{PhoneNumber: "34600000002"})
		e.eventually("s1", "got a pairing code", func(s *wagate.Session) bool { return s.PairingCode == "ABCD-EFGH" })
	})
	t.Run("DeleteLogsOut", func(t *testing.T) {
		if err := e.store.DeleteSession(context.Background(), "s1"); err != nil {
			t.Fatal(err)
		}
		e.send(events.CmdSessionDelete, "s1", events.DeletePayload{DeviceJID: "d@s.whatsapp.net"})
		for deadline := time.Now().Add(3 * time.Second); e.mgr.Hosted() != 0 && time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
		}
		if _, _, l := c.counts(); l != 1 {
			t.Fatalf("logouts %d", l)
		}
	})
	t.Run("DeleteOfflineDeletesCredentials", func(t *testing.T) {
		e.send(events.CmdSessionDelete, "gone", events.DeletePayload{DeviceJID: "x@s.whatsapp.net"})
		for deadline := time.Now().Add(3 * time.Second); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
			e.engine.mu.Lock()
			n := len(e.engine.deleted)
			e.engine.mu.Unlock()
			if n == 1 {
				return
			}
		}
		t.Fatal("credentials of an offline device were not deleted")
	})
}

func TestConnectFailure(t *testing.T) {
	e := newEnv(t, &wagate.Session{SessionID: "s1"})
	e.engine.failNext = errors.New("dial failed")
	e.send(events.CmdSessionConnect, "s1", nil)
	s := e.eventually("s1", "failed", func(s *wagate.Session) bool { return s.Reason == wagate.ReasonConnectFailed })
	if s.Status != wagate.StatusDisconnected || e.mgr.Hosted() != 0 {
		t.Fatalf("state after failure %+v", s)
	}
}

func TestShutdownKeepsDesiredState(t *testing.T) {
	e := newEnv(t, &wagate.Session{SessionID: "s1", AutoConnect: true, DeviceJID: "d@s.whatsapp.net"})
	c := e.client("s1")
	c.handle(wagate.ConnectedEvent{})
	e.eventually("s1", "connected", status(wagate.StatusConnected))
	e.stop()
	s, err := e.store.FindSession(context.Background(), "s1")
	if err != nil {
		t.Fatal(err)
	}
	if _, d, _ := c.counts(); d != 1 || s.Status != wagate.StatusDisconnected || s.Reason != wagate.ReasonHostStopped || !s.AutoConnect {
		t.Fatalf("after shutdown: disconnects %d, %+v", d, s)
	}
}
