package dynstore

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	mathrand "math/rand/v2"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// Limits of the DynamoDB API and of this package.
const (
	maxBatchGet      = 100 // keys per BatchGetItem
	maxBatchWrite    = 25  // requests per BatchWriteItem
	maxTransactItems = 100 // actions per TransactWriteItems
	maxRetries       = 8   // attempts at a throttled or unprocessed request
	retryBase        = 5 * time.Millisecond
	retryMax         = 300 * time.Millisecond
	parallelism      = 8 // concurrent single-item requests of one call
)

// table is the device-store table: the client and the name. It caches
// nothing.
type table struct {
	api  API
	name string

	retries atomic.Int64 // transactions run again after a conflict
}

// newRev returns a fresh revision token.
func newRev() string {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// stamp gives it a fresh revision.
func stamp(it item) item {
	it[attrRev] = sv(newRev())
	return it
}

// getItem reads one item (strongly consistent); nil when absent.
func (t *table) getItem(ctx context.Context, k itemKey) (item, error) {
	out, err := t.api.GetItem(ctx, &dynamodb.GetItemInput{
		TableName: aws.String(t.name), Key: k.av(), ConsistentRead: aws.Bool(true),
	})
	if err != nil {
		return nil, fmt.Errorf("get %s: %w", k, err)
	}
	if len(out.Item) == 0 {
		return nil, nil
	}
	return out.Item, nil
}

// batchGet reads the items with keys (strongly consistent), 100 per
// request; absent items are missing from the result.
func (t *table) batchGet(ctx context.Context, keys []itemKey) (map[itemKey]item, error) {
	found := make(map[itemKey]item, len(keys))
	seen := make(map[itemKey]bool, len(keys))
	var pending []item
	for _, k := range keys {
		if !seen[k] {
			seen[k] = true
			pending = append(pending, k.av())
		}
	}
	for attempt := 0; len(pending) > 0; {
		chunk := pending[:min(len(pending), maxBatchGet)]
		pending = pending[len(chunk):]
		out, err := t.api.BatchGetItem(ctx, &dynamodb.BatchGetItemInput{RequestItems: map[string]types.KeysAndAttributes{
			t.name: {Keys: chunk, ConsistentRead: aws.Bool(true)},
		}})
		if err != nil {
			return nil, fmt.Errorf("batch get %d items: %w", len(chunk), err)
		}
		for _, it := range out.Responses[t.name] {
			found[keyOf(it)] = it
		}
		if left := out.UnprocessedKeys[t.name].Keys; len(left) > 0 {
			if attempt++; attempt > maxRetries {
				return nil, fmt.Errorf("batch get: %d keys left unprocessed", len(left))
			}
			if err := backoff(ctx, attempt); err != nil {
				return nil, err
			}
			pending = append(pending, left...)
		}
	}
	return found, nil
}

// rangeQ selects items of partition pk whose sort key starts with prefix,
// sorts after lo (exclusive, "" = open) and at or before hi (inclusive, "" =
// open).
type rangeQ struct {
	pk, prefix, lo, hi string
}

// prefixEnd sorts after every key that starts with a prefix: the largest
// code point, whose UTF-8 encoding sorts after every other (DynamoDB
// compares string keys by their UTF-8 bytes).
const prefixEnd = "\U0010FFFF"

// match reports whether sort key sk is within q.
func (q rangeQ) match(sk string) bool {
	return strings.HasPrefix(sk, q.prefix) && (q.lo == "" || sk > q.lo) && (q.hi == "" || sk <= q.hi)
}

// query reads every item within q, in sort-key order.
func (t *table) query(ctx context.Context, q rangeQ) ([]item, error) {
	lo, hi := q.prefix, q.prefix+prefixEnd
	if q.lo != "" {
		lo = max(lo, q.lo)
	}
	if q.hi != "" {
		hi = min(hi, q.hi)
	}
	if lo > hi {
		return nil, nil
	}
	var e expr
	cond := e.n(attrPK) + " = " + e.v(sv(q.pk))
	switch {
	case lo != "":
		cond += " AND " + e.n(attrSK) + " BETWEEN " + e.v(sv(lo)) + " AND " + e.v(sv(hi))
	case q.hi != "":
		cond += " AND " + e.n(attrSK) + " <= " + e.v(sv(hi))
	}
	in := &dynamodb.QueryInput{
		TableName: aws.String(t.name), KeyConditionExpression: aws.String(cond),
		ExpressionAttributeNames: e.Names(), ExpressionAttributeValues: e.Values(),
		ConsistentRead: aws.Bool(true),
	}
	var out []item
	for {
		page, err := t.api.Query(ctx, in)
		if err != nil {
			return nil, fmt.Errorf("query %s %s*: %w", q.pk, q.prefix, err)
		}
		for _, it := range page.Items {
			if q.match(getS(it, attrSK)) {
				out = append(out, it)
			}
		}
		if len(page.LastEvaluatedKey) == 0 {
			return out, nil
		}
		in.ExclusiveStartKey = page.LastEvaluatedKey
	}
}

// putItem writes it (with a fresh revision) on condition cond ("" = none).
func (t *table) putItem(ctx context.Context, it item, cond string, e *expr) error {
	in := &dynamodb.PutItemInput{TableName: aws.String(t.name), Item: stamp(it)}
	if cond != "" {
		in.ConditionExpression = aws.String(cond)
		in.ExpressionAttributeNames, in.ExpressionAttributeValues = e.Names(), e.Values()
	}
	err := retryConflicts(ctx, func() error { _, err := t.api.PutItem(ctx, in); return err })
	if err != nil {
		return fmt.Errorf("put %s: %w", keyOf(it), err)
	}
	return nil
}

// deleteItem deletes the item k (absent is fine).
func (t *table) deleteItem(ctx context.Context, k itemKey) error {
	in := &dynamodb.DeleteItemInput{TableName: aws.String(t.name), Key: k.av()}
	err := retryConflicts(ctx, func() error { _, err := t.api.DeleteItem(ctx, in); return err })
	if err != nil {
		return fmt.Errorf("delete %s: %w", k, err)
	}
	return nil
}

// editItem applies ed to the item k in one UpdateItem. It reports false
// when ed.mustExist and the item is missing.
func (t *table) editItem(ctx context.Context, k itemKey, ed edit) (bool, error) {
	var e expr
	upd, cond := ed.expression(&e, newRev())
	in := &dynamodb.UpdateItemInput{
		TableName: aws.String(t.name), Key: k.av(), UpdateExpression: aws.String(upd),
		ExpressionAttributeNames: e.Names(), ExpressionAttributeValues: e.Values(),
	}
	if cond != "" {
		in.ConditionExpression = aws.String(cond)
	}
	err := retryConflicts(ctx, func() error { _, err := t.api.UpdateItem(ctx, in); return err })
	if isCondFailed(err) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("update %s: %w", k, err)
	}
	return true, nil
}

// batchWrite puts and deletes items, 25 per request, without conditions;
// puts get fresh revisions. A key must appear once.
func (t *table) batchWrite(ctx context.Context, puts []item, dels []itemKey) error {
	pending := make([]types.WriteRequest, 0, len(puts)+len(dels))
	for _, it := range puts {
		pending = append(pending, types.WriteRequest{PutRequest: &types.PutRequest{Item: stamp(it)}})
	}
	for _, k := range dels {
		pending = append(pending, types.WriteRequest{DeleteRequest: &types.DeleteRequest{Key: k.av()}})
	}
	for attempt := 0; len(pending) > 0; {
		chunk := pending[:min(len(pending), maxBatchWrite)]
		pending = pending[len(chunk):]
		out, err := t.api.BatchWriteItem(ctx, &dynamodb.BatchWriteItemInput{RequestItems: map[string][]types.WriteRequest{t.name: chunk}})
		if err != nil {
			return fmt.Errorf("batch write %d items: %w", len(chunk), err)
		}
		if left := out.UnprocessedItems[t.name]; len(left) > 0 {
			if attempt++; attempt > maxRetries {
				return fmt.Errorf("batch write: %d items left unprocessed", len(left))
			}
			if err := backoff(ctx, attempt); err != nil {
				return err
			}
			pending = append(pending, left...)
		}
	}
	return nil
}

// isCondFailed reports whether err is a failed condition of a single write.
func isCondFailed(err error) bool {
	var ccf *types.ConditionalCheckFailedException
	return errors.As(err, &ccf)
}

// retryConflicts calls fn again while it fails because a transaction holds
// its item, at most maxRetries times.
func retryConflicts(ctx context.Context, fn func() error) error {
	for attempt := 0; ; attempt++ {
		err := fn()
		var tc *types.TransactionConflictException
		if !errors.As(err, &tc) || attempt >= maxRetries {
			return err
		}
		if err := backoff(ctx, attempt+1); err != nil {
			return err
		}
	}
}

// backoff sleeps before retry number attempt (1, 2, …): exponential with
// full jitter, capped. It returns early with ctx's error.
func backoff(ctx context.Context, attempt int) error {
	d := min(retryBase<<min(attempt, 10), retryMax)
	d = time.Duration(mathrand.Int64N(int64(d)) + 1)
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-time.After(d):
		return nil
	}
}

// forEach runs fn on each of n indexes with at most parallelism calls at
// once and returns the first error.
func forEach(ctx context.Context, n int, fn func(ctx context.Context, i int) error) error {
	if n == 0 {
		return nil
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	sem := make(chan struct{}, parallelism)
	errs := make(chan error, n)
	for i := range n {
		sem <- struct{}{}
		go func() {
			defer func() { <-sem }()
			errs <- fn(ctx, i)
		}()
	}
	var first error
	for range n {
		if err := <-errs; err != nil && first == nil {
			first = err
			cancel()
		}
	}
	return first
}

// sortedAttrs returns the attribute names of it in order (stable requests).
func sortedAttrs(it item) []string {
	out := make([]string, 0, len(it))
	for a := range it {
		out = append(out, a)
	}
	slices.Sort(out)
	return out
}
