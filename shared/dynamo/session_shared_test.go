package dynamo_test

import (
	"strconv"
	"testing"

	wagate "github.com/wagate/wagate/shared"
	"github.com/wagate/wagate/shared/dynamo"
)

// Two SessionStores on one table (as two processes have) see each other's
// writes at once: nothing is cached.
func TestSessionStoreShared(t *testing.T) {
	t.Parallel()
	name := MustCreateTable(t)
	a := dynamo.NewSessionStore(dynamo.NewTable(newClient(t), name))
	b := dynamo.NewSessionStore(dynamo.NewTable(newClient(t), name))
	ctx := t.Context()

	s := &wagate.Session{SessionID: "alpha", Name: "first", Status: wagate.StatusQRCode}
	if err := a.CreateSession(ctx, s); err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{"alpha", strconv.FormatInt(s.ID, 10)} {
		if got, err := b.FindSession(ctx, key); err != nil || got.Name != "first" {
			t.Fatalf("B FindSession(%q) after A created it = %+v, %v", key, got, err)
		}
	}
	if err := b.CreateSession(ctx, &wagate.Session{SessionID: "alpha"}); wagate.ErrorCode(err) != wagate.ESESSIONEXISTS {
		t.Fatalf("B CreateSession of A's sessionId = %v, want %s", err, wagate.ESESSIONEXISTS)
	}
	other := &wagate.Session{SessionID: "beta"}
	if err := b.CreateSession(ctx, other); err != nil {
		t.Fatal(err)
	}
	if other.ID <= s.ID {
		t.Fatalf("B allocated ID %d after A's %d: want one counter for both", other.ID, s.ID)
	}

	name2, connected := "renamed", wagate.StatusConnected
	if _, err := b.UpdateSession(ctx, "alpha", wagate.SessionUpdate{Name: &name2, Status: &connected}); err != nil {
		t.Fatal(err)
	}
	got, err := a.FindSession(ctx, "alpha")
	if err != nil || got.Name != "renamed" || got.Status != wagate.StatusConnected {
		t.Fatalf("A FindSession after B's update = %+v, %v", got, err)
	}
	list, total, err := a.ListSessions(ctx, wagate.SessionFilter{Status: wagate.StatusConnected})
	if err != nil || total != 1 || len(list) != 1 || list[0].SessionID != "alpha" {
		t.Fatalf("A ListSessions(connected) after B's update = %d sessions, total %d, %v", len(list), total, err)
	}

	if err := a.DeleteSession(ctx, "alpha"); err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{"alpha", strconv.FormatInt(s.ID, 10)} {
		if _, err := b.FindSession(ctx, key); wagate.ErrorCode(err) != wagate.ENOSESSION {
			t.Fatalf("B FindSession(%q) after A deleted it = %v, want %s", key, err, wagate.ENOSESSION)
		}
	}
	if _, err := b.UpdateSession(ctx, "alpha", wagate.SessionUpdate{Name: &name2}); wagate.ErrorCode(err) != wagate.ENOSESSION {
		t.Fatalf("B UpdateSession after A deleted it = %v, want %s", err, wagate.ENOSESSION)
	}
}

// Concurrent updates of different fields through two stores both land:
// the optimistic version check makes the loser re-read and re-apply.
func TestSessionStoreConcurrentUpdates(t *testing.T) {
	t.Parallel()
	name := MustCreateTable(t)
	a := dynamo.NewSessionStore(dynamo.NewTable(newClient(t), name))
	b := dynamo.NewSessionStore(dynamo.NewTable(newClient(t), name))
	ctx := t.Context()
	if err := a.CreateSession(ctx, &wagate.Session{SessionID: "alpha"}); err != nil {
		t.Fatal(err)
	}
	const n = 5
	errs := make(chan error, 2*n)
	for i := range n {
		go func() {
			v := strconv.Itoa(i)
			_, err := a.UpdateSession(ctx, "alpha", wagate.SessionUpdate{Name: &v})
			errs <- err
		}()
		go func() {
			auto := true
			_, err := b.UpdateSession(ctx, "alpha", wagate.SessionUpdate{AutoConnect: &auto})
			errs <- err
		}()
	}
	for range 2 * n {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	got, err := b.FindSession(ctx, "alpha")
	if err != nil || got.Name == "" || !got.AutoConnect {
		t.Fatalf("after concurrent updates: %+v, %v; want a name and AutoConnect", got, err)
	}
}
