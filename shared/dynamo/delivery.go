package dynamo

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	wagate "github.com/wagate/wagate/shared"
	"github.com/wagate/wagate/shared/ddb"
	"github.com/wagate/wagate/shared/ids"
)

var _ wagate.DeliveryStore = (*DeliveryStore)(nil)

const (
	// maxDeliveryClaim bounds the batch size of ClaimDue.
	maxDeliveryClaim = 1000
	// createChunk is how many deliveries one CreateDeliveries transaction
	// writes (two actions each, well under the 100-action and 4 MB limits).
	createChunk = 25
)

// DeliveryStore is wagate.DeliveryStore on the table.
//
// A pending delivery sits in the sparse due index (gsi4) under its due time:
// the next attempt, or, while a claim holds it, the end of the lease.
// ClaimDue walks that index up to now and takes each candidate with a
// conditional update (its due key must still be the one read), so
// concurrent claimers — in any process — never take one twice. Record and
// the replays move the due key; delivered and dead deliveries leave the
// index. WaitDue polls the index (see duePoll): processes share no wake-up.
type DeliveryStore struct {
	t *Table
	// lastClaim is the now of this store's latest ClaimDue (unix ns), where
	// WaitDue starts looking for deliveries that fell due since.
	lastClaim atomic.Int64
}

// NewDeliveryStore returns the webhook delivery store of t.
func NewDeliveryStore(t *Table) *DeliveryStore { return &DeliveryStore{t: t} }

// CreateDeliveries stores ds, pending and due now, in transactions of
// createChunk deliveries. An empty ID is minted and a zero CreatedAt set to
// now (in ds too). A delivery whose (EventID, Target) is stored already is
// skipped: a uniqueness item per (event, target) is put with it, on the
// condition that none exists. Returns EINVALID when a delivery has no
// EventID or Target.
func (st *DeliveryStore) CreateDeliveries(ctx context.Context, ds []*wagate.WebhookDelivery) error {
	if len(ds) == 0 {
		return nil
	}
	for _, d := range ds {
		if d.EventID == "" || d.Target == "" {
			return wagate.Errorf(wagate.EINVALID, "Delivery eventId and target are required")
		}
	}
	now := time.Now().UTC()
	rows := make([]wagate.WebhookDelivery, len(ds))
	usedIDs := map[string]bool{}
	var fresh []*wagate.WebhookDelivery
	seen := map[[2]string]bool{}
	for i, d := range ds {
		r := *d
		if r.ID == "" {
			r.ID = ids.New()
		}
		if r.CreatedAt = r.CreatedAt.UTC(); d.CreatedAt.IsZero() {
			r.CreatedAt = now
		}
		r.Status, r.Attempts, r.NextAttemptAt, r.UpdatedAt = wagate.DeliveryPending, 0, now, now
		r.LastURL, r.LastCode, r.LastError, r.DeliveredAt = "", 0, "", time.Time{}
		rows[i] = r
		if k := [2]string{r.EventID, r.Target}; !seen[k] {
			if usedIDs[r.ID] {
				return wagate.Errorf(wagate.EINVALID, "Delivery id %s is used twice", r.ID)
			}
			usedIDs[r.ID] = true
			seen[k] = true
			fresh = append(fresh, &rows[i])
		}
	}
	for chunk := range slices.Chunk(fresh, createChunk) {
		if err := st.create(ctx, chunk); err != nil {
			return fmt.Errorf("create %d deliveries: %w", len(ds), err)
		}
	}
	for i, d := range ds {
		*d = rows[i]
	}
	return nil
}

// create writes one chunk, dropping deliveries whose event and target are
// taken and retrying the rest.
func (st *DeliveryStore) create(ctx context.Context, chunk []*wagate.WebhookDelivery) error {
	for len(chunk) > 0 {
		actions := make([]types.TransactWriteItem, 0, 2*len(chunk))
		for _, d := range chunk {
			it, err := encodeDelivery(d)
			if err != nil {
				return err
			}
			dedupe := item{attrPK: sv(dedupePK(d.EventID, d.Target)), attrSK: sv(skDedupe), aID: sv(d.ID)}
			actions = append(actions, st.t.putNewAction(it), st.t.putNewAction(dedupe))
		}
		err := st.t.transact(ctx, actions)
		if !isCondFailed(err) {
			return err
		}
		var keep []*wagate.WebhookDelivery
		for i, d := range chunk {
			switch {
			case failedAt(err, 2*i+1): // (event, target) stored already
			case failedAt(err, 2*i):
				return fmt.Errorf("delivery id %q is taken by another event", d.ID)
			default:
				keep = append(keep, d)
			}
		}
		chunk = keep
	}
	return nil
}

// ClaimDue leases up to limit due deliveries of sessions not in skip, the
// earliest due first, and returns them ordered by NextAttemptAt and ID.
func (st *DeliveryStore) ClaimDue(ctx context.Context, now time.Time, limit int, lease time.Duration, skip []string) ([]*wagate.WebhookDelivery, error) {
	if lease <= 0 {
		return nil, wagate.Errorf(wagate.EINVALID, "Lease must be positive")
	}
	st.lastClaim.Store(now.UnixNano())
	limit = min(max(limit, 1), maxDeliveryClaim)
	c := claim{st: st, leaseEnd: now.Add(lease)}
	var batch []item
	var err error
	w := walk{index: gsi4, pk: gkDue, hi: timeHi(now), project: []string{aSessionID}}
	walkErr := st.t.each(ctx, w, min(2*limit, maxListLimit), func(it item) bool {
		if slices.Contains(skip, getS(it, aSessionID)) {
			return true
		}
		if batch = append(batch, it); len(batch) < limit-len(c.won) {
			return true
		}
		err, batch = c.take(ctx, batch), nil
		return err == nil && len(c.won) < limit
	})
	if err == nil && walkErr == nil && len(batch) > 0 {
		err = c.take(ctx, batch)
	}
	if err == nil {
		err = walkErr
	}
	if err != nil {
		return nil, fmt.Errorf("claim due deliveries: %w", err)
	}
	slices.SortFunc(c.won, func(a, b *wagate.WebhookDelivery) int {
		return cmp.Or(a.NextAttemptAt.Compare(b.NextAttemptAt), strings.Compare(a.ID, b.ID))
	})
	return c.won, nil
}

// claim is one ClaimDue call.
type claim struct {
	st       *DeliveryStore
	leaseEnd time.Time
	mu       sync.Mutex
	won      []*wagate.WebhookDelivery
}

// take tries to lease each candidate (index entries), concurrently; those
// another claimer took first (or that changed since the walk read them) are
// left.
func (c *claim) take(ctx context.Context, candidates []item) error {
	return ddb.ForEach(ctx, len(candidates), func(ctx context.Context, i int) error {
		en := candidates[i]
		id := strings.TrimPrefix(getS(en, attrPK), "DELIVERY#")
		var e expr
		u := newUpdate(&e).set(attrGSI4SK, sv(timeStr(c.leaseEnd, id))).set(aLease, sv(fmtTime(c.leaseEnd)))
		cond := e.eq(attrGSI4SK, sv(getS(en, attrGSI4SK))) + " AND " + e.eq(aStatus, sv(string(wagate.DeliveryPending)))
		out, err := c.st.t.updateItem(ctx, &dynamodb.UpdateItemInput{
			Key:              keyOf(en).av(),
			UpdateExpression: aws.String(u.String()), ConditionExpression: aws.String(cond),
			ExpressionAttributeNames: e.Names(), ExpressionAttributeValues: e.Values(),
			ReturnValues: types.ReturnValueAllNew,
		})
		if isCondFailed(err) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("lease delivery %q: %w", id, err)
		}
		d, err := decodeDelivery(out.Attributes)
		if err != nil {
			return err
		}
		c.mu.Lock()
		c.won = append(c.won, d)
		c.mu.Unlock()
		return nil
	})
}

// WaitDue timing. duePoll is how often a waiting WaitDue looks at the due
// index: nothing wakes it across processes, so this bounds how late it
// notices a delivery created or replayed elsewhere (the suites allow
// 250 ms). dueSlack widens the window back in time to cover writes that
// were in flight while the last claim read the index; dueLookback caps how
// far back the window reaches.
const (
	duePoll     = 100 * time.Millisecond
	dueSlack    = 250 * time.Millisecond
	dueLookback = 5 * time.Second
)

// WaitDue returns when a pending delivery falls due that this store's last
// ClaimDue could not have seen — created, replayed, retried or with its
// lease ended since — after d, or when ctx ends. It polls the due index
// every duePoll for a delivery due between that claim's now (less
// dueSlack) and the present; deliveries due before it (of skipped
// sessions) do not wake it.
func (st *DeliveryStore) WaitDue(ctx context.Context, d time.Duration) {
	if d <= 0 {
		return
	}
	start := time.Now()
	deadline := start.Add(d)
	from := start
	if last := time.Unix(0, st.lastClaim.Load()); last.Before(from) {
		from = last
	}
	if from = from.Add(-dueSlack); from.Before(start.Add(-dueLookback)) {
		from = start.Add(-dueLookback)
	}
	for ctx.Err() == nil {
		found := false
		w := walk{index: gsi4, pk: gkDue, lo: timeLo(from), hi: timeHi(time.Now())}
		err := st.t.each(ctx, w, 1, func(item) bool { found = true; return false })
		if found || err != nil && ctx.Err() == nil {
			return // due, or the store failed: let the caller claim and see
		}
		wait := min(duePoll, time.Until(deadline))
		if wait <= 0 {
			return
		}
		select {
		case <-ctx.Done():
		case <-time.After(wait):
		}
	}
}
