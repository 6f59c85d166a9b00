package dynamo

import (
	"context"
	"fmt"
	"time"

	wagate "github.com/wagate/wagate/shared"
)

var _ wagate.DeliveryClaimer = (*DeliveryStore)(nil)

// ClaimDelivery leases the delivery id until now+lease when it is pending
// and its due key (the next attempt or, while a claim holds it, the end of
// that lease) is not after now. The lease is taken with ClaimDue's
// conditional update (the due key must still be the one read), so this and
// a ClaimDue in any process never both take it. Returns nil when the
// delivery is not claimable (delivered, dead, not due, held or unknown).
func (st *DeliveryStore) ClaimDelivery(ctx context.Context, id string, now time.Time, lease time.Duration) (*wagate.WebhookDelivery, error) {
	if lease <= 0 {
		return nil, wagate.Errorf(wagate.EINVALID, "Lease must be positive")
	}
	cur, err := st.t.get(ctx, itemKey{deliveryPK(id), skDelivery})
	if err != nil {
		return nil, fmt.Errorf("claim delivery %q: %w", id, err)
	}
	if cur == nil || getS(cur, aStatus) != string(wagate.DeliveryPending) {
		return nil, nil
	}
	if due := getS(cur, attrGSI4SK); due == "" || due >= timeHi(now) {
		return nil, nil
	}
	c := claim{st: st, leaseEnd: now.Add(lease)}
	if err := c.take(ctx, []item{cur}); err != nil {
		return nil, fmt.Errorf("claim delivery %q: %w", id, err)
	}
	if len(c.won) == 0 {
		return nil, nil // taken or changed since the read
	}
	return c.won[0], nil
}
