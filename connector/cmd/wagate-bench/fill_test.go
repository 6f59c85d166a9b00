package main

import (
	"context"
	"maps"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	wagate "github.com/wagate/wagate/shared"
	"github.com/wagate/wagate/shared/sqlite"
)

// TestFillMatchesStore: the bulk fill keeps the chats and counters as the
// message store does. The filled messages are read back and replayed
// through InsertMessage into a second session; the messages read back,
// the chats, the counters and the unread total must come out the same.
func TestFillMatchesStore(t *testing.T) {
	const n, chats = 300, 7
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "wagate.db")
	db, err := sqlite.Open(ctx, path) // the schema, as wagate makes it
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	if err := fillMessages(ctx, path, "bulk", n, chats); err != nil {
		t.Fatal(err)
	}
	if db, err = sqlite.Open(ctx, path); err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	st := sqlite.NewMessageStore(db)
	bulk, total, err := st.ListMessages(ctx, wagate.MessageFilter{SessionID: "bulk", Limit: n})
	if err != nil || total != n || len(bulk) != n {
		t.Fatalf("ListMessages: %d of total %d, %v; want %d", len(bulk), total, err, n)
	}
	for i := len(bulk) - 1; i >= 0; i-- { // oldest first, as they arrived
		m := *bulk[i]
		m.ID, m.SessionID = 0, "store"
		if _, created, err := st.InsertMessage(ctx, &m); err != nil || !created {
			t.Fatalf("InsertMessage: created %v, %v", created, err)
		}
	}
	replayed, _, err := st.ListMessages(ctx, wagate.MessageFilter{SessionID: "store", Limit: n})
	if err != nil {
		t.Fatal(err)
	}
	for i := range bulk {
		if a, b := comparable(bulk[i]), comparable(replayed[i]); !reflect.DeepEqual(a, b) {
			t.Fatalf("message %d:\nfill  %+v\nstore %+v", i, a, b)
		}
	}
	cnt := counters(t, db, "bulk")
	if b := counters(t, db, "store"); !maps.Equal(cnt, b) {
		t.Errorf("counters:\nfill  %v\nstore %v", cnt, b)
	}
	ca, na, err := st.ListChats(ctx, "bulk", 0, 100)
	if err != nil {
		t.Fatal(err)
	}
	cb, nb, err := st.ListChats(ctx, "store", 0, 100)
	if err != nil || na != chats || nb != chats || len(ca) != chats || len(cb) != chats {
		t.Fatalf("ListChats: %d/%d and %d/%d chats, %v", len(ca), na, len(cb), nb, err)
	}
	for i := range ca {
		a, b := *ca[i], *cb[i]
		a.SessionID, b.SessionID = "", ""
		a.LastMessage, b.LastMessage = comparable(a.LastMessage), comparable(b.LastMessage)
		if !reflect.DeepEqual(a, b) {
			t.Errorf("chat %d:\nfill  %+v\nstore %+v", i, a, b)
		}
	}
	if _, unread, err := st.ListUnread(ctx, 0, 1); err != nil || unread != 2*cnt["unread"] || cnt["unread"] == 0 {
		t.Errorf("unread of both sessions: %d, %v; want 2 × %d", unread, err, cnt["unread"])
	}
}

// comparable is m without what the store allocates (id, creation time) and
// the session.
func comparable(m *wagate.Message) *wagate.Message {
	if m == nil {
		return nil
	}
	c := *m
	c.ID, c.SessionID, c.CreatedAt = 0, "", time.Time{}
	return &c
}

func counters(t *testing.T, db *sqlite.DB, session string) map[string]int {
	t.Helper()
	rows, err := db.SQL().Query(`SELECT dimension, count FROM message_counters WHERE session_id = ?`, session)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	got := map[string]int{}
	for rows.Next() {
		var dim string
		var n int
		if err := rows.Scan(&dim, &n); err != nil {
			t.Fatal(err)
		}
		got[dim] = n
	}
	return got
}
