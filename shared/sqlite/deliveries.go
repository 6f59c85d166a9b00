package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"
	"weak"

	wagate "github.com/wagate/wagate/shared"
	"github.com/wagate/wagate/shared/ids"
)

var _ wagate.DeliveryStore = (*DeliveryStore)(nil)

// maxDeliveryClaim bounds the batch size of ClaimDue.
const maxDeliveryClaim = 1000

// DeliveryStore is wagate.DeliveryStore on the webhook_deliveries and
// webhook_attempts tables.
//
// A pending delivery is due when next_attempt_at has passed and no lease
// holds it: ClaimDue sets lease_until to the end of the lease, Record clears
// it. A process that dies mid-attempt leaves the lease behind, so the
// delivery is retried once it ends (leases are not released at open: the
// attempt may have reached the endpoint). Concurrent Record calls are
// committed together (see recorder). CreateDeliveries, Replay and
// ReplayDead wake waiting WaitDue calls of the same DB at once, whichever
// DeliveryStore of that DB they were made on.
type DeliveryStore struct {
	db   *DB
	wake *wakeup
	rec  recorder
}

// NewDeliveryStore returns the webhook delivery store of db.
func NewDeliveryStore(db *DB) *DeliveryStore {
	return &DeliveryStore{db: db, wake: deliveryWakeupOf(db)}
}

// deliveryWakeups holds one wake-up per open DB, so that every
// DeliveryStore of a DB shares it like the DB's own queue and outbox
// wake-ups. Keys are weak: an entry goes when its DB is collected.
var deliveryWakeups sync.Map // weak.Pointer[DB] → *wakeup

func deliveryWakeupOf(db *DB) *wakeup {
	key := weak.Make(db)
	if w, ok := deliveryWakeups.Load(key); ok {
		return w.(*wakeup)
	}
	w, loaded := deliveryWakeups.LoadOrStore(key, newWakeup())
	if !loaded {
		runtime.AddCleanup(db, func(k weak.Pointer[DB]) { deliveryWakeups.Delete(k) }, key)
	}
	return w.(*wakeup)
}

const deliveryColumns = `id, event_id, event_type, session_id, target, event, status, attempts,
	next_attempt_at, last_url, last_code, last_error, created_at, updated_at, delivered_at`

// CreateDeliveries stores ds, pending and due now, in one transaction. An
// empty ID is minted and a zero CreatedAt set to now (in ds too). A
// delivery whose (EventID, Target) is stored already is skipped. Returns
// EINVALID when a delivery has no EventID or Target.
func (st *DeliveryStore) CreateDeliveries(ctx context.Context, ds []*wagate.WebhookDelivery) error {
	if len(ds) == 0 {
		return nil
	}
	for _, d := range ds {
		if d.EventID == "" || d.Target == "" {
			return wagate.Errorf(wagate.EINVALID, "Delivery eventId and target are required")
		}
	}
	now := canonicalTime(time.Now())
	rows := make([]wagate.WebhookDelivery, len(ds))
	for i, d := range ds {
		r := *d
		if r.ID == "" {
			r.ID = ids.New()
		}
		if r.CreatedAt = canonicalTime(r.CreatedAt); r.CreatedAt.IsZero() {
			r.CreatedAt = now
		}
		r.Status, r.Attempts, r.NextAttemptAt, r.UpdatedAt = wagate.DeliveryPending, 0, now, now
		r.LastURL, r.LastCode, r.LastError, r.DeliveredAt = "", 0, "", time.Time{}
		rows[i] = r
	}
	err := st.db.write(ctx, func(tx *sql.Tx) error {
		stmt, err := st.db.stmt(ctx, tx, `INSERT INTO webhook_deliveries (`+deliveryColumns+`)
			VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?, '', 0, '', ?, ?, NULL) ON CONFLICT (event_id, target) DO NOTHING`)
		if err != nil {
			return err
		}
		defer stmt.Close()
		for _, r := range rows {
			if _, err := stmt.ExecContext(ctx, r.ID, r.EventID, r.EventType, r.SessionID, r.Target, r.Event,
				string(r.Status), r.NextAttemptAt.UnixMilli(), formatTime(r.CreatedAt), formatTime(r.UpdatedAt)); err != nil {
				return fmt.Errorf("delivery of event %q to %s: %w", r.EventID, r.Target, err)
			}
		}
		return nil
	}, st.wake.notify)
	if err != nil {
		return fmt.Errorf("create %d deliveries: %w", len(ds), err)
	}
	for i, d := range ds {
		*d = rows[i]
	}
	return nil
}

// ClaimDue leases up to limit due deliveries of sessions not in skip, the
// earliest due first, and returns them in that order.
func (st *DeliveryStore) ClaimDue(ctx context.Context, now time.Time, limit int, lease time.Duration, skip []string) ([]*wagate.WebhookDelivery, error) {
	if lease <= 0 {
		return nil, wagate.Errorf(wagate.EINVALID, "Lease must be positive")
	}
	limit = min(max(limit, 1), maxDeliveryClaim)
	skipped, err := json.Marshal(append([]string{}, skip...))
	if err != nil {
		return nil, fmt.Errorf("claim due deliveries: %w", err)
	}
	var list []*wagate.WebhookDelivery
	err = st.db.write(ctx, func(tx *sql.Tx) error {
		rows, err := st.db.query(ctx, tx, `UPDATE webhook_deliveries SET lease_until = ?
			WHERE id IN (SELECT id FROM webhook_deliveries
				WHERE status = 'pending' AND next_attempt_at <= ? AND lease_until <= ?
				  AND session_id NOT IN (SELECT value FROM json_each(?))
				ORDER BY next_attempt_at, id LIMIT ?)
			RETURNING `+deliveryColumns,
			now.Add(lease).UnixMilli(), now.UnixMilli(), now.UnixMilli(), string(skipped), limit)
		if err != nil {
			return err
		}
		list, err = scanWebhookDeliveries(rows)
		return err
	}, nil)
	if err != nil {
		return nil, fmt.Errorf("claim due deliveries: %w", err)
	}
	// RETURNING gives no order.
	slices.SortFunc(list, func(a, b *wagate.WebhookDelivery) int {
		if c := a.NextAttemptAt.Compare(b.NextAttemptAt); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
	return list, nil
}

// WaitDue returns when a delivery is created or replayed in this process,
// when the next scheduled attempt or lease end comes, after d (at most
// recheckInterval), or when ctx ends or the DB closes.
func (st *DeliveryStore) WaitDue(ctx context.Context, d time.Duration) {
	if d <= 0 {
		return
	}
	now := time.Now()
	var next sql.NullInt64
	err := st.db.sql.QueryRowContext(ctx, `SELECT MIN(MAX(next_attempt_at, lease_until)) FROM webhook_deliveries
		WHERE status = 'pending' AND MAX(next_attempt_at, lease_until) > ?`, now.UnixMilli()).Scan(&next)
	if err == nil && next.Valid {
		d = min(d, max(time.UnixMilli(next.Int64).Sub(now), time.Millisecond))
	}
	_ = st.db.wait(ctx, st.wake.token(), d)
}
