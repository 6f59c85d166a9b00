package sqlite_test

import (
	"context"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/wagate/wagate/events"
	wagate "github.com/wagate/wagate/shared"
	"github.com/wagate/wagate/shared/sqlite"
)

// TestReopen checks that what was written survives closing and reopening the
// file, and that deliveries and leases of the closed run are handed out again
// at once.
func TestReopen(t *testing.T) {
	path := filepath.Join(t.TempDir(), "wagate.db")
	ctx := t.Context()
	db := mustOpenPath(t, path)

	// Sessions: two created, one updated, one deleted.
	sessions := sqlite.NewSessionStore(db)
	keep := &wagate.Session{SessionID: "keep", Name: "Keep", Webhook: wagate.WebhookConfig{Events: []string{"message"}}}
	gone := &wagate.Session{SessionID: "gone"}
	must(t, sessions.CreateSession(ctx, keep))
	must(t, sessions.CreateSession(ctx, gone))
	status, expires := wagate.StatusQRCode, time.Now().Add(time.Minute)
	updated, err := sessions.UpdateSession(ctx, "keep", wagate.SessionUpdate{Status: &status, QRExpiresAt: &expires})
	must(t, err)
	must(t, sessions.DeleteSession(ctx, "gone"))

	// Commands: a1 in flight, a2 behind it, b1 nacked with a long delay.
	queue := sqlite.NewCommandQueue(db)
	for _, c := range [][2]string{{"a1", "s1"}, {"a2", "s1"}, {"b1", "s2"}} {
		cmd, err := events.NewCommand(c[0], events.CmdSessionConnect, c[1], time.Now(), nil)
		must(t, err)
		must(t, queue.Enqueue(ctx, cmd))
	}
	ds, err := queue.Receive(ctx, 10, time.Hour)
	must(t, err)
	for _, d := range ds {
		if d.Command.ID == "b1" {
			must(t, queue.Nack(ctx, d.Receipt, time.Hour))
		}
	}

	// Outbox: e1 leased, e2 pending.
	outbox := sqlite.NewOutbox(db)
	for _, id := range []string{"e1", "e2"} {
		ev, err := events.NewEvent(id, "session.qr", "keep", keep.ID, time.Now(), map[string]string{"k": id})
		must(t, err)
		must(t, outbox.Publish(ctx, ev))
	}
	_, err = outbox.Claim(ctx, 1, time.Hour)
	must(t, err)

	must(t, db.Close())
	db = mustOpenPath(t, path)

	t.Run("Sessions", func(t *testing.T) {
		sessions := sqlite.NewSessionStore(db)
		for _, key := range []string{"keep", strconv.FormatInt(keep.ID, 10)} {
			got, err := sessions.FindSession(ctx, key)
			must(t, err)
			if got.Name != "Keep" || got.Status != wagate.StatusQRCode || !got.QRExpiresAt.Equal(updated.QRExpiresAt) ||
				!got.UpdatedAt.Equal(updated.UpdatedAt) || len(got.Webhook.Events) != 1 {
				t.Fatalf("after reopen: %+v, want %+v", got, updated)
			}
		}
		if _, err := sessions.FindSession(ctx, "gone"); wagate.ErrorCode(err) != wagate.ENOSESSION {
			t.Fatalf("deleted session after reopen: %v", err)
		}
		next := &wagate.Session{SessionID: "next"}
		must(t, sessions.CreateSession(ctx, next))
		if next.ID <= gone.ID {
			t.Fatalf("new session got ID %d after reopen, want > %d", next.ID, gone.ID)
		}
	})

	t.Run("Commands", func(t *testing.T) {
		queue := sqlite.NewCommandQueue(db)
		rctx, cancel := context.WithTimeout(ctx, 500*time.Millisecond)
		defer cancel()
		ds, err := queue.Receive(rctx, 10, time.Minute)
		must(t, err)
		if len(ds) != 1 || ds[0].Command.ID != "a1" || ds[0].Attempt != 2 {
			t.Fatalf("after reopen received %+v, want only a1 (attempt 2); b1 keeps its delay", ds)
		}
	})

	t.Run("Outbox", func(t *testing.T) {
		outbox := sqlite.NewOutbox(db)
		cctx, cancel := context.WithTimeout(ctx, 500*time.Millisecond)
		defer cancel()
		evs, err := outbox.Claim(cctx, 10, time.Minute)
		must(t, err)
		if len(evs) != 2 || evs[0].ID != "e1" || evs[1].ID != "e2" || string(evs[0].Data) != `{"k":"e1"}` {
			t.Fatalf("after reopen claimed %+v, want e1 and e2", evs)
		}
	})
}
