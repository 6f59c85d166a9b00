package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	wagate "github.com/wagate/wagate/shared"
)

// maxDeliveryTotal caps the total ListDeliveries counts.
const maxDeliveryTotal = 10_000

// FindDelivery returns the delivery with this id and its attempts in order.
func (st *DeliveryStore) FindDelivery(ctx context.Context, id string) (*wagate.WebhookDelivery, []wagate.WebhookAttempt, error) {
	rows, err := st.db.rd().QueryContext(ctx, `SELECT `+deliveryColumns+` FROM webhook_deliveries WHERE id = ?`, id)
	if err != nil {
		return nil, nil, fmt.Errorf("find delivery %q: %w", id, err)
	}
	list, err := scanWebhookDeliveries(rows)
	if err != nil {
		return nil, nil, fmt.Errorf("find delivery %q: %w", id, err)
	}
	if len(list) == 0 {
		return nil, nil, wagate.Errorf(wagate.ENOTFOUND, "Delivery %s not found", id)
	}
	attempts, err := st.attempts(ctx, id)
	if err != nil {
		return nil, nil, fmt.Errorf("find delivery %q: %w", id, err)
	}
	return list[0], attempts, nil
}

func (st *DeliveryStore) attempts(ctx context.Context, id string) ([]wagate.WebhookAttempt, error) {
	rows, err := st.db.rd().QueryContext(ctx, `SELECT n, at, url, status_code, latency_ms, error
		FROM webhook_attempts WHERE delivery_id = ? ORDER BY n`, id)
	if err != nil {
		return nil, fmt.Errorf("select attempts: %w", err)
	}
	defer rows.Close()
	var list []wagate.WebhookAttempt
	for rows.Next() {
		a := wagate.WebhookAttempt{DeliveryID: id}
		var (
			at      sql.NullString
			latency int64
		)
		if err := rows.Scan(&a.N, &at, &a.URL, &a.StatusCode, &latency, &a.Error); err != nil {
			return nil, fmt.Errorf("scan attempt: %w", err)
		}
		if a.At, err = parseTime(at); err != nil {
			return nil, fmt.Errorf("attempt %d: %w", a.N, err)
		}
		a.Latency = time.Duration(latency) * time.Millisecond
		list = append(list, a)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("select attempts: %w", err)
	}
	return list, nil
}

// ListDeliveries returns a page of the deliveries matching f, newest
// first (by CreatedAt, then ID; Since and Until are inclusive bounds on
// CreatedAt), and how many match. The total is a bounded count: at most
// maxDeliveryTotal (10,000) rows are counted, and it is never below what
// the page proves (offset + page length).
func (st *DeliveryStore) ListDeliveries(ctx context.Context, f wagate.DeliveryFilter) ([]*wagate.WebhookDelivery, int, error) {
	where, args := deliveryWhere(f, true)
	offset, limit := max(f.Offset, 0), listLimit(f.Limit)
	rows, err := st.db.rd().QueryContext(ctx, `SELECT `+deliveryColumns+` FROM webhook_deliveries WHERE `+where+`
		ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?`, append(args, limit, offset)...)
	if err != nil {
		return nil, 0, fmt.Errorf("list deliveries: %w", err)
	}
	list, err := scanWebhookDeliveries(rows)
	if err != nil {
		return nil, 0, fmt.Errorf("list deliveries: %w", err)
	}
	var total int
	if err := st.db.rd().QueryRowContext(ctx, `SELECT COUNT(*) FROM (SELECT 1 FROM webhook_deliveries WHERE `+where+` LIMIT ?)`,
		append(args, maxDeliveryTotal)...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count deliveries: %w", err)
	}
	if len(list) > 0 {
		total = max(total, offset+len(list))
	}
	return list, total, nil
}

// Replay makes the delivery pending and due at now with a fresh round of
// attempts (Attempts = 0), lifting any lease; its attempt log stays.
func (st *DeliveryStore) Replay(ctx context.Context, id string, now time.Time) (*wagate.WebhookDelivery, error) {
	var list []*wagate.WebhookDelivery
	err := st.db.write(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `UPDATE webhook_deliveries SET status = 'pending', attempts = 0,
			next_attempt_at = ?, lease_until = 0, updated_at = ? WHERE id = ? RETURNING `+deliveryColumns,
			now.UnixMilli(), formatTime(now), id)
		if err != nil {
			return err
		}
		if list, err = scanWebhookDeliveries(rows); err != nil {
			return err
		}
		if len(list) == 0 {
			return wagate.Errorf(wagate.ENOTFOUND, "Delivery %s not found", id)
		}
		return nil
	}, st.wake.notify)
	if err != nil {
		return nil, fmt.Errorf("replay delivery %q: %w", id, err)
	}
	return list[0], nil
}

// ReplayDead replays, like Replay, every dead delivery matching f's
// SessionID, EventType, Since and Until (its Status, Offset and Limit are
// ignored).
func (st *DeliveryStore) ReplayDead(ctx context.Context, f wagate.DeliveryFilter, now time.Time) (int, error) {
	where, args := deliveryWhere(f, false)
	var n int64
	err := st.db.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE webhook_deliveries SET status = 'pending', attempts = 0,
			next_attempt_at = ?, lease_until = 0, updated_at = ? WHERE status = 'dead' AND `+where,
			append([]any{now.UnixMilli(), formatTime(now)}, args...)...)
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	}, st.wake.notify)
	if err != nil {
		return 0, fmt.Errorf("replay dead deliveries: %w", err)
	}
	return int(n), nil
}

// deliveryWhere renders f as an SQL condition and its arguments; withStatus
// says whether f.Status takes part.
func deliveryWhere(f wagate.DeliveryFilter, withStatus bool) (string, []any) {
	conds := []string{"1 = 1"}
	var args []any
	add := func(cond string, arg any) {
		conds = append(conds, cond)
		args = append(args, arg)
	}
	if f.SessionID != "" {
		add("session_id = ?", f.SessionID)
	}
	if withStatus && f.Status != "" {
		add("status = ?", string(f.Status))
	}
	if f.EventType != "" {
		add("event_type = ?", f.EventType)
	}
	if !f.Since.IsZero() {
		add("created_at >= ?", formatTime(f.Since))
	}
	if !f.Until.IsZero() {
		add("created_at <= ?", formatTime(f.Until))
	}
	return strings.Join(conds, " AND "), args
}

// scanWebhookDeliveries reads rows selected (or returned) with deliveryColumns.
func scanWebhookDeliveries(rows *sql.Rows) ([]*wagate.WebhookDelivery, error) {
	defer rows.Close()
	var list []*wagate.WebhookDelivery
	for rows.Next() {
		d, err := scanWebhookDelivery(rows)
		if err != nil {
			return nil, err
		}
		list = append(list, d)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("select deliveries: %w", err)
	}
	return list, nil
}

func scanWebhookDelivery(row scanner) (*wagate.WebhookDelivery, error) {
	var (
		d                               wagate.WebhookDelivery
		status                          string
		next                            int64
		created, updated, deliveredTime sql.NullString
	)
	err := row.Scan(&d.ID, &d.EventID, &d.EventType, &d.SessionID, &d.Target, &d.Event, &status, &d.Attempts,
		&next, &d.LastURL, &d.LastCode, &d.LastError, &created, &updated, &deliveredTime)
	if err != nil {
		return nil, fmt.Errorf("scan delivery: %w", err)
	}
	d.Status = wagate.DeliveryStatus(status)
	if next > 0 {
		d.NextAttemptAt = time.UnixMilli(next).UTC()
	}
	var errs []error
	for _, t := range []struct {
		dst *time.Time
		src sql.NullString
	}{{&d.CreatedAt, created}, {&d.UpdatedAt, updated}, {&d.DeliveredAt, deliveredTime}} {
		var err error
		*t.dst, err = parseTime(t.src)
		errs = append(errs, err)
	}
	if err := errors.Join(errs...); err != nil {
		return nil, fmt.Errorf("delivery %q: %w", d.ID, err)
	}
	return &d, nil
}
