package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/wagate/wagate/events"
	wagate "github.com/wagate/wagate/shared"
)

var _ wagate.Outbox = (*Outbox)(nil)

// Outbox is wagate.Outbox on the outbox table: the durable half of the local
// event bus. Events are claimed in publish order; a claim hides them until
// its lease ends (visible_at). Publish and Ack wake waiting Claim calls of
// the same DB at once.
type Outbox struct {
	db *DB
}

// NewOutbox returns the outbox of db.
func NewOutbox(db *DB) *Outbox { return &Outbox{db: db} }

// Publish stores evs in order, in one transaction. An event whose id is
// already in the outbox is stored once.
func (o *Outbox) Publish(ctx context.Context, evs ...events.Event) error {
	if len(evs) == 0 {
		return nil
	}
	for _, ev := range evs {
		if ev.ID == "" || ev.Type == "" {
			return wagate.Errorf(wagate.EINVALID, "Event id and type are required")
		}
	}
	err := o.db.write(ctx, func(tx *sql.Tx) error {
		stmt, err := o.db.stmt(ctx, tx, `INSERT INTO outbox (id, type, session_id, session_db_id, time, data)
			VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`)
		if err != nil {
			return err
		}
		defer stmt.Close()
		for _, ev := range evs {
			if _, err := stmt.ExecContext(ctx, ev.ID, ev.Type, ev.SessionID, ev.SessionDBID, formatTime(ev.Time), []byte(ev.Data)); err != nil {
				return fmt.Errorf("event %q: %w", ev.ID, err)
			}
		}
		return nil
	}, o.db.outboxWakeup.notify)
	if err != nil {
		return fmt.Errorf("publish %d events: %w", len(evs), err)
	}
	return nil
}

// Claim waits until an event is visible, then returns up to limit visible
// events in publish order, hidden for lease. When ctx ends first it returns
// ctx's error.
func (o *Outbox) Claim(ctx context.Context, limit int, lease time.Duration) ([]events.Event, error) {
	if lease <= 0 {
		return nil, wagate.Errorf(wagate.EINVALID, "Lease must be positive")
	}
	limit = clampMax(limit)
	for {
		evs, next, err := o.claim(ctx, limit, lease)
		if err != nil {
			return nil, fmt.Errorf("claim events: %w", err)
		}
		if len(evs) == limit {
			o.db.outboxWakeup.notify() // more may be waiting: wake another claimer
		}
		if len(evs) > 0 {
			return evs, nil
		}
		if err := o.db.wait(ctx, o.db.outboxWakeup.token(), untilNext(next)); err != nil {
			return nil, fmt.Errorf("claim events: %w", err)
		}
	}
}

// claim leases the visible events, or reports when the next leased event
// becomes visible again (zero if none is leased).
func (o *Outbox) claim(ctx context.Context, limit int, lease time.Duration) ([]events.Event, time.Time, error) {
	var (
		evs  []events.Event
		next time.Time
	)
	err := o.db.write(ctx, func(tx *sql.Tx) error {
		now := time.Now()
		evs, next = nil, time.Time{}
		rows, err := o.db.query(ctx, tx, `SELECT seq, id, type, session_id, session_db_id, time, data
			FROM outbox WHERE visible_at <= ? ORDER BY seq LIMIT ?`, now.UnixMilli(), limit)
		if err != nil {
			return fmt.Errorf("select events: %w", err)
		}
		seqs, err := scanEvents(rows, &evs)
		if err != nil {
			return err
		}
		if len(evs) == 0 {
			next, err = o.db.nextVisible(ctx, tx, `SELECT MIN(visible_at) FROM outbox WHERE visible_at > ?`, now)
			return err
		}
		hidden := now.Add(lease).UnixMilli()
		for _, seq := range seqs {
			if _, err := o.db.exec(ctx, tx, `UPDATE outbox SET visible_at = ? WHERE seq = ?`, hidden, seq); err != nil {
				return fmt.Errorf("lease event: %w", err)
			}
		}
		return nil
	}, nil)
	return evs, next, err
}

// scanEvents reads the selected events into evs and returns their seqs.
func scanEvents(rows *sql.Rows, evs *[]events.Event) ([]int64, error) {
	defer rows.Close()
	var seqs []int64
	for rows.Next() {
		var (
			ev   events.Event
			seq  int64
			at   sql.NullString
			data []byte
		)
		if err := rows.Scan(&seq, &ev.ID, &ev.Type, &ev.SessionID, &ev.SessionDBID, &at, &data); err != nil {
			return nil, fmt.Errorf("scan event: %w", err)
		}
		t, err := parseTime(at)
		if err != nil {
			return nil, fmt.Errorf("event %q: %w", ev.ID, err)
		}
		ev.Time = t
		if len(data) > 0 {
			ev.Data = data
		}
		seqs = append(seqs, seq)
		*evs = append(*evs, ev)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("select events: %w", err)
	}
	return seqs, nil
}

// Ack removes the events with these ids; unknown ids (acked already) are
// ignored.
func (o *Outbox) Ack(ctx context.Context, ids ...string) error {
	if len(ids) == 0 {
		return nil
	}
	err := o.db.write(ctx, func(tx *sql.Tx) error {
		stmt, err := o.db.stmt(ctx, tx, `DELETE FROM outbox WHERE id = ?`)
		if err != nil {
			return err
		}
		defer stmt.Close()
		for _, id := range ids {
			if _, err := stmt.ExecContext(ctx, id); err != nil {
				return fmt.Errorf("event %q: %w", id, err)
			}
		}
		return nil
	}, nil)
	if err != nil {
		return fmt.Errorf("ack %d events: %w", len(ids), err)
	}
	return nil
}
