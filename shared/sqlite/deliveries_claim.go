package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	wagate "github.com/wagate/wagate/shared"
)

var _ wagate.DeliveryClaimer = (*DeliveryStore)(nil)

// ClaimDelivery leases the delivery id until now+lease when it is pending,
// due at now and held by no lease (ClaimDue's conditions, for one id), in
// one statement. Returns nil when it is not claimable (delivered, dead, not
// due, held or unknown).
func (st *DeliveryStore) ClaimDelivery(ctx context.Context, id string, now time.Time, lease time.Duration) (*wagate.WebhookDelivery, error) {
	if lease <= 0 {
		return nil, wagate.Errorf(wagate.EINVALID, "Lease must be positive")
	}
	var list []*wagate.WebhookDelivery
	err := st.db.write(ctx, func(tx *sql.Tx) error {
		rows, err := st.db.query(ctx, tx, `UPDATE webhook_deliveries SET lease_until = ?
			WHERE id = ? AND status = 'pending' AND next_attempt_at <= ? AND lease_until <= ?
			RETURNING `+deliveryColumns,
			now.Add(lease).UnixMilli(), id, now.UnixMilli(), now.UnixMilli())
		if err != nil {
			return err
		}
		list, err = scanWebhookDeliveries(rows)
		return err
	}, nil)
	if err != nil {
		return nil, fmt.Errorf("claim delivery %q: %w", id, err)
	}
	if len(list) == 0 {
		return nil, nil
	}
	return list[0], nil
}
