package porttest

import (
	"fmt"
	"strconv"
	"sync"
	"testing"
	"time"

	wagate "github.com/wagate/wagate/shared"
)

// MessageStore runs the conformance suite of wagate.MessageStore.
func MessageStore(t *testing.T, open func(t *testing.T) wagate.MessageStore) {
	t.Run("Insert", func(t *testing.T) { messageInsert(t, open) })
	t.Run("Find", func(t *testing.T) { messageFind(t, open) })
	t.Run("Update", func(t *testing.T) { messageUpdate(t, open) })
	t.Run("Chats", func(t *testing.T) { messageChats(t, open) })
	t.Run("MarkChatRead", func(t *testing.T) { messageMarkChatRead(t, open) })
	t.Run("List", func(t *testing.T) { messageList(t, open) })
	t.Run("Stats", func(t *testing.T) { messageStats(t, open) })
	t.Run("ListUnread", func(t *testing.T) { messageListUnread(t, open) })
	t.Run("DeleteSessionMessages", func(t *testing.T) { messageDeleteSession(t, open) })
}

func messageInsert(t *testing.T, open func(t *testing.T) wagate.MessageStore) {
	t.Run("OK", func(t *testing.T) {
		st := open(t)
		before := time.Now()
		m := fullMessage("s1", "3EB0A1", "34600000002@s.whatsapp.net")
		got, created, err := st.InsertMessage(t.Context(), m)
		must(t, err)
		if !created || got.ID <= 0 {
			t.Fatalf("InsertMessage = ID %d, created %v; want a positive ID, created", got.ID, created)
		}
		if got.CreatedAt.Before(before.Add(-time.Second)) || got.CreatedAt.After(time.Now().Add(time.Second)) {
			t.Errorf("CreatedAt = %v, want about now", got.CreatedAt)
		}
		compareMessage(t, got, m)
		for _, key := range []string{"3EB0A1", strconv.FormatInt(got.ID, 10)} {
			found, err := st.FindMessage(t.Context(), "s1", key)
			must(t, err)
			compareMessage(t, found, got)
		}
	})

	t.Run("RoundTripMinimal", func(t *testing.T) {
		st := open(t)
		m := &wagate.Message{SessionID: "s1", WhatsAppID: "3EB0A1", ChatID: "34600000002@s.whatsapp.net",
			Type: wagate.TypeText, Status: wagate.StatusReceived, Timestamp: at(0)}
		got := insert(t, st, m)
		found, err := st.FindMessage(t.Context(), "s1", "3EB0A1")
		must(t, err)
		compareMessage(t, found, got)
		compareMessage(t, found, m)
		if found.Media != nil || found.Location != nil || found.Reaction != nil || len(found.Contacts) != 0 {
			t.Fatalf("absent parts read back as media %v, location %v, reaction %v, contacts %v",
				found.Media, found.Location, found.Reaction, found.Contacts)
		}
	})

	t.Run("IdempotentWhatsAppID", func(t *testing.T) {
		st := open(t)
		first := insert(t, st, newMsg(msgSpec{session: "s1", id: "A", chat: "c1", sec: 1}))
		again := newMsg(msgSpec{session: "s1", id: "A", chat: "c1", sec: 5})
		again.Body = "second delivery"
		got, created, err := st.InsertMessage(t.Context(), again)
		must(t, err)
		if created {
			t.Fatal("second InsertMessage with the same WhatsApp id: created = true")
		}
		compareMessage(t, got, first)
		expectTotals(t, st, "s1", "c1", 1, 1)
	})

	t.Run("IdempotentKey", func(t *testing.T) {
		st := open(t)
		a := newMsg(msgSpec{session: "s1", id: "A", chat: "c1", sec: 1, fromMe: true})
		a.IdempotencyKey = "k1"
		first := insert(t, st, a)
		b := newMsg(msgSpec{session: "s1", id: "B", chat: "c1", sec: 2, fromMe: true})
		b.IdempotencyKey = "k1"
		got, created, err := st.InsertMessage(t.Context(), b)
		must(t, err)
		if created {
			t.Fatal("InsertMessage with a used idempotency key: created = true")
		}
		compareMessage(t, got, first)
		_, err = st.FindMessage(t.Context(), "s1", "B")
		wantCode(t, err, wagate.ENOTFOUND)
		found, err := st.FindByIdempotencyKey(t.Context(), "s1", "k1")
		must(t, err)
		compareMessage(t, found, first)
		expectTotals(t, st, "s1", "c1", 1, 1)
	})

	t.Run("EmptyKeysDoNotCollide", func(t *testing.T) {
		st := open(t)
		insert(t, st, newMsg(msgSpec{session: "s1", id: "A", chat: "c1", sec: 1}))
		insert(t, st, newMsg(msgSpec{session: "s1", id: "B", chat: "c1", sec: 2}))
		_, err := st.FindByIdempotencyKey(t.Context(), "s1", "")
		wantCode(t, err, wagate.ENOTFOUND)
	})

	t.Run("PerSession", func(t *testing.T) {
		st := open(t)
		for _, s := range []string{"s1", "s2"} {
			m := newMsg(msgSpec{session: s, id: "A", chat: "c1", sec: 1, fromMe: true})
			m.IdempotencyKey = "k1"
			insert(t, st, m)
		}
		for _, s := range []string{"s1", "s2"} {
			found, err := st.FindByIdempotencyKey(t.Context(), s, "k1")
			must(t, err)
			if found.SessionID != s {
				t.Fatalf("FindByIdempotencyKey(%q) = message of session %q", s, found.SessionID)
			}
		}
	})

	t.Run("MonotonicIDs", func(t *testing.T) {
		st := open(t)
		var last int64
		for i := range 5 {
			// timestamps go backwards: ids follow insertion, not time
			got := insert(t, st, newMsg(msgSpec{session: "s1", id: fmt.Sprint("m", i), chat: "c1", sec: 100 - i}))
			if got.ID <= last {
				t.Fatalf("message %d got ID %d after %d, want increasing", i, got.ID, last)
			}
			last = got.ID
		}
	})

	t.Run("Concurrent", func(t *testing.T) {
		st := open(t)
		const n = 10
		var (
			wg      sync.WaitGroup
			mu      sync.Mutex
			created int
			ids     = map[int64]bool{}
		)
		for range n {
			wg.Go(func() {
				got, ok, err := st.InsertMessage(t.Context(), newMsg(msgSpec{session: "s1", id: "A", chat: "c1", sec: 1}))
				if err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				defer mu.Unlock()
				ids[got.ID] = true
				if ok {
					created++
				}
			})
		}
		wg.Wait()
		if created != 1 || len(ids) != 1 {
			t.Fatalf("%d concurrent inserts of one message: %d created, ids %v; want 1 created, one id", n, created, ids)
		}
		expectTotals(t, st, "s1", "c1", 1, 1)
	})

	t.Run("InputNotRetained", func(t *testing.T) {
		st := open(t)
		m := fullMessage("s1", "A", "c1")
		insert(t, st, m)
		m.Body, m.Media.Filename, m.Contacts[0].DisplayName = "changed", "changed", "changed"
		found, err := st.FindMessage(t.Context(), "s1", "A")
		must(t, err)
		if found.Body == "changed" || found.Media.Filename == "changed" || found.Contacts[0].DisplayName == "changed" {
			t.Fatal("the store kept a reference to the message passed to InsertMessage")
		}
	})
}

func messageFind(t *testing.T, open func(t *testing.T) wagate.MessageStore) {
	t.Run("ErrNotFound", func(t *testing.T) {
		st := open(t)
		got := insert(t, st, newMsg(msgSpec{session: "s1", id: "A", chat: "c1", sec: 1}))
		for _, key := range []string{"B", strconv.FormatInt(got.ID+1000, 10), "", "0", "-1"} {
			_, err := st.FindMessage(t.Context(), "s1", key)
			wantCode(t, err, wagate.ENOTFOUND)
		}
		for _, key := range []string{"A", strconv.FormatInt(got.ID, 10)} {
			_, err := st.FindMessage(t.Context(), "s2", key)
			wantCode(t, err, wagate.ENOTFOUND)
		}
		_, err := st.FindByIdempotencyKey(t.Context(), "s1", "nope")
		wantCode(t, err, wagate.ENOTFOUND)
	})

	t.Run("ReturnsCopy", func(t *testing.T) {
		st := open(t)
		insert(t, st, fullMessage("s1", "A", "c1"))
		found, err := st.FindMessage(t.Context(), "s1", "A")
		must(t, err)
		found.Body, found.Media.Filename = "changed", "changed"
		again, err := st.FindMessage(t.Context(), "s1", "A")
		must(t, err)
		if again.Body == "changed" || again.Media.Filename == "changed" {
			t.Fatal("changing a returned message changed the stored one")
		}
	})
}

// expectTotals fails t unless the session holds total messages and the
// chat chatTotal, by ListMessages and by the chat's TotalMessages.
func expectTotals(t *testing.T, st wagate.MessageStore, sessionID, chatID string, total, chatTotal int) {
	t.Helper()
	if _, n, err := st.ListMessages(t.Context(), wagate.MessageFilter{SessionID: sessionID, Limit: 100}); err != nil || n != total {
		t.Fatalf("ListMessages(%q) total = %d, %v; want %d", sessionID, n, err, total)
	}
	if _, n, err := st.ListMessages(t.Context(), wagate.MessageFilter{SessionID: sessionID, ChatID: chatID, Limit: 100}); err != nil || n != chatTotal {
		t.Fatalf("ListMessages(%q, chat %q) total = %d, %v; want %d", sessionID, chatID, n, err, chatTotal)
	}
	if c := findChat(t, st, sessionID, chatID); c == nil || c.TotalMessages != chatTotal {
		t.Fatalf("chat %q: %+v, want TotalMessages %d", chatID, c, chatTotal)
	}
}

// findChat returns the session's chat with this id from ListChats, or nil.
func findChat(t *testing.T, st wagate.MessageStore, sessionID, chatID string) *wagate.Chat {
	t.Helper()
	chats, _, err := st.ListChats(t.Context(), sessionID, 0, 100)
	must(t, err)
	for _, c := range chats {
		if c.ChatID == chatID {
			return c
		}
	}
	return nil
}
