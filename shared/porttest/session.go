package porttest

import (
	"fmt"
	"strconv"
	"sync"
	"testing"
	"time"

	wagate "github.com/wagate/wagate/shared"
)

// SessionStore runs the conformance suite of wagate.SessionStore.
func SessionStore(t *testing.T, open func(t *testing.T) wagate.SessionStore) {
	t.Run("Create", func(t *testing.T) { sessionCreate(t, open) })
	t.Run("Find", func(t *testing.T) { sessionFind(t, open) })
	t.Run("List", func(t *testing.T) { sessionList(t, open) })
	t.Run("Update", func(t *testing.T) { sessionUpdate(t, open) })
	t.Run("Delete", func(t *testing.T) { sessionDelete(t, open) })
}

func sessionCreate(t *testing.T, open func(t *testing.T) wagate.SessionStore) {
	t.Run("OK", func(t *testing.T) {
		st := open(t)
		before := time.Now()
		s := fullSession("alpha")
		must(t, st.CreateSession(t.Context(), s))
		if s.ID <= 0 {
			t.Fatalf("ID = %d, want > 0", s.ID)
		}
		for name, at := range map[string]time.Time{"CreatedAt": s.CreatedAt, "UpdatedAt": s.UpdatedAt} {
			if at.Before(before.Add(-time.Second)) || at.After(time.Now().Add(time.Second)) {
				t.Errorf("%s = %v, want about now", name, at)
			}
		}
		got, err := st.FindSession(t.Context(), "alpha")
		must(t, err)
		compareSession(t, got, s)
	})

	t.Run("ErrSessionExists", func(t *testing.T) {
		st := open(t)
		must(t, st.CreateSession(t.Context(), &wagate.Session{SessionID: "alpha", Name: "first"}))
		err := st.CreateSession(t.Context(), &wagate.Session{SessionID: "alpha", Name: "second"})
		wantCode(t, err, wagate.ESESSIONEXISTS)
		got, err := st.FindSession(t.Context(), "alpha")
		must(t, err)
		if got.Name != "first" {
			t.Fatalf("Name = %q after the refused create, want %q", got.Name, "first")
		}
		if _, total, err := st.ListSessions(t.Context(), wagate.SessionFilter{}); err != nil || total != 1 {
			t.Fatalf("ListSessions total = %d, %v; want 1", total, err)
		}
	})

	t.Run("MonotonicIDs", func(t *testing.T) {
		st := open(t)
		var last int64
		for i := range 5 {
			s := &wagate.Session{SessionID: fmt.Sprintf("s%d", i)}
			must(t, st.CreateSession(t.Context(), s))
			if s.ID <= last {
				t.Fatalf("session %d got ID %d after %d, want increasing", i, s.ID, last)
			}
			last = s.ID
		}
		must(t, st.DeleteSession(t.Context(), "s4"))
		s := &wagate.Session{SessionID: "after-delete"}
		must(t, st.CreateSession(t.Context(), s))
		if s.ID <= last {
			t.Fatalf("ID %d after deleting the session with ID %d: ids must never be reused", s.ID, last)
		}
	})

	t.Run("Concurrent", func(t *testing.T) {
		st := open(t)
		const n = 20
		ids := make([]int64, n)
		var wg sync.WaitGroup
		for i := range n {
			wg.Go(func() {
				s := &wagate.Session{SessionID: fmt.Sprintf("c%d", i)}
				if err := st.CreateSession(t.Context(), s); err != nil {
					t.Error(err)
				}
				ids[i] = s.ID
			})
		}
		wg.Wait()
		seen := map[int64]bool{}
		for _, id := range ids {
			if id <= 0 || seen[id] {
				t.Fatalf("ids %v: want distinct positive ids", ids)
			}
			seen[id] = true
		}
	})

	t.Run("InputNotRetained", func(t *testing.T) {
		st := open(t)
		s := fullSession("alpha")
		must(t, st.CreateSession(t.Context(), s))
		s.Name = "changed"
		s.Webhook.Events[0] = "changed"
		got, err := st.FindSession(t.Context(), "alpha")
		must(t, err)
		if got.Name == "changed" || got.Webhook.Events[0] == "changed" {
			t.Fatal("the store kept a reference to the session passed to CreateSession")
		}
	})
}

func sessionFind(t *testing.T, open func(t *testing.T) wagate.SessionStore) {
	t.Run("ByNumericID", func(t *testing.T) {
		st := open(t)
		a, b := fullSession("alpha"), fullSession("beta")
		must(t, st.CreateSession(t.Context(), a))
		must(t, st.CreateSession(t.Context(), b))
		for _, want := range []*wagate.Session{a, b} {
			got, err := st.FindSession(t.Context(), strconv.FormatInt(want.ID, 10))
			must(t, err)
			compareSession(t, got, want)
		}
	})

	t.Run("ErrNoSession", func(t *testing.T) {
		st := open(t)
		s := &wagate.Session{SessionID: "alpha"}
		must(t, st.CreateSession(t.Context(), s))
		for _, key := range []string{"beta", strconv.FormatInt(s.ID+1000, 10), "", "0", "-1"} {
			_, err := st.FindSession(t.Context(), key)
			wantCode(t, err, wagate.ENOSESSION)
		}
	})

	t.Run("ReturnsCopy", func(t *testing.T) {
		st := open(t)
		must(t, st.CreateSession(t.Context(), fullSession("alpha")))
		got, err := st.FindSession(t.Context(), "alpha")
		must(t, err)
		got.Name = "changed"
		got.Webhook.Events[0] = "changed"
		again, err := st.FindSession(t.Context(), "alpha")
		must(t, err)
		if again.Name == "changed" || again.Webhook.Events[0] == "changed" {
			t.Fatal("changing a returned session changed the stored one")
		}
	})
}

func sessionList(t *testing.T, open func(t *testing.T) wagate.SessionStore) {
	// seed creates s1..s6: statuses cycle connected, qr_code, disconnected;
	// AutoConnect on the even ones.
	seed := func(t *testing.T) (wagate.SessionStore, []*wagate.Session) {
		st := open(t)
		statuses := []wagate.Status{wagate.StatusConnected, wagate.StatusQRCode, wagate.StatusDisconnected}
		var all []*wagate.Session
		for i := range 6 {
			s := &wagate.Session{SessionID: fmt.Sprintf("s%d", i+1), Status: statuses[i%3], AutoConnect: (i+1)%2 == 0}
			must(t, st.CreateSession(t.Context(), s))
			all = append(all, s)
		}
		return st, all
	}
	yes, no := true, false
	pick := func(all []*wagate.Session, idx ...int) []string {
		var ids []string
		for _, i := range idx {
			ids = append(ids, all[i].SessionID)
		}
		return ids
	}
	for _, tc := range []struct {
		name      string
		filter    wagate.SessionFilter
		want      []int // indexes into the seeded sessions
		wantTotal int
	}{
		{"OK", wagate.SessionFilter{}, []int{0, 1, 2, 3, 4, 5}, 6},
		{"FilterStatus", wagate.SessionFilter{Status: wagate.StatusConnected}, []int{0, 3}, 2},
		{"FilterAutoConnect", wagate.SessionFilter{AutoConnect: &yes}, []int{1, 3, 5}, 3},
		{"FilterAutoConnectFalse", wagate.SessionFilter{AutoConnect: &no}, []int{0, 2, 4}, 3},
		{"FilterBoth", wagate.SessionFilter{Status: wagate.StatusQRCode, AutoConnect: &yes}, []int{1}, 1},
		{"FilterNone", wagate.SessionFilter{Status: wagate.StatusConnecting}, nil, 0},
		{"Limit", wagate.SessionFilter{Limit: 2}, []int{0, 1}, 6},
		{"Offset", wagate.SessionFilter{Offset: 4}, []int{4, 5}, 6},
		{"OffsetLimit", wagate.SessionFilter{Offset: 2, Limit: 3}, []int{2, 3, 4}, 6},
		{"OffsetPastEnd", wagate.SessionFilter{Offset: 10, Limit: 3}, nil, 6},
		{"FilterPage", wagate.SessionFilter{AutoConnect: &yes, Offset: 1, Limit: 1}, []int{3}, 3},
	} {
		t.Run(tc.name, func(t *testing.T) {
			st, all := seed(t)
			got, total, err := st.ListSessions(t.Context(), tc.filter)
			must(t, err)
			var gotIDs []string
			for _, s := range got {
				gotIDs = append(gotIDs, s.SessionID)
			}
			if want := pick(all, tc.want...); !sameStrings(gotIDs, want) || total != tc.wantTotal {
				t.Fatalf("ListSessions(%+v) = %v, total %d; want %v, total %d", tc.filter, gotIDs, total, want, tc.wantTotal)
			}
			for _, s := range got {
				compareSession(t, s, all[indexOf(all, s.SessionID)])
			}
		})
	}
}

func sessionDelete(t *testing.T, open func(t *testing.T) wagate.SessionStore) {
	t.Run("OK", func(t *testing.T) {
		st := open(t)
		a, b := &wagate.Session{SessionID: "alpha"}, &wagate.Session{SessionID: "beta"}
		must(t, st.CreateSession(t.Context(), a))
		must(t, st.CreateSession(t.Context(), b))
		must(t, st.DeleteSession(t.Context(), "alpha"))
		for _, key := range []string{"alpha", strconv.FormatInt(a.ID, 10)} {
			_, err := st.FindSession(t.Context(), key)
			wantCode(t, err, wagate.ENOSESSION)
		}
		list, total, err := st.ListSessions(t.Context(), wagate.SessionFilter{})
		must(t, err)
		if total != 1 || len(list) != 1 || list[0].SessionID != "beta" {
			t.Fatalf("after delete: ListSessions = %d sessions, total %d; want only beta", len(list), total)
		}
		_, err = st.UpdateSession(t.Context(), "alpha", wagate.SessionUpdate{})
		wantCode(t, err, wagate.ENOSESSION)
	})

	t.Run("ErrNoSession", func(t *testing.T) {
		st := open(t)
		wantCode(t, st.DeleteSession(t.Context(), "alpha"), wagate.ENOSESSION)
		must(t, st.CreateSession(t.Context(), &wagate.Session{SessionID: "alpha"}))
		must(t, st.DeleteSession(t.Context(), "alpha"))
		wantCode(t, st.DeleteSession(t.Context(), "alpha"), wagate.ENOSESSION)
	})

	t.Run("SessionIDReusable", func(t *testing.T) {
		st := open(t)
		old := &wagate.Session{SessionID: "alpha", Name: "old"}
		must(t, st.CreateSession(t.Context(), old))
		must(t, st.DeleteSession(t.Context(), "alpha"))
		s := &wagate.Session{SessionID: "alpha", Name: "new"}
		must(t, st.CreateSession(t.Context(), s))
		if s.ID <= old.ID {
			t.Fatalf("recreated session got ID %d, want > %d", s.ID, old.ID)
		}
		got, err := st.FindSession(t.Context(), "alpha")
		must(t, err)
		if got.ID != s.ID || got.Name != "new" {
			t.Fatalf("FindSession = id %d name %q; want id %d name new", got.ID, got.Name, s.ID)
		}
		_, err = st.FindSession(t.Context(), strconv.FormatInt(old.ID, 10))
		wantCode(t, err, wagate.ENOSESSION)
	})
}

func indexOf(all []*wagate.Session, sessionID string) int {
	for i, s := range all {
		if s.SessionID == sessionID {
			return i
		}
	}
	return -1
}
