package dynstore

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/wagate/wagate/shared/ddb"
)

// ErrTxnTooLarge is returned when a transaction would write (or check) more
// items than one TransactWriteItems holds.
var ErrTxnTooLarge = fmt.Errorf("device store transaction touches more than %d items", ddb.MaxTransactItems)

// errConflict reports a transaction whose items changed since it read them
// (or that another transaction held); it is run again.
var errConflict = errors.New("device store transaction conflict")

// maxTxnAttempts bounds the runs of one transaction that keeps conflicting.
const maxTxnAttempts = 16

type txnKey struct{}

// readEntry is an item as a transaction first read it (it == nil: absent).
// guard asks the commit to check it is unchanged even if not written
// (point reads; items only seen by a query are not checked).
type readEntry struct {
	it    item
	guard bool
}

// txn is a write set carried by a context: reads see its writes, and
// commit writes them all at once, on the condition that what it read is
// unchanged. split allows a commit too large for one transaction to be
// written in batches instead (without conditions, puts before deletes).
type txn struct {
	t     *table
	split bool

	mu     sync.Mutex
	reads  map[itemKey]readEntry
	writes map[itemKey]item // nil: delete
	order  []itemKey
}

func newTxn(t *table, split bool) *txn {
	return &txn{t: t, split: split, reads: map[itemKey]readEntry{}, writes: map[itemKey]item{}}
}

// txnFrom returns the transaction on t that ctx carries, or nil.
func txnFrom(ctx context.Context, t *table) *txn {
	x, _ := ctx.Value(txnKey{}).(*txn)
	if x != nil && x.t == t {
		return x
	}
	return nil
}

// atomic runs fn in a transaction: the one ctx carries, or else a new one
// that is committed when fn returns nil and run again on conflicts. An
// error from fn discards everything fn wrote.
func (t *table) atomic(ctx context.Context, split bool, fn func(ctx context.Context) error) error {
	if txnFrom(ctx, t) != nil {
		return fn(ctx)
	}
	for attempt := 1; ; attempt++ {
		x := newTxn(t, split)
		if err := fn(context.WithValue(ctx, txnKey{}, x)); err != nil {
			return err
		}
		err := x.commit(ctx)
		if !errors.Is(err, errConflict) {
			return err
		}
		t.retries.Add(1)
		if attempt >= maxTxnAttempts {
			return fmt.Errorf("after %d attempts: %w", attempt, err)
		}
		if err := retry.Backoff(ctx, attempt); err != nil {
			return err
		}
	}
}

// get returns the item k as the transaction sees it.
func (x *txn) get(ctx context.Context, k itemKey) (item, error) {
	x.mu.Lock()
	defer x.mu.Unlock()
	if w, ok := x.writes[k]; ok {
		return cloneItem(w), nil
	}
	if r, ok := x.reads[k]; ok {
		if !r.guard {
			x.reads[k] = readEntry{r.it, true}
		}
		return cloneItem(r.it), nil
	}
	it, err := x.t.getItem(ctx, k)
	if err != nil {
		return nil, err
	}
	x.reads[k] = readEntry{it, true}
	return cloneItem(it), nil
}

// prefetch reads the keys not seen yet in one batch, so that later gets
// are answered from memory.
func (x *txn) prefetch(ctx context.Context, keys []itemKey) error {
	x.mu.Lock()
	defer x.mu.Unlock()
	var missing []itemKey
	for _, k := range keys {
		_, w := x.writes[k]
		_, r := x.reads[k]
		if !w && !r {
			missing = append(missing, k)
		}
	}
	if len(missing) == 0 {
		return nil
	}
	found, err := x.t.batchGet(ctx, missing)
	if err != nil {
		return err
	}
	for _, k := range missing {
		x.reads[k] = readEntry{found[k], true}
	}
	return nil
}

// query returns the items within q as the transaction sees them.
func (x *txn) query(ctx context.Context, q rangeQ) ([]item, error) {
	stored, err := x.t.query(ctx, q)
	if err != nil {
		return nil, err
	}
	x.mu.Lock()
	defer x.mu.Unlock()
	byKey := map[itemKey]item{}
	for _, it := range stored {
		k := keyOf(it)
		if r, ok := x.reads[k]; ok {
			it = r.it // keep the first read: what the commit checks
		} else {
			x.reads[k] = readEntry{it: it}
		}
		if it != nil {
			byKey[k] = it
		}
	}
	for k, w := range x.writes {
		if k.pk != q.pk || !q.match(k.sk) {
			continue
		}
		if w == nil {
			delete(byKey, k)
		} else {
			byKey[k] = w
		}
	}
	out := make([]item, 0, len(byKey))
	for _, it := range byKey {
		out = append(out, cloneItem(it))
	}
	slices.SortFunc(out, func(a, b item) int { return strings.Compare(getS(a, attrSK), getS(b, attrSK)) })
	return out, nil
}

// put buffers writing it; del buffers deleting k.
func (x *txn) put(it item)   { x.write(keyOf(it), cloneItem(it)) }
func (x *txn) del(k itemKey) { x.write(k, nil) }

func (x *txn) write(k itemKey, it item) {
	x.mu.Lock()
	defer x.mu.Unlock()
	if _, ok := x.writes[k]; !ok {
		x.order = append(x.order, k)
	}
	x.writes[k] = it
}

// commit writes the write set: in one TransactWriteItems whose actions are
// conditioned on the items read being unchanged, or — for a split
// transaction too large for one — in batches.
func (x *txn) commit(ctx context.Context) error {
	x.mu.Lock()
	defer x.mu.Unlock()
	if len(x.writes) == 0 {
		return nil
	}
	var actions []types.TransactWriteItem
	for _, k := range x.order {
		actions = append(actions, x.action(k))
	}
	for k, r := range x.reads {
		if _, written := x.writes[k]; !written && r.guard {
			var e ddb.Expr
			actions = append(actions, types.TransactWriteItem{ConditionCheck: &types.ConditionCheck{
				TableName: aws.String(x.t.name), Key: k.av(), ConditionExpression: aws.String(revCond(&e, r.it)),
				ExpressionAttributeNames: e.Names(), ExpressionAttributeValues: e.Values(),
			}})
		}
	}
	if len(actions) > ddb.MaxTransactItems {
		if x.split {
			return x.commitBatches(ctx)
		}
		return fmt.Errorf("%w (%d)", ErrTxnTooLarge, len(actions))
	}
	if len(actions) == 1 {
		return x.commitOne(ctx, actions[0])
	}
	_, err := x.t.api.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: actions})
	if err == nil {
		return nil
	}
	if c := ddb.Cancelled(err, len(actions)); c != nil {
		if c.Other != nil {
			return fmt.Errorf("commit %d actions: %s: %s: %w", len(actions), c.Other.Code, c.Other.Message, err)
		}
		return fmt.Errorf("commit %d actions: %w", len(actions), errConflict)
	}
	var conflict *types.TransactionConflictException
	if errors.As(err, &conflict) {
		return fmt.Errorf("commit %d actions: %w", len(actions), errConflict)
	}
	return fmt.Errorf("commit %d actions: %w", len(actions), err)
}

// action is the transaction action writing k, conditioned on what was read.
func (x *txn) action(k itemKey) types.TransactWriteItem {
	var e ddb.Expr
	cond := ""
	if r, ok := x.reads[k]; ok {
		cond = revCond(&e, r.it)
	}
	var condp *string
	if cond != "" {
		condp = aws.String(cond)
	}
	if w := x.writes[k]; w != nil {
		return types.TransactWriteItem{Put: &types.Put{
			TableName: aws.String(x.t.name), Item: stamp(cloneItem(w)), ConditionExpression: condp,
			ExpressionAttributeNames: e.Names(), ExpressionAttributeValues: e.Values(),
		}}
	}
	return types.TransactWriteItem{Delete: &types.Delete{
		TableName: aws.String(x.t.name), Key: k.av(), ConditionExpression: condp,
		ExpressionAttributeNames: e.Names(), ExpressionAttributeValues: e.Values(),
	}}
}

// commitOne writes a transaction of one action with a single conditional
// write: the same guarantee at half a transaction's cost.
func (x *txn) commitOne(ctx context.Context, a types.TransactWriteItem) error {
	var err error
	if p := a.Put; p != nil {
		_, err = x.t.api.PutItem(ctx, &dynamodb.PutItemInput{
			TableName: p.TableName, Item: p.Item, ConditionExpression: p.ConditionExpression,
			ExpressionAttributeNames: p.ExpressionAttributeNames, ExpressionAttributeValues: p.ExpressionAttributeValues,
		})
	} else {
		d := a.Delete
		_, err = x.t.api.DeleteItem(ctx, &dynamodb.DeleteItemInput{
			TableName: d.TableName, Key: d.Key, ConditionExpression: d.ConditionExpression,
			ExpressionAttributeNames: d.ExpressionAttributeNames, ExpressionAttributeValues: d.ExpressionAttributeValues,
		})
	}
	var conflict *types.TransactionConflictException
	switch {
	case err == nil:
		return nil
	case ddb.IsCondFailed(err), errors.As(err, &conflict):
		return fmt.Errorf("commit one write: %w", errConflict)
	}
	return fmt.Errorf("commit one write: %w", err)
}

// commitBatches writes the puts, then the deletes, in batches.
func (x *txn) commitBatches(ctx context.Context) error {
	var puts []item
	var dels []itemKey
	for _, k := range x.order {
		if w := x.writes[k]; w != nil {
			puts = append(puts, cloneItem(w))
		} else {
			dels = append(dels, k)
		}
	}
	if err := x.t.batchWrite(ctx, puts, nil); err != nil {
		return err
	}
	return x.t.batchWrite(ctx, nil, dels)
}
