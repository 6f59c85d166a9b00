package service_test

import (
	"context"
	"encoding/json"
	"path/filepath"
	"testing"
	"time"

	"github.com/wagate/wagate/events"
	wagate "github.com/wagate/wagate/shared"
	"github.com/wagate/wagate/shared/fsblob"
	"github.com/wagate/wagate/shared/service"
	"github.com/wagate/wagate/shared/sqlite"
)

// world is the services of one test over real SQLite stores and a blob
// store in a temp dir.
type world struct {
	sessions *sqlite.SessionStore
	messages *sqlite.MessageStore
	statuses *sqlite.StatusStore
	media    *sqlite.MediaStore
	queue    *sqlite.CommandQueue
	blobs    *fsblob.Store
	msgs     *service.Messages
}

func newWorld(t *testing.T) *world {
	t.Helper()
	db, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "wagate.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	blobs, err := fsblob.New(filepath.Join(t.TempDir(), "files"), "http://localhost:8084", []byte("test-signing-key-0123456789abcdef"))
	if err != nil {
		t.Fatal(err)
	}
	w := &world{sessions: sqlite.NewSessionStore(db), messages: sqlite.NewMessageStore(db), statuses: sqlite.NewStatusStore(db),
		media: sqlite.NewMediaStore(db), queue: sqlite.NewCommandQueue(db), blobs: blobs}
	w.msgs = &service.Messages{Sessions: w.sessions, Store: w.messages, Media: w.media, Blobs: w.blobs, Queue: w.queue, SendWait: -1}
	return w
}

// session creates a session in the given state.
func (w *world) session(t *testing.T, id string, st wagate.Status) {
	t.Helper()
	s := &wagate.Session{SessionID: id, Name: id, PhoneNumber: "34600000001", Status: st}
	if err := w.sessions.CreateSession(context.Background(), s); err != nil {
		t.Fatal(err)
	}
}

// commands receives every queued command.
func (w *world) commands(t *testing.T) []events.Command {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	var out []events.Command
	for {
		ds, err := w.queue.Receive(ctx, 10, time.Minute)
		if err != nil || len(ds) == 0 {
			return out
		}
		for _, d := range ds {
			out = append(out, d.Command)
			_ = w.queue.Ack(context.Background(), d.Receipt)
		}
	}
}

func payloadOf(t *testing.T, c events.Command, v any) {
	t.Helper()
	if err := json.Unmarshal(c.Payload, v); err != nil {
		t.Fatalf("payload of %s: %v", c.Type, err)
	}
}

func wantCode(t *testing.T, err error, code string) {
	t.Helper()
	if got := wagate.ErrorCode(err); got != code {
		t.Fatalf("error %v: code %q, want %q", err, got, code)
	}
}
