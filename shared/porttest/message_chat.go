package porttest

import (
	"slices"
	"testing"

	wagate "github.com/wagate/wagate/shared"
)

func messageChats(t *testing.T, open func(t *testing.T) wagate.MessageStore) {
	t.Run("Counts", func(t *testing.T) {
		st := open(t)
		for _, spec := range []msgSpec{
			{id: "live", chat: "c1", sec: 1},
			{id: "history", chat: "c1", sec: 2, history: true},
			{id: "seen", chat: "c1", sec: 3, seen: true},
			{id: "mine", chat: "c1", sec: 4, fromMe: true},
			{id: "c2a", chat: "c2", sec: 5},
			{id: "c2b", chat: "c2", sec: 6, typ: wagate.TypeImage},
		} {
			spec.session = "s1"
			insert(t, st, newMsg(spec))
		}
		for chat, want := range map[string][2]int{"c1": {1, 4}, "c2": {2, 2}} {
			c := findChat(t, st, "s1", chat)
			if c == nil || c.UnreadCount != want[0] || c.TotalMessages != want[1] {
				t.Errorf("chat %s = %+v; want UnreadCount %d, TotalMessages %d", chat, c, want[0], want[1])
			}
		}
	})

	t.Run("Name", func(t *testing.T) {
		st := open(t)
		for _, spec := range []msgSpec{
			{id: "out", chat: "c1", sec: 1, fromMe: true, name: "Me myself"},
			{id: "in1", chat: "c1", sec: 2, name: "Ana"},
			{id: "in2", chat: "c1", sec: 3, name: "Ana renamed"},
			{id: "g1", chat: "g1@g.us", sec: 4, group: true, name: "Bob in a group"},
			{id: "c2", chat: "c2", sec: 5},
		} {
			spec.session = "s1"
			insert(t, st, newMsg(spec))
		}
		for chat, want := range map[string]struct {
			name    string
			isGroup bool
		}{"c1": {"Ana", false}, "g1@g.us": {"", true}, "c2": {"", false}} {
			c := findChat(t, st, "s1", chat)
			if c == nil || c.Name != want.name || c.IsGroup != want.isGroup {
				t.Errorf("chat %s = %+v; want Name %q, IsGroup %v", chat, c, want.name, want.isGroup)
			}
		}
	})

	t.Run("LastMessageMovesForwardOnly", func(t *testing.T) {
		st := open(t)
		expectLast := func(want *wagate.Message) {
			t.Helper()
			c := findChat(t, st, "s1", "c1")
			if c == nil || c.LastMessage == nil {
				t.Fatalf("chat c1 = %+v, want a last message", c)
			}
			compareMessage(t, c.LastMessage, want)
		}
		m10 := insert(t, st, newMsg(msgSpec{session: "s1", id: "m10", chat: "c1", sec: 10, fromMe: true}))
		expectLast(m10)
		insert(t, st, newMsg(msgSpec{session: "s1", id: "m5", chat: "c1", sec: 5, history: true}))
		expectLast(m10)
		insert(t, st, newMsg(msgSpec{session: "s1", id: "m7", chat: "c1", sec: 7}))
		expectLast(m10)
		m20 := insert(t, st, newMsg(msgSpec{session: "s1", id: "m20", chat: "c1", sec: 20}))
		expectLast(m20)
		if c := findChat(t, st, "s1", "c1"); c.TotalMessages != 4 {
			t.Fatalf("TotalMessages = %d, want 4", c.TotalMessages)
		}
	})

	t.Run("ListByActivity", func(t *testing.T) {
		st := open(t)
		for _, spec := range []msgSpec{
			{session: "s1", id: "a", chat: "c1", sec: 10},
			{session: "s1", id: "b", chat: "c2", sec: 30},
			{session: "s1", id: "c", chat: "c3", sec: 7},
			{session: "s1", id: "d", chat: "c1", sec: 5}, // older: c1's activity stays at 10
			{session: "s2", id: "e", chat: "c9", sec: 40},
		} {
			insert(t, st, newMsg(spec))
		}
		for _, tc := range []struct {
			name          string
			offset, limit int
			want          []string
		}{
			{"All", 0, 10, []string{"c2", "c1", "c3"}},
			{"Limit", 0, 2, []string{"c2", "c1"}},
			{"Offset", 1, 1, []string{"c1"}},
			{"PastEnd", 5, 10, nil},
		} {
			t.Run(tc.name, func(t *testing.T) {
				chats, total, err := st.ListChats(t.Context(), "s1", tc.offset, tc.limit)
				must(t, err)
				var ids []string
				for _, c := range chats {
					ids = append(ids, c.ChatID)
					if c.SessionID != "s1" {
						t.Errorf("chat %s has SessionID %q", c.ChatID, c.SessionID)
					}
				}
				if !sameStrings(ids, tc.want) || total != 3 {
					t.Fatalf("ListChats(%d, %d) = %v, total %d; want %v, total 3", tc.offset, tc.limit, ids, total, tc.want)
				}
			})
		}
	})

	t.Run("Empty", func(t *testing.T) {
		st := open(t)
		chats, total, err := st.ListChats(t.Context(), "s1", 0, 10)
		must(t, err)
		if len(chats) != 0 || total != 0 {
			t.Fatalf("ListChats on an empty store = %d chats, total %d", len(chats), total)
		}
	})
}

func messageMarkChatRead(t *testing.T, open func(t *testing.T) wagate.MessageStore) {
	t.Run("OK", func(t *testing.T) {
		st := open(t)
		for _, spec := range []msgSpec{
			{id: "A", chat: "c1", sec: 1},
			{id: "B", chat: "c1", sec: 2, typ: wagate.TypeAudio},
			{id: "H", chat: "c1", sec: 3, history: true},
			{id: "O", chat: "c1", sec: 4, fromMe: true},
			{id: "S", chat: "c1", sec: 5, seen: true},
			{id: "C", chat: "c2", sec: 6},
		} {
			spec.session = "s1"
			insert(t, st, newMsg(spec))
		}
		insert(t, st, newMsg(msgSpec{session: "s2", id: "A", chat: "c1", sec: 7}))

		read, err := st.MarkChatRead(t.Context(), "s1", "c1")
		must(t, err)
		ids := waIDs(read)
		slices.Sort(ids)
		if !sameStrings(ids, []string{"A", "B"}) {
			t.Fatalf("MarkChatRead returned %v, want A, B", ids)
		}
		for _, m := range read {
			if !m.Seen || m.SessionID != "s1" || m.ChatID != "c1" {
				t.Errorf("returned message %s: Seen %v, session %s, chat %s", m.WhatsAppID, m.Seen, m.SessionID, m.ChatID)
			}
		}
		for key, seen := range map[string]bool{"A": true, "B": true, "H": false, "C": false} {
			m, err := st.FindMessage(t.Context(), "s1", key)
			must(t, err)
			if m.Seen != seen {
				t.Errorf("message %s: Seen = %v, want %v", key, m.Seen, seen)
			}
		}
		if c := findChat(t, st, "s1", "c1"); c.UnreadCount != 0 || c.TotalMessages != 5 {
			t.Errorf("chat c1 = %+v, want UnreadCount 0, TotalMessages 5", c)
		}
		if c := findChat(t, st, "s1", "c2"); c.UnreadCount != 1 {
			t.Errorf("chat c2 UnreadCount = %d, want 1", c.UnreadCount)
		}
		if c := findChat(t, st, "s2", "c1"); c.UnreadCount != 1 {
			t.Errorf("chat c1 of s2 UnreadCount = %d, want 1", c.UnreadCount)
		}
		unread, total, err := st.ListUnread(t.Context(), 0, 10)
		must(t, err)
		if got := waIDs(unread); !sameStrings(got, []string{"A", "C"}) || total != 2 {
			t.Fatalf("ListUnread after MarkChatRead = %v, total %d; want [A (s2) C], total 2", got, total)
		}
	})

	t.Run("AgainReturnsNothing", func(t *testing.T) {
		st := open(t)
		insert(t, st, newMsg(msgSpec{session: "s1", id: "A", chat: "c1", sec: 1}))
		_, err := st.MarkChatRead(t.Context(), "s1", "c1")
		must(t, err)
		read, err := st.MarkChatRead(t.Context(), "s1", "c1")
		must(t, err)
		if len(read) != 0 {
			t.Fatalf("second MarkChatRead returned %v, want none", waIDs(read))
		}
		insert(t, st, newMsg(msgSpec{session: "s1", id: "B", chat: "c1", sec: 2}))
		if c := findChat(t, st, "s1", "c1"); c.UnreadCount != 1 {
			t.Fatalf("a new message after MarkChatRead: UnreadCount = %d, want 1", c.UnreadCount)
		}
		read, err = st.MarkChatRead(t.Context(), "s1", "c1")
		must(t, err)
		if got := waIDs(read); !sameStrings(got, []string{"B"}) {
			t.Fatalf("MarkChatRead returned %v, want [B]", got)
		}
	})
}
