package service_test

import (
	"context"
	"encoding/json"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/wagate/wagate/events"
	wagate "github.com/wagate/wagate/shared"
	"github.com/wagate/wagate/shared/service"
	"github.com/wagate/wagate/shared/sqlite"
)

// directory is the contact and group services over SQLite, with a fake
// connector answering their commands.
type directory struct {
	sessions *sqlite.SessionStore
	contacts *sqlite.ContactStore
	groups   *sqlite.GroupStore
	results  *sqlite.CommandResultStore
	queue    *sqlite.CommandQueue
	cmds     *service.Commands
	cs       *service.Contacts
	gs       *service.Groups

	mu   sync.Mutex
	seen []events.Command
}

// reply is what the fake connector answers to a command: a result, or an
// error, or (hold) nothing at all.
type reply func(c events.Command) (result any, err error, hold bool)

func newDirectory(t *testing.T, answer reply) *directory {
	t.Helper()
	db, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "wagate.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	d := &directory{sessions: sqlite.NewSessionStore(db), contacts: sqlite.NewContactStore(db), groups: sqlite.NewGroupStore(db),
		results: sqlite.NewCommandResultStore(db), queue: sqlite.NewCommandQueue(db)}
	d.cmds = &service.Commands{Results: d.results, Queue: d.queue, Wait: 2 * time.Second}
	d.cs = &service.Contacts{Sessions: d.sessions, Store: d.contacts, Groups: d.groups, Commands: d.cmds}
	d.gs = &service.Groups{Sessions: d.sessions, Store: d.groups, Commands: d.cmds}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); d.connector(ctx, answer) }()
	t.Cleanup(func() { cancel(); <-done })
	for id, st := range map[string]wagate.Status{"up": wagate.StatusConnected, "down": wagate.StatusDisconnected} {
		if err := d.sessions.CreateSession(ctx, &wagate.Session{SessionID: id, PhoneNumber: "34600000001", Status: st}); err != nil {
			t.Fatal(err)
		}
	}
	return d
}

// connector answers commands as the manager would, until ctx ends.
func (d *directory) connector(ctx context.Context, answer reply) {
	for ctx.Err() == nil {
		ds, err := d.queue.Receive(ctx, 10, time.Minute)
		if err != nil {
			return
		}
		for _, del := range ds {
			c := del.Command
			d.mu.Lock()
			d.seen = append(d.seen, c)
			d.mu.Unlock()
			res, err, hold := answer(c)
			_ = d.queue.Ack(ctx, del.Receipt)
			if hold {
				continue
			}
			rec := &wagate.CommandResult{ID: c.ID, SessionID: c.SessionID, Type: c.Type, Status: wagate.CommandDone, CompletedAt: time.Now()}
			if err != nil {
				rec.Status, rec.ErrCode, rec.ErrMessage = wagate.CommandFailed, wagate.ErrorCode(err), wagate.ErrorMessage(err)
			} else {
				rec.Result, _ = json.Marshal(res)
			}
			_ = d.results.PutCommandResult(ctx, rec)
		}
	}
}

// commands returns the types of the commands the connector got.
func (d *directory) commands() []string {
	d.mu.Lock()
	defer d.mu.Unlock()
	var out []string
	for _, c := range d.seen {
		out = append(out, c.Type)
	}
	return out
}

func wantErrCode(t *testing.T, err error, code string) {
	t.Helper()
	if got := wagate.ErrorCode(err); got != code {
		t.Fatalf("error %v: code %q, want %q", err, got, code)
	}
}

// jsonOf decodes a command's payload.
func jsonOf(c events.Command, v any) error { return json.Unmarshal(c.Payload, v) }
