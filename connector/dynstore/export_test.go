package dynstore

import (
	"context"
	"time"

	"go.mau.fi/whatsmeow/types"
)

// SetClock makes c read the time from now (buffered-event insert times).
func SetClock(c *Container, now func() time.Time) { c.clock = now }

// TxnRetries returns how many transactions of c ran again after a conflict.
func TxnRetries(c *Container) int64 { return c.t.retries.Load() }

// PartitionSize returns the number of items in the partition of device jid.
func PartitionSize(ctx context.Context, c *Container, jid types.JID) (int, error) {
	items, err := c.t.query(ctx, rangeQ{pk: devicePK(jid.String())})
	return len(items), err
}

// RawItem returns the item of device jid with sort key sk (nil if absent).
func RawItem(ctx context.Context, c *Container, jid types.JID, sk string) (map[string]any, error) {
	it, err := c.t.getItem(ctx, itemKey{devicePK(jid.String()), sk})
	if it == nil || err != nil {
		return nil, err
	}
	out := map[string]any{}
	for k, v := range it {
		out[k] = v
	}
	return out, nil
}

// EventBufSK is the sort key of the buffered event with hash.
func EventBufSK(hash [32]byte) string { return eventBufSK(hash) }
