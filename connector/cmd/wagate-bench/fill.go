package main

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

// Settings of the bulk fill.
const (
	// fillDSN: the fill is one transaction on a file nobody else has open,
	// so it needs neither the WAL nor syncs; a big page cache keeps the
	// indexes in memory. wagate's own DSN puts the file back in WAL mode.
	fillDSN       = "?_pragma=journal_mode(MEMORY)&_pragma=synchronous(OFF)&_pragma=cache_size(-524288)&_txlock=immediate"
	fillProgress  = 100_000                // rows between progress lines
	fillStep      = 100 * time.Millisecond // between two messages' timestamps
	fillSeed      = 20260101
	timeLayout    = "2006-01-02T15:04:05.000000000Z07:00" // shared/sqlite/timefmt.go
	jidServer     = "@s.whatsapp.net"
	sentIDPrefix  = "3EB0" // the id of a message we send: 3EB0 + 18 hex digits
	sentIDDigits  = 18
	inboundDigits = 32 // an inbound id: 32 upper-case hex digits (sim)
)

// messageInsert writes one row as sqlite.MessageStore.InsertMessage does
// (shared/sqlite/message_row.go: every column but id).
const messageInsert = `INSERT INTO messages (session_id, whatsapp_id,
	chat_id, chat_lid, sender_jid, sender_lid, sender_name, from_me, is_group,
	type, body, media, location, contacts, reaction, quoted_id,
	edited, revoked, history, seen, status, error, timestamp,
	sent_at, delivered_at, read_at, played_at, idempotency_key, created_at)
	VALUES (?, ?, ?, '', ?, '', '', ?, 0, 'text', ?, NULL, NULL, NULL, NULL, '', 0, 0, 0, 0, ?, '', ?, ?, NULL, NULL, NULL, '', ?)`

// fillChat is what the store keeps in a chats row (message_chat.go).
type fillChat struct {
	id            string
	unread, total int // inbound messages are all unread
	lastID        int64
	lastAt        string
}

// fillMessages inserts n text messages of one session into the wagate
// database at path (wagate stopped), in one transaction with one prepared
// statement, spread round-robin over chats one-to-one chats, timestamps
// increasing by fillStep and ending now. Every other message of a chat is
// inbound (received, unread, as the sim delivers it), the others sent by
// us. The chats rows and message_counters are written as InsertMessage
// keeps them (message_chat.go, message_counter.go), so list totals are
// right.
func fillMessages(ctx context.Context, path, session string, n, chats int) error {
	db, err := sql.Open("sqlite", "file:"+path+fillDSN)
	if err != nil {
		return err
	}
	defer db.Close()
	db.SetMaxOpenConns(1) // the pragmas hold for this one connection
	var existing int
	if err := db.QueryRowContext(ctx, `SELECT COUNT(*) FROM messages WHERE session_id = ?`, session).Scan(&existing); err != nil {
		return fmt.Errorf("fill: %w", err)
	}
	if existing != 0 {
		return fmt.Errorf("fill: session %q already has %d messages", session, existing)
	}
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("fill: %w", err)
	}
	defer func() { _ = tx.Rollback() }()
	cs, err := insertMessages(ctx, tx, session, n, chats)
	if err != nil {
		return fmt.Errorf("fill: %w", err)
	}
	if err := writeChats(ctx, tx, session, cs); err != nil {
		return fmt.Errorf("fill: %w", err)
	}
	progress("list1m: committing")
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("fill: commit: %w", err)
	}
	_, err = db.ExecContext(ctx, `PRAGMA journal_mode = WAL`)
	return err
}

// insertMessages inserts the rows and returns the chats they make.
func insertMessages(ctx context.Context, tx *sql.Tx, session string, n, chats int) ([]*fillChat, error) {
	stmt, err := tx.PrepareContext(ctx, messageInsert)
	if err != nil {
		return nil, err
	}
	defer stmt.Close()
	cs := make([]*fillChat, chats)
	for i := range cs {
		cs[i] = &fillChat{id: phoneOf("34630", i, chats) + jidServer}
	}
	rnd := rand.New(rand.NewPCG(fillSeed, uint64(n)))
	base := time.Now().UTC().Add(-time.Duration(n) * fillStep).Truncate(time.Millisecond)
	start := time.Now()
	for i := range n {
		if i%fillProgress == 0 && i > 0 {
			el := time.Since(start)
			progress("list1m: %d rows in %v (%.0f rows/s)", i, el.Round(time.Millisecond), float64(i)/el.Seconds())
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		ch := cs[i%chats]
		fromMe := (i/chats)%2 == 1
		ts := base.Add(time.Duration(i) * fillStep)
		stamp := ts.Format(timeLayout)
		var (
			wid, sender, status string
			sentAt              sql.NullString
			created             time.Time
		)
		if fromMe {
			wid, status, created = sentIDPrefix+hexID(rnd, sentIDDigits), statusSent, ts.Add(3*time.Microsecond)
			sentAt = sql.NullString{String: ts.Truncate(time.Second).Format(timeLayout), Valid: true}
		} else {
			wid, sender, status, created = hexID(rnd, inboundDigits), ch.id, "received", ts.Add(2*time.Millisecond)
		}
		res, err := stmt.ExecContext(ctx, session, wid, ch.id, sender, fromMe,
			fmt.Sprintf("bench message %d", i), status, stamp, sentAt, created.Format(timeLayout))
		if err != nil {
			return nil, fmt.Errorf("insert row %d: %w", i, err)
		}
		if ch.lastID, err = res.LastInsertId(); err != nil {
			return nil, err
		}
		ch.total++
		ch.lastAt = stamp
		if !fromMe {
			ch.unread++
		}
	}
	progress("list1m: %d rows in %v", n, time.Since(start).Round(time.Millisecond))
	return cs, nil
}

// writeChats writes the chats rows and the session's counters.
func writeChats(ctx context.Context, tx *sql.Tx, session string, cs []*fillChat) error {
	counts := map[string]int{}
	for _, c := range cs {
		if c.total == 0 {
			continue
		}
		// No push name: the chat's name stays empty, as for the sim's inbound texts.
		if _, err := tx.ExecContext(ctx, `INSERT INTO chats
			(session_id, chat_id, name, is_group, unread_count, total_messages, last_message_id, last_message_at)
			VALUES (?, ?, '', 0, ?, ?, ?, ?)`, session, c.id, c.unread, c.total, c.lastID, c.lastAt); err != nil {
			return fmt.Errorf("insert chat %q: %w", c.id, err)
		}
		counts["all"] += c.total
		counts["type:text"] += c.total
		counts["fromMe:0"] += c.unread
		counts["fromMe:1"] += c.total - c.unread
		counts["unread"] += c.unread
		counts["chats"]++
	}
	for dim, n := range counts {
		if n == 0 {
			continue // the store never writes a counter it did not add to
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO message_counters (session_id, dimension, count) VALUES (?, ?, ?)
			ON CONFLICT (session_id, dimension) DO UPDATE SET count = count + excluded.count`, session, dim, n); err != nil {
			return fmt.Errorf("update counter %q: %w", dim, err)
		}
	}
	if counts["all"] == 0 {
		return errors.New("no message inserted")
	}
	return nil
}

// hexID returns digits random upper-case hex digits.
func hexID(rnd *rand.Rand, digits int) string {
	const hexDigits = "0123456789ABCDEF"
	var b strings.Builder
	b.Grow(digits)
	for range digits {
		b.WriteByte(hexDigits[rnd.IntN(16)])
	}
	return b.String()
}
