package main

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// hookDue is what a stopped wagate's database holds of the
// message.received deliveries.
type hookDue struct {
	deliveries int             // stored
	pending    int             // of which pending
	leased     int             // pending and leased: claimed before the crash, due when the lease ends
	later      int             // pending, not leased, due at a later retry
	notDue     map[string]bool // event ids (X-Webhook-Id) of the leased and later ones
	outbox     int             // events not fanned out into deliveries yet
}

// readDeliveries reads the webhook deliveries and outbox of the wagate
// database at path (wagate stopped) as they stand at now.
func readDeliveries(ctx context.Context, path string, now time.Time) (hookDue, error) {
	due := hookDue{notDue: map[string]bool{}}
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(5000)")
	if err != nil {
		return due, err
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	rows, err := db.QueryContext(ctx, `SELECT event_id, status, next_attempt_at, lease_until
		FROM webhook_deliveries WHERE event_type = 'message.received'`)
	if err != nil {
		return due, fmt.Errorf("read deliveries: %w", err)
	}
	defer rows.Close()
	ms := now.UnixMilli()
	for rows.Next() {
		var (
			id, status  string
			next, lease int64
		)
		if err := rows.Scan(&id, &status, &next, &lease); err != nil {
			return due, fmt.Errorf("read deliveries: %w", err)
		}
		due.deliveries++
		if status != "pending" {
			continue
		}
		due.pending++
		switch {
		case lease > ms:
			due.leased++
		case next > ms:
			due.later++
		default:
			continue
		}
		due.notDue[id] = true
	}
	if err := rows.Err(); err != nil {
		return due, fmt.Errorf("read deliveries: %w", err)
	}
	err = db.QueryRowContext(ctx, `SELECT COUNT(*) FROM outbox WHERE type = 'message.received'`).Scan(&due.outbox)
	if err != nil {
		return due, fmt.Errorf("read outbox: %w", err)
	}
	return due, nil
}
