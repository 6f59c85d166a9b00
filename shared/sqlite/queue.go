package sqlite

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/wagate/wagate/events"
	wagate "github.com/wagate/wagate/shared"
)

var _ wagate.CommandQueue = (*CommandQueue)(nil)

// CommandQueue is wagate.CommandQueue on the commands table, the local
// stand-in for an SQS FIFO queue with one message group per session.
//
// A session's head command is its oldest; the others wait until it is acked.
// The head is deliverable when visible_at has passed: Receive sets visible_at
// to the end of the visibility timeout and a fresh receipt, Nack to now plus
// the delay, Extend pushes it further. Enqueue, Ack and Nack wake waiting
// Receive calls of the same DB at once.
type CommandQueue struct {
	db *DB
}

// NewCommandQueue returns the command queue of db.
func NewCommandQueue(db *DB) *CommandQueue { return &CommandQueue{db: db} }

// Enqueue stores cmd unless a command with its id is already queued.
func (q *CommandQueue) Enqueue(ctx context.Context, cmd events.Command) error {
	if cmd.ID == "" || cmd.SessionID == "" || cmd.Type == "" {
		return wagate.Errorf(wagate.EINVALID, "Command id, type and sessionId are required")
	}
	err := q.db.write(ctx, func(tx *sql.Tx) error {
		_, err := q.db.exec(ctx, tx, `INSERT INTO commands (id, session_id, type, created_at, payload)
			VALUES (?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`,
			cmd.ID, cmd.SessionID, cmd.Type, formatTime(cmd.CreatedAt), []byte(cmd.Payload))
		return err
	}, q.db.commandsWakeup.notify)
	if err != nil {
		return fmt.Errorf("enqueue command %q: %w", cmd.ID, err)
	}
	return nil
}

// Receive waits until a session's head command is visible, then delivers up
// to limit heads (one per session) in enqueue order. When ctx ends first it
// returns ctx's error.
func (q *CommandQueue) Receive(ctx context.Context, limit int, visibility time.Duration) ([]wagate.Delivery, error) {
	if visibility <= 0 {
		return nil, wagate.Errorf(wagate.EINVALID, "Visibility timeout must be positive")
	}
	limit = clampMax(limit)
	for {
		ds, next, err := q.claim(ctx, limit, visibility)
		if err != nil {
			return nil, fmt.Errorf("receive commands: %w", err)
		}
		if len(ds) == limit {
			q.db.commandsWakeup.notify() // more may be waiting: wake another receiver
		}
		if len(ds) > 0 {
			return ds, nil
		}
		if err := q.db.wait(ctx, q.db.commandsWakeup.token(), untilNext(next)); err != nil {
			return nil, fmt.Errorf("receive commands: %w", err)
		}
	}
}

// claim delivers the visible heads, or reports when the next hidden head
// becomes visible (zero if none is hidden).
func (q *CommandQueue) claim(ctx context.Context, limit int, visibility time.Duration) ([]wagate.Delivery, time.Time, error) {
	var (
		ds   []wagate.Delivery
		next time.Time
	)
	err := q.db.write(ctx, func(tx *sql.Tx) error {
		now := time.Now()
		ds, next = nil, time.Time{}
		rows, err := q.db.query(ctx, tx, `SELECT seq, id, session_id, type, created_at, payload, attempts
			FROM commands AS c
			WHERE visible_at <= ?
			  AND NOT EXISTS (SELECT 1 FROM commands AS p WHERE p.session_id = c.session_id AND p.seq < c.seq)
			ORDER BY seq LIMIT ?`, now.UnixMilli(), limit)
		if err != nil {
			return fmt.Errorf("select heads: %w", err)
		}
		seqs, err := scanDeliveries(rows, &ds)
		if err != nil {
			return err
		}
		if len(ds) == 0 {
			next, err = q.db.nextVisible(ctx, tx, `SELECT MIN(visible_at) FROM commands WHERE visible_at > ?`, now)
			return err
		}
		hidden := now.Add(visibility).UnixMilli()
		for i := range ds {
			token, err := newToken()
			if err != nil {
				return err
			}
			if _, err := q.db.exec(ctx, tx, `UPDATE commands SET attempts = attempts + 1, visible_at = ?, receipt = ? WHERE seq = ?`,
				hidden, token, seqs[i]); err != nil {
				return fmt.Errorf("mark delivered: %w", err)
			}
			ds[i].Attempt++
			ds[i].Receipt = strconv.FormatInt(seqs[i], 10) + "." + token
		}
		return nil
	}, nil)
	return ds, next, err
}

// scanDeliveries reads the selected heads into ds and returns their seqs.
func scanDeliveries(rows *sql.Rows, ds *[]wagate.Delivery) ([]int64, error) {
	defer rows.Close()
	var seqs []int64
	for rows.Next() {
		var (
			d       wagate.Delivery
			seq     int64
			created sql.NullString
			payload []byte
		)
		if err := rows.Scan(&seq, &d.Command.ID, &d.Command.SessionID, &d.Command.Type, &created, &payload, &d.Attempt); err != nil {
			return nil, fmt.Errorf("scan command: %w", err)
		}
		t, err := parseTime(created)
		if err != nil {
			return nil, fmt.Errorf("command %q: %w", d.Command.ID, err)
		}
		d.Command.CreatedAt = t
		if len(payload) > 0 {
			d.Command.Payload = payload
		}
		seqs = append(seqs, seq)
		*ds = append(*ds, d)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("select heads: %w", err)
	}
	return seqs, nil
}

// Ack removes the delivered command; the session's next command becomes
// deliverable. Returns ENOTFOUND if receipt is not the command's current
// delivery (acked already, or delivered again since).
func (q *CommandQueue) Ack(ctx context.Context, receipt string) error {
	err := q.onDelivery(ctx, receipt, `DELETE FROM commands WHERE seq = ? AND receipt = ?`)
	if err != nil {
		return fmt.Errorf("ack command: %w", err)
	}
	return nil
}

// Nack makes the delivered command visible again after delay; the session's
// later commands keep waiting behind it.
func (q *CommandQueue) Nack(ctx context.Context, receipt string, delay time.Duration) error {
	at := time.Now().Add(max(delay, 0)).UnixMilli()
	err := q.onDelivery(ctx, receipt, `UPDATE commands SET visible_at = ?, receipt = NULL WHERE seq = ? AND receipt = ?`, at)
	if err != nil {
		return fmt.Errorf("nack command: %w", err)
	}
	return nil
}

// Extend hides the delivered command for visibility from now.
func (q *CommandQueue) Extend(ctx context.Context, receipt string, visibility time.Duration) error {
	if visibility <= 0 {
		return wagate.Errorf(wagate.EINVALID, "Visibility timeout must be positive")
	}
	at := time.Now().Add(visibility).UnixMilli()
	err := q.onDelivery(ctx, receipt, `UPDATE commands SET visible_at = ? WHERE seq = ? AND receipt = ?`, at)
	if err != nil {
		return fmt.Errorf("extend command: %w", err)
	}
	return nil
}

// onDelivery runs query with args followed by the seq and token of receipt,
// expecting it to touch the one row of that delivery.
func (q *CommandQueue) onDelivery(ctx context.Context, receipt, query string, args ...any) error {
	seqText, token, ok := strings.Cut(receipt, ".")
	seq, err := strconv.ParseInt(seqText, 10, 64)
	if !ok || err != nil || token == "" {
		return wagate.Errorf(wagate.ENOTFOUND, "Unknown receipt")
	}
	return q.db.write(ctx, func(tx *sql.Tx) error {
		res, err := q.db.exec(ctx, tx, query, append(args, seq, token)...)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n == 0 {
			return wagate.Errorf(wagate.ENOTFOUND, "No delivery with this receipt: it was acked or delivered again")
		}
		return nil
	}, q.db.commandsWakeup.notify)
}

// newToken returns a random delivery token.
func newToken() (string, error) {
	var b [12]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", fmt.Errorf("receipt token: %w", err)
	}
	return hex.EncodeToString(b[:]), nil
}

// clampMax bounds the batch size of Receive and Claim.
func clampMax(n int) int {
	const maxBatch = 100
	return min(max(n, 1), maxBatch)
}
