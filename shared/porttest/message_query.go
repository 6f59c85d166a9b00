package porttest

import (
	"maps"
	"testing"
	"time"

	wagate "github.com/wagate/wagate/shared"
)

func messageStats(t *testing.T, open func(t *testing.T) wagate.MessageStore) {
	cet := time.FixedZone("CET", 3600)
	seed := func(t *testing.T) wagate.MessageStore {
		st := open(t)
		for _, m := range []struct {
			spec   msgSpec
			status wagate.MessageStatus
			ts     time.Time
		}{
			// 00:30 CET is still the 10th in UTC
			{msgSpec{session: "s1", id: "a", chat: "c1"}, wagate.StatusReceived, time.Date(2025, 3, 11, 0, 30, 0, 0, cet)},
			{msgSpec{session: "s1", id: "b", chat: "c1", fromMe: true}, wagate.StatusSent, time.Date(2025, 3, 11, 0, 10, 0, 0, time.UTC)},
			{msgSpec{session: "s1", id: "c", chat: "c2", fromMe: true, typ: wagate.TypeImage}, wagate.StatusDelivered, time.Date(2025, 3, 11, 10, 0, 0, 0, time.UTC)},
			{msgSpec{session: "s1", id: "d", chat: "c2", typ: wagate.TypeImage}, wagate.StatusReceived, time.Date(2025, 3, 12, 9, 0, 0, 0, time.UTC)},
			{msgSpec{session: "s1", id: "e", chat: "c1", fromMe: true}, wagate.StatusFailed, time.Date(2025, 3, 13, 9, 0, 0, 0, time.UTC)},
			{msgSpec{session: "s1", id: "f", chat: "c1"}, wagate.StatusReceived, time.Date(2025, 3, 9, 9, 0, 0, 0, time.UTC)},
			{msgSpec{session: "s2", id: "g", chat: "c1"}, wagate.StatusReceived, time.Date(2025, 3, 11, 9, 0, 0, 0, time.UTC)},
		} {
			msg := newMsg(m.spec)
			msg.Status, msg.Timestamp = m.status, m.ts
			insert(t, st, msg)
		}
		return st
	}

	t.Run("Range", func(t *testing.T) {
		st := seed(t)
		since := time.Date(2025, 3, 10, 23, 30, 0, 0, time.UTC) // a, inclusive
		until := time.Date(2025, 3, 12, 9, 0, 0, 0, time.UTC)   // d, inclusive
		got, err := st.Stats(t.Context(), "s1", since, until)
		must(t, err)
		compareStats(t, got, &wagate.MessageStats{
			Total: 4, Sent: 2, Received: 2,
			ByType:   map[wagate.MessageType]int{wagate.TypeText: 2, wagate.TypeImage: 2},
			ByStatus: map[wagate.MessageStatus]int{wagate.StatusReceived: 2, wagate.StatusSent: 1, wagate.StatusDelivered: 1},
			ByDay:    map[string]int{"2025-03-10": 1, "2025-03-11": 2, "2025-03-12": 1},
		})
	})

	t.Run("Unbounded", func(t *testing.T) {
		st := seed(t)
		got, err := st.Stats(t.Context(), "s1", time.Time{}, time.Time{})
		must(t, err)
		compareStats(t, got, &wagate.MessageStats{
			Total: 6, Sent: 3, Received: 3,
			ByType:   map[wagate.MessageType]int{wagate.TypeText: 4, wagate.TypeImage: 2},
			ByStatus: map[wagate.MessageStatus]int{wagate.StatusReceived: 3, wagate.StatusSent: 1, wagate.StatusDelivered: 1, wagate.StatusFailed: 1},
			ByDay:    map[string]int{"2025-03-09": 1, "2025-03-10": 1, "2025-03-11": 2, "2025-03-12": 1, "2025-03-13": 1},
		})
	})

	t.Run("Empty", func(t *testing.T) {
		st := open(t)
		got, err := st.Stats(t.Context(), "s1", time.Time{}, time.Time{})
		must(t, err)
		compareStats(t, got, &wagate.MessageStats{})
	})
}

// compareStats fails t unless got matches want (nil maps and zero entries
// count as absent).
func compareStats(t *testing.T, got, want *wagate.MessageStats) {
	t.Helper()
	if got.Total != want.Total || got.Sent != want.Sent || got.Received != want.Received ||
		!maps.Equal(nonZero(got.ByType), nonZero(want.ByType)) ||
		!maps.Equal(nonZero(got.ByStatus), nonZero(want.ByStatus)) ||
		!maps.Equal(nonZero(got.ByDay), nonZero(want.ByDay)) {
		t.Fatalf("Stats =\n %+v\nwant\n %+v", *got, *want)
	}
}

func nonZero[K comparable](m map[K]int) map[K]int {
	out := map[K]int{}
	for k, v := range m {
		if v != 0 {
			out[k] = v
		}
	}
	return out
}

func messageListUnread(t *testing.T, open func(t *testing.T) wagate.MessageStore) {
	st := open(t)
	for _, spec := range []msgSpec{
		{session: "s1", id: "u1", chat: "c1", sec: 1},
		{session: "s1", id: "u2", chat: "c2", sec: 5, typ: wagate.TypeImage},
		{session: "s1", id: "h", chat: "c1", sec: 6, history: true},
		{session: "s1", id: "o", chat: "c1", sec: 8, fromMe: true},
		{session: "s1", id: "s", chat: "c1", sec: 9, seen: true},
		{session: "s2", id: "v1", chat: "c1", sec: 3},
		{session: "s2", id: "v2", chat: "c3", sec: 7},
	} {
		insert(t, st, newMsg(spec))
	}
	sessionOf := map[string]string{"u1": "s1", "u2": "s1", "v1": "s2", "v2": "s2"}
	for _, tc := range []struct {
		name          string
		offset, limit int
		want          []string
	}{
		{"All", 0, 10, []string{"v2", "u2", "v1", "u1"}},
		{"Page", 1, 2, []string{"u2", "v1"}},
		{"PastEnd", 4, 10, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, total, err := st.ListUnread(t.Context(), tc.offset, tc.limit)
			must(t, err)
			if ids := waIDs(got); !sameStrings(ids, tc.want) || total != 4 {
				t.Fatalf("ListUnread(%d, %d) = %v, total %d; want %v, total 4", tc.offset, tc.limit, ids, total, tc.want)
			}
			for _, m := range got {
				if want := sessionOf[m.WhatsAppID]; m.SessionID != want {
					t.Errorf("message %s has SessionID %q, want %q", m.WhatsAppID, m.SessionID, want)
				}
			}
		})
	}
}

func messageDeleteSession(t *testing.T, open func(t *testing.T) wagate.MessageStore) {
	t.Run("OK", func(t *testing.T) {
		st := open(t)
		for _, spec := range []msgSpec{
			{session: "s1", id: "A", chat: "c1", sec: 1},
			{session: "s1", id: "B", chat: "c2", sec: 2, typ: wagate.TypeImage},
			{session: "s1", id: "C", chat: "c1", sec: 3, fromMe: true},
			{session: "s2", id: "A", chat: "c1", sec: 4},
			{session: "s2", id: "D", chat: "c1", sec: 5},
		} {
			insert(t, st, newMsg(spec))
		}
		must(t, st.DeleteSessionMessages(t.Context(), "s1"))

		for _, key := range []string{"A", "B", "C"} {
			_, err := st.FindMessage(t.Context(), "s1", key)
			wantCode(t, err, wagate.ENOTFOUND)
		}
		yes := true
		for _, f := range []wagate.MessageFilter{{}, {ChatID: "c1"}, {Type: wagate.TypeImage}, {FromMe: &yes}, {ChatID: "c1", FromMe: &yes}} {
			f.SessionID, f.Limit = "s1", 10
			list, total, err := st.ListMessages(t.Context(), f)
			must(t, err)
			if len(list) != 0 || total != 0 {
				t.Fatalf("after delete: ListMessages(%+v) = %v, total %d", f, waIDs(list), total)
			}
		}
		chats, total, err := st.ListChats(t.Context(), "s1", 0, 10)
		must(t, err)
		if len(chats) != 0 || total != 0 {
			t.Fatalf("after delete: ListChats = %d chats, total %d", len(chats), total)
		}
		unread, total, err := st.ListUnread(t.Context(), 0, 10)
		must(t, err)
		if ids := waIDs(unread); !sameStrings(ids, []string{"D", "A"}) || total != 2 || unread[1].SessionID != "s2" {
			t.Fatalf("after delete: ListUnread = %v, total %d; want s2's D, A", ids, total)
		}
		expectTotals(t, st, "s2", "c1", 2, 2)
		if s, err := st.Stats(t.Context(), "s1", time.Time{}, time.Time{}); err != nil || s.Total != 0 {
			t.Fatalf("after delete: Stats total = %+v, %v; want 0", s, err)
		}

		insert(t, st, newMsg(msgSpec{session: "s1", id: "A", chat: "c1", sec: 10}))
		expectTotals(t, st, "s1", "c1", 1, 1)
		if c := findChat(t, st, "s1", "c1"); c.UnreadCount != 1 {
			t.Fatalf("recreated chat UnreadCount = %d, want 1", c.UnreadCount)
		}
	})

	t.Run("NothingStored", func(t *testing.T) {
		st := open(t)
		must(t, st.DeleteSessionMessages(t.Context(), "s1"))
	})
}
