package manager_test

import (
	"context"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/wagate/wagate/connector/manager"
	wagate "github.com/wagate/wagate/shared"
	"github.com/wagate/wagate/shared/sqlite"
)

// memLeases is an in-memory wagate.LeaseStore (one process).
type memLeases struct {
	mu     sync.Mutex
	leases map[string]*wagate.Lease
	tasks  map[string]wagate.Task
}

func newMemLeases() *memLeases {
	return &memLeases{leases: map[string]*wagate.Lease{}, tasks: map[string]wagate.Task{}}
}

func (l *memLeases) Beat(_ context.Context, id string, hosted int, ttl time.Duration, now time.Time, first bool) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	t, ok := l.tasks[id]
	if first == ok || (!first && !t.Live(now)) {
		return wagate.ErrLeaseLost
	}
	l.tasks[id] = wagate.Task{ID: id, ExpiresAt: now.Add(ttl), Hosted: hosted}
	return nil
}

func (l *memLeases) Tasks(context.Context) ([]wagate.Task, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []wagate.Task
	for _, t := range l.tasks {
		out = append(out, t)
	}
	return out, nil
}

func (l *memLeases) RemoveTask(_ context.Context, id string, now time.Time, onlyExpired bool) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if t, ok := l.tasks[id]; ok && (!onlyExpired || !t.Live(now)) {
		delete(l.tasks, id)
	}
	return nil
}

func (l *memLeases) Lease(_ context.Context, sid string) (*wagate.Lease, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if x := l.leases[sid]; x != nil {
		c := *x
		return &c, nil
	}
	return nil, nil
}

func (l *memLeases) Acquire(_ context.Context, sid, owner string, prev *wagate.Lease, now time.Time) (int64, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	cur := l.leases[sid]
	if (cur == nil) != (prev == nil) || (cur != nil && (cur.Owner != prev.Owner || cur.Token != prev.Token)) {
		return 0, wagate.ErrLeaseLost
	}
	if cur != nil && cur.Owner != "" && cur.Owner != owner && l.tasks[cur.Owner].Live(now) {
		return 0, wagate.ErrLeaseLost
	}
	tok := int64(1)
	if cur != nil {
		tok = cur.Token + 1
	}
	l.leases[sid] = &wagate.Lease{SessionID: sid, Owner: owner, Token: tok, Wanted: true}
	return tok, nil
}

func (l *memLeases) Release(_ context.Context, sid string, f wagate.Fence, wanted bool) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if !l.holds(sid, f) {
		return wagate.ErrLeaseLost
	}
	l.leases[sid].Owner, l.leases[sid].Wanted = "", wanted
	return nil
}

func (l *memLeases) holds(sid string, f wagate.Fence) bool {
	x := l.leases[sid]
	return x != nil && x.Owner == f.Owner && x.Token == f.Token
}

func (l *memLeases) Owned(_ context.Context, owner string) ([]string, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []string
	for sid, x := range l.leases {
		if x.Owner == owner && (owner != "" || x.Wanted) {
			out = append(out, sid)
		}
	}
	return out, nil
}

func (l *memLeases) Want(_ context.Context, sid string) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.leases[sid] == nil {
		l.leases[sid] = &wagate.Lease{SessionID: sid, Wanted: true}
	}
	return nil
}

func (l *memLeases) Forward(context.Context, string, wagate.Handoff) error { return nil }
func (l *memLeases) Inbox(context.Context, string) ([]wagate.Handoff, error) {
	return nil, nil
}

// steal moves a session's lease to another owner, as a takeover would.
func (l *memLeases) steal(sid, owner string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.leases[sid] = &wagate.Lease{SessionID: sid, Owner: owner, Token: l.leases[sid].Token + 1, Wanted: true}
}

// fencedStore is the SQLite session store with fenced updates checked
// against memLeases.
type fencedStore struct {
	*sqlite.SessionStore
	leases *memLeases
}

func (s fencedStore) UpdateSessionFenced(ctx context.Context, sid string, f wagate.Fence, upd wagate.SessionUpdate) (*wagate.Session, error) {
	s.leases.mu.Lock()
	ok := s.leases.holds(sid, f)
	s.leases.mu.Unlock()
	if !ok {
		return nil, wagate.ErrLeaseLost
	}
	return s.UpdateSession(ctx, sid, upd)
}

type noHandoff struct{}

func (noHandoff) Hide(context.Context, string, time.Duration) error { return nil }
func (noHandoff) Forget(string)                                     {}
func (noHandoff) Adopt(wagate.Delivery, time.Time) bool             { return false }

// A task takes a session that wants a host, writes its state under the
// lease, and stops the client at once when a write is refused because the
// lease moved to another task; its late write changes nothing.
func TestOwnershipLeaseLost(t *testing.T) {
	db, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "m.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	leases, engine := newMemLeases(), newFakeEngine()
	store := fencedStore{SessionStore: sqlite.NewSessionStore(db), leases: leases}
	if err := store.CreateSession(context.Background(), &wagate.Session{SessionID: "s1", AutoConnect: true, DeviceJID: "1@s.whatsapp.net"}); err != nil {
		t.Fatal(err)
	}
	mgr := &manager.Manager{Engine: engine, Store: store, Queue: sqlite.NewCommandQueue(db), Messages: sqlite.NewMessageStore(db),
		Ownership: &manager.Ownership{Leases: leases, Handoff: noHandoff{}, TaskID: "T", TTL: 2 * time.Second, Heartbeat: 100 * time.Millisecond}}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); _ = mgr.Run(ctx) }()
	defer func() { cancel(); <-done }()

	waitFor(t, "the session taken and connected", func() bool {
		c := engine.client("s1")
		return c != nil && c.IsLive() && mgr.Owned() == 1
	})
	c := engine.client("s1")
	c.handle(wagate.ConnectedEvent{PhoneNumber: "34600000001"})
	waitFor(t, "connected written under the lease", func() bool {
		s, err := store.FindSession(context.Background(), "s1")
		return err == nil && s.Status == wagate.StatusConnected
	})

	leases.steal("s1", "other#1")
	c.handle(wagate.DisconnectedEvent{Reason: wagate.ReasonConnectionLost, Reconnecting: true})
	waitFor(t, "the client stopped after the refused write", func() bool {
		_, disconnects, _ := c.counts()
		return disconnects == 1 && mgr.Hosted() == 0 && mgr.Owned() == 0
	})
	if s, _ := store.FindSession(context.Background(), "s1"); s.Status != wagate.StatusConnected {
		t.Fatalf("the deposed owner's write landed: status %s", s.Status)
	}
}

func waitFor(t *testing.T, what string, ok func() bool) {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if ok() {
			return
		}
	}
	t.Fatalf("timed out waiting for %s", what)
}
