package dynamo_test

import (
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/wagate/wagate/events"
	wagate "github.com/wagate/wagate/shared"
	"github.com/wagate/wagate/shared/dynamo"
)

// Leases: acquire, fenced writes, expiry of the owner task, takeover with a
// higher token, and the deposed owner's writes refused.
func TestLeaseFencing(t *testing.T) {
	t.Parallel()
	tbl := MustOpenTable(t)
	ls, sessions, msgs := dynamo.NewLeaseStore(tbl), dynamo.NewSessionStore(tbl), dynamo.NewMessageStore(tbl)
	ctx := t.Context()
	now := time.Now()
	if err := sessions.CreateSession(ctx, &wagate.Session{SessionID: "s1", Status: wagate.StatusConnecting}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := msgs.InsertMessage(ctx, &wagate.Message{SessionID: "s1", WhatsAppID: "3EB0A", ChatID: "34600000001@s.whatsapp.net",
		FromMe: true, Type: wagate.TypeText, Body: "hi", Status: wagate.StatusPending, Timestamp: now}); err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"A", "B"} {
		if err := ls.Beat(ctx, id, 0, 2*time.Second, now, true); err != nil {
			t.Fatal(err)
		}
	}
	if err := ls.Beat(ctx, "A", 0, 2*time.Second, now, true); err == nil {
		t.Fatal("a second first beat of task A succeeded")
	}

	tokA, err := ls.Acquire(ctx, "s1", "A", nil, now)
	if err != nil || tokA != 1 {
		t.Fatalf("A acquires = %d, %v; want token 1", tokA, err)
	}
	if _, err := ls.Acquire(ctx, "s1", "B", nil, now); !errors.Is(err, wagate.ErrLeaseLost) {
		t.Fatalf("B acquires a fresh lease A holds = %v, want ErrLeaseLost", err)
	}
	lease, err := ls.Lease(ctx, "s1")
	if err != nil || lease.Owner != "A" || lease.Token != 1 {
		t.Fatalf("lease = %+v, %v", lease, err)
	}
	if _, err := ls.Acquire(ctx, "s1", "B", lease, now); !errors.Is(err, wagate.ErrLeaseLost) {
		t.Fatalf("B takes over while A is live = %v, want ErrLeaseLost", err)
	}
	fA := wagate.Fence{Owner: "A", Token: tokA}
	connected := wagate.StatusConnected
	if _, err := sessions.UpdateSessionFenced(ctx, "s1", fA, wagate.SessionUpdate{Status: &connected}); err != nil {
		t.Fatalf("A's fenced update: %v", err)
	}
	if owned, err := ls.Owned(ctx, "A"); err != nil || !slices.Equal(owned, []string{"s1"}) {
		t.Fatalf("Owned(A) = %v, %v", owned, err)
	}

	// A's heartbeat expires: B takes the session with token 2.
	later := now.Add(3 * time.Second)
	if err := ls.Beat(ctx, "A", 1, 2*time.Second, later, false); !errors.Is(err, wagate.ErrLeaseLost) {
		t.Fatalf("A beats after expiry = %v, want ErrLeaseLost", err)
	}
	tokB, err := ls.Acquire(ctx, "s1", "B", lease, later)
	if err != nil || tokB != 2 {
		t.Fatalf("B takes over after A expired = %d, %v; want token 2", tokB, err)
	}
	sent := wagate.StatusSent
	if _, err := sessions.UpdateSessionFenced(ctx, "s1", fA, wagate.SessionUpdate{Status: &connected}); !errors.Is(err, wagate.ErrLeaseLost) {
		t.Fatalf("deposed A's session write = %v, want ErrLeaseLost", err)
	}
	if _, _, err := msgs.UpdateMessageFenced(ctx, "s1", "3EB0A", fA, wagate.MessageUpdate{Status: &sent}); !errors.Is(err, wagate.ErrLeaseLost) {
		t.Fatalf("deposed A's message write = %v, want ErrLeaseLost", err)
	}
	m, changed, err := msgs.UpdateMessageFenced(ctx, "s1", "3EB0A", wagate.Fence{Owner: "B", Token: tokB}, wagate.MessageUpdate{Status: &sent})
	if err != nil || !changed || m.Status != wagate.StatusSent {
		t.Fatalf("B's message write = %+v, %v, %v", m, changed, err)
	}
	if got, _ := msgs.FindMessage(ctx, "s1", "3EB0A"); got.Status != wagate.StatusSent {
		t.Fatalf("stored status %s, want sent", got.Status)
	}

	// Release keeps the token and lists the session as free.
	if err := ls.Release(ctx, "s1", wagate.Fence{Owner: "B", Token: tokB}, true); err != nil {
		t.Fatal(err)
	}
	if free, err := ls.Owned(ctx, ""); err != nil || !slices.Contains(free, "s1") {
		t.Fatalf("free leases = %v, %v", free, err)
	}
	lease, _ = ls.Lease(ctx, "s1")
	if tok, err := ls.Acquire(ctx, "s1", "A2", lease, later); err != nil || tok != 3 {
		t.Fatalf("acquire after release = %d, %v; want 3", tok, err)
	}
	if err := ls.Want(ctx, "s1"); err != nil {
		t.Fatal(err)
	}
	if l, _ := ls.Lease(ctx, "s1"); l.Owner != "A2" || l.Token != 3 {
		t.Fatalf("Want changed a held lease: %+v", l)
	}

	tasks, err := ls.Tasks(ctx)
	if err != nil || len(tasks) != 2 {
		t.Fatalf("tasks = %+v, %v", tasks, err)
	}
	if err := ls.RemoveTask(ctx, "B", now, true); err != nil {
		t.Fatal(err)
	}
	if tasks, _ := ls.Tasks(ctx); len(tasks) != 2 {
		t.Fatalf("a live task was removed as expired: %+v", tasks)
	}
	if err := ls.RemoveTask(ctx, "A", later, true); err != nil {
		t.Fatal(err)
	}
	if tasks, _ := ls.Tasks(ctx); len(tasks) != 1 || tasks[0].ID != "B" {
		t.Fatalf("tasks after removing expired A = %+v", tasks)
	}
}

// The inbox returns forwarded deliveries in order and empties.
func TestLeaseInbox(t *testing.T) {
	t.Parallel()
	ls := dynamo.NewLeaseStore(MustOpenTable(t))
	ctx := t.Context()
	until := time.Now().Add(time.Minute).Truncate(time.Millisecond)
	for _, id := range []string{"c1", "c2", "c3"} {
		cmd, _ := events.NewCommand(id, events.CmdSessionConnect, "s1", time.Now(), nil)
		if err := ls.Forward(ctx, "T", wagate.Handoff{Command: cmd, Receipt: "r-" + id, Attempt: 2, VisibleUntil: until}); err != nil {
			t.Fatal(err)
		}
	}
	got, err := ls.Inbox(ctx, "T")
	if err != nil || len(got) != 3 {
		t.Fatalf("inbox = %+v, %v", got, err)
	}
	for i, h := range got {
		if want := []string{"c1", "c2", "c3"}[i]; h.Command.ID != want || h.Receipt != "r-"+want || h.Attempt != 2 || !h.VisibleUntil.Equal(until) {
			t.Fatalf("entry %d = %+v, want %s", i, h, want)
		}
	}
	if again, err := ls.Inbox(ctx, "T"); err != nil || len(again) != 0 {
		t.Fatalf("inbox after reading = %+v, %v", again, err)
	}
}
