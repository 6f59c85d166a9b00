package dynstore

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"strings"
	"sync/atomic"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/wagate/wagate/shared/ddb"
)

// retry is the policy of every request: up to 8 retries of a conflicting
// single write or an unprocessed batch, with short sleeps (the device
// store's callers wait on it while decrypting).
var retry = ddb.Retry{Attempts: 8, Base: 5 * time.Millisecond, Max: 300 * time.Millisecond}

// table is the device-store table: the client and the name. It caches
// nothing.
type table struct {
	api  API
	name string

	retries atomic.Int64 // transactions run again after a conflict
}

// db is t for the requests of package ddb.
func (t *table) db() ddb.Table { return ddb.Table{Client: t.api, Name: t.name, Retry: retry} }

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
	it, err := t.db().Get(ctx, k.av())
	if err != nil {
		return nil, fmt.Errorf("get %s: %w", k, err)
	}
	return it, nil
}

// batchGet reads the items with keys (strongly consistent); absent items
// are missing from the result.
func (t *table) batchGet(ctx context.Context, keys []itemKey) (map[itemKey]item, error) {
	return ddb.BatchGet(ctx, t.db(), keys, itemKey.av, keyOf)
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
	var e ddb.Expr
	cond := e.Eq(attrPK, sv(q.pk))
	switch {
	case lo != "":
		cond += " AND " + e.Name(attrSK) + " BETWEEN " + e.Value(sv(lo)) + " AND " + e.Value(sv(hi))
	case q.hi != "":
		cond += " AND " + e.Name(attrSK) + " <= " + e.Value(sv(hi))
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
func (t *table) putItem(ctx context.Context, it item, cond string, e *ddb.Expr) error {
	in := &dynamodb.PutItemInput{TableName: aws.String(t.name), Item: stamp(it)}
	if cond != "" {
		in.ConditionExpression = aws.String(cond)
		in.ExpressionAttributeNames, in.ExpressionAttributeValues = e.Names(), e.Values()
	}
	err := retry.Conflicts(ctx, func() error { _, err := t.api.PutItem(ctx, in); return err })
	if err != nil {
		return fmt.Errorf("put %s: %w", keyOf(it), err)
	}
	return nil
}

// deleteItem deletes the item k (absent is fine).
func (t *table) deleteItem(ctx context.Context, k itemKey) error {
	in := &dynamodb.DeleteItemInput{TableName: aws.String(t.name), Key: k.av()}
	err := retry.Conflicts(ctx, func() error { _, err := t.api.DeleteItem(ctx, in); return err })
	if err != nil {
		return fmt.Errorf("delete %s: %w", k, err)
	}
	return nil
}

// editItem applies ed to the item k in one UpdateItem. It reports false
// when ed.mustExist and the item is missing.
func (t *table) editItem(ctx context.Context, k itemKey, ed edit) (bool, error) {
	var e ddb.Expr
	upd, cond := ed.expression(&e, newRev())
	in := &dynamodb.UpdateItemInput{
		TableName: aws.String(t.name), Key: k.av(), UpdateExpression: aws.String(upd),
		ExpressionAttributeNames: e.Names(), ExpressionAttributeValues: e.Values(),
	}
	if cond != "" {
		in.ConditionExpression = aws.String(cond)
	}
	err := retry.Conflicts(ctx, func() error { _, err := t.api.UpdateItem(ctx, in); return err })
	if ddb.IsCondFailed(err) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("update %s: %w", k, err)
	}
	return true, nil
}

// batchWrite puts and deletes items in batches, without conditions;
// puts get fresh revisions. A key must appear once.
func (t *table) batchWrite(ctx context.Context, puts []item, dels []itemKey) error {
	reqs := make([]types.WriteRequest, 0, len(puts)+len(dels))
	for _, it := range puts {
		reqs = append(reqs, types.WriteRequest{PutRequest: &types.PutRequest{Item: stamp(it)}})
	}
	for _, k := range dels {
		reqs = append(reqs, types.WriteRequest{DeleteRequest: &types.DeleteRequest{Key: k.av()}})
	}
	return t.db().BatchWrite(ctx, reqs)
}
