package sqlite_test

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	wagate "github.com/wagate/wagate/shared"
	"github.com/wagate/wagate/shared/sqlite"
)

// bulkBase is the timestamp of the first bulk message; the others follow a
// second apart.
var bulkBase = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)

// bulkTypes is the type mix of bulk messages, by i % len.
var bulkTypes = []wagate.MessageType{
	wagate.TypeText, wagate.TypeText, wagate.TypeText, wagate.TypeText, wagate.TypeText,
	wagate.TypeText, wagate.TypeText, wagate.TypeImage, wagate.TypeImage, wagate.TypeAudio,
	wagate.TypeText, wagate.TypeText, wagate.TypeText, wagate.TypeDocument, wagate.TypeText,
	wagate.TypeText, wagate.TypeVideo, wagate.TypeText, wagate.TypeSticker, wagate.TypeLocation,
}

// bulkChat is the JID of chat k.
func bulkChat(k int) string { return fmt.Sprintf("346%08d@s.whatsapp.net", k) }

// bulkLoad fills db with n messages of session s1 spread at random (seeded)
// over chats chats, types and directions, in one transaction of prepared inserts (far faster than InsertMessage one
// by one), then derives the chats and counters InsertMessage would have
// kept. Inbound messages are seen except the last unread ones.
func bulkLoad(tb testing.TB, db *sqlite.DB, n, chats, unread int) {
	tb.Helper()
	ctx := context.Background()
	start := time.Now()
	tx, err := db.SQL().BeginTx(ctx, nil)
	must(tb, err)
	defer func() { _ = tx.Rollback() }()
	st, err := tx.PrepareContext(ctx, `INSERT INTO messages (session_id, whatsapp_id, chat_id, sender_jid, sender_name,
		from_me, type, body, media, status, seen, timestamp, created_at) VALUES ('s1', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
	must(tb, err)
	now := time.Now().UTC().Format(time.RFC3339Nano)
	r := rand.New(rand.NewPCG(1, 2))
	for i := range n {
		typ, fromMe, chat := bulkTypes[r.IntN(len(bulkTypes))], r.IntN(2) == 0, bulkChat(r.IntN(chats))
		status, sender := wagate.StatusReceived, chat
		if fromMe {
			status, sender = wagate.StatusRead, "34600000000@s.whatsapp.net"
		}
		var media sql.NullString
		if typ.HasMedia() {
			media = sql.NullString{Valid: true, String: fmt.Sprintf(`{"blobKey":"media/s1/%d","mimetype":"image/jpeg","size":%d}`, i, 1000+i)}
		}
		ts := bulkBase.Add(time.Duration(i) * time.Second).Format("2006-01-02T15:04:05.000000000Z07:00")
		_, err := st.ExecContext(ctx, fmt.Sprintf("3EB0%016X", i), chat, sender, "Contact", fromMe, string(typ),
			fmt.Sprintf("message number %d with a few words of text in it", i), media, string(status), !fromMe && i < n-unread, ts, now)
		must(tb, err)
	}
	must(tb, st.Close())
	for _, q := range []string{
		`INSERT INTO chats (session_id, chat_id, name, unread_count, total_messages, last_message_id, last_message_at)
			SELECT session_id, chat_id, 'Contact', SUM(from_me = 0 AND seen = 0 AND history = 0), COUNT(*), MAX(id), MAX(timestamp)
			FROM messages GROUP BY session_id, chat_id`,
		`INSERT INTO message_counters SELECT session_id, 'all', COUNT(*) FROM messages GROUP BY session_id`,
		`INSERT INTO message_counters SELECT session_id, 'type:' || type, COUNT(*) FROM messages GROUP BY session_id, type`,
		`INSERT INTO message_counters SELECT session_id, 'fromMe:' || from_me, COUNT(*) FROM messages GROUP BY session_id, from_me`,
		`INSERT INTO message_counters SELECT session_id, 'unread', COUNT(*) FROM messages WHERE from_me = 0 AND seen = 0 AND history = 0 GROUP BY session_id`,
		`INSERT INTO message_counters SELECT session_id, 'chats', COUNT(*) FROM chats GROUP BY session_id`,
	} {
		_, err := tx.ExecContext(ctx, q)
		must(tb, err)
	}
	must(tb, tx.Commit())
	tb.Logf("bulk-loaded %d messages in %v", n, time.Since(start).Round(time.Millisecond))
}
