package sqlite

import (
	"context"
	"database/sql"
	"fmt"
)

// releaseDeliveries runs at open: the consumers that held command deliveries
// and outbox leases were in a previous process, which is gone, so those
// commands and events are made visible at once (their attempt counts stay).
// Commands delayed by a Nack keep their delay.
func releaseDeliveries(ctx context.Context, tx *sql.Tx) error {
	if _, err := tx.ExecContext(ctx, `UPDATE commands SET visible_at = 0, receipt = NULL WHERE receipt IS NOT NULL`); err != nil {
		return fmt.Errorf("release command deliveries of a previous run: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE outbox SET visible_at = 0 WHERE visible_at > 0`); err != nil {
		return fmt.Errorf("release outbox leases of a previous run: %w", err)
	}
	// Webhook attempts in flight at a crash are made again now, not when
	// their lease would have ended (receivers dedupe on X-Webhook-Id).
	if _, err := tx.ExecContext(ctx, `UPDATE webhook_deliveries SET lease_until = 0 WHERE lease_until > 0`); err != nil {
		return fmt.Errorf("release webhook attempts of a previous run: %w", err)
	}
	return nil
}
