package porttest

import (
	"encoding/json"
	"testing"
	"time"

	wagate "github.com/wagate/wagate/shared"
)

// CommandResultStore runs the conformance suite of wagate.CommandResultStore.
func CommandResultStore(t *testing.T, open func(t *testing.T) wagate.CommandResultStore) {
	now := time.Now().UTC().Truncate(time.Millisecond)

	t.Run("PendingThenDone", func(t *testing.T) {
		st := open(t)
		pending := &wagate.CommandResult{ID: "c1", SessionID: "s1", Type: "group.create", Status: wagate.CommandPending,
			CreatedAt: now, ExpiresAt: now.Add(time.Hour)}
		must(t, st.PutCommandResult(t.Context(), pending))
		compareCommandResult(t, getCommandResult(t, st, "c1"), pending)

		done := *pending
		done.Status, done.Result, done.CompletedAt = wagate.CommandDone, json.RawMessage(`{"group":{"jid":"1@g.us"}}`), now.Add(time.Second)
		must(t, st.PutCommandResult(t.Context(), &done))
		compareCommandResult(t, getCommandResult(t, st, "c1"), &done)

		// a late pending write (a retried request) never hides the answer
		must(t, st.PutCommandResult(t.Context(), pending))
		compareCommandResult(t, getCommandResult(t, st, "c1"), &done)
	})

	t.Run("Failed", func(t *testing.T) {
		st := open(t)
		failed := &wagate.CommandResult{ID: "c2", SessionID: "s1", Type: "group.info", Status: wagate.CommandFailed,
			ErrCode: wagate.ENOTFOUND, ErrMessage: "no such group", CreatedAt: now, CompletedAt: now, ExpiresAt: now.Add(time.Hour)}
		must(t, st.PutCommandResult(t.Context(), failed))
		got := getCommandResult(t, st, "c2")
		compareCommandResult(t, got, failed)
		wantCode(t, got.Err(), wagate.ENOTFOUND)
	})

	t.Run("ErrNotFound", func(t *testing.T) {
		st := open(t)
		_, err := st.GetCommandResult(t.Context(), "nope")
		wantCode(t, err, wagate.ENOTFOUND)
	})

	t.Run("ErrInvalid", func(t *testing.T) {
		st := open(t)
		wantCode(t, st.PutCommandResult(t.Context(), &wagate.CommandResult{Status: wagate.CommandPending}), wagate.EINVALID)
		wantCode(t, st.PutCommandResult(t.Context(), &wagate.CommandResult{ID: "x", Status: "weird"}), wagate.EINVALID)
	})

	t.Run("Expiry", func(t *testing.T) {
		st := open(t)
		old := &wagate.CommandResult{ID: "old", Status: wagate.CommandDone, CreatedAt: now.Add(-2 * time.Hour), ExpiresAt: now.Add(-time.Hour)}
		fresh := &wagate.CommandResult{ID: "fresh", Status: wagate.CommandPending, CreatedAt: now, ExpiresAt: now.Add(time.Hour)}
		must(t, st.PutCommandResult(t.Context(), old))
		must(t, st.PutCommandResult(t.Context(), fresh))
		_, err := st.GetCommandResult(t.Context(), "old")
		wantCode(t, err, wagate.ENOTFOUND)
		n, err := st.DeleteExpiredCommandResults(t.Context(), now)
		must(t, err)
		if n != 1 {
			t.Fatalf("DeleteExpiredCommandResults = %d, want 1", n)
		}
		getCommandResult(t, st, "fresh")
	})
}

func getCommandResult(t *testing.T, st wagate.CommandResultStore, id string) *wagate.CommandResult {
	t.Helper()
	r, err := st.GetCommandResult(t.Context(), id)
	must(t, err)
	return r
}

func compareCommandResult(t *testing.T, got, want *wagate.CommandResult) {
	t.Helper()
	if !sameTime(got.CreatedAt, want.CreatedAt) || !sameTime(got.CompletedAt, want.CompletedAt) || !sameTime(got.ExpiresAt, want.ExpiresAt) {
		t.Errorf("command %s: times %v %v %v, want %v %v %v", want.ID, got.CreatedAt, got.CompletedAt, got.ExpiresAt,
			want.CreatedAt, want.CompletedAt, want.ExpiresAt)
	}
	if !sameJSON(got.Result, want.Result) {
		t.Errorf("command %s: result %s, want %s", want.ID, got.Result, want.Result)
	}
	if got.ID != want.ID || got.SessionID != want.SessionID || got.Type != want.Type || got.Status != want.Status ||
		got.ErrCode != want.ErrCode || got.ErrMessage != want.ErrMessage {
		t.Errorf("command %s:\n got  %+v\n want %+v", want.ID, got, want)
	}
}
