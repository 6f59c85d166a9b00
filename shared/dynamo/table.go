package dynamo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strconv"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// Limits of the DynamoDB API and of this package.
const (
	maxBatchGet   = 100 // keys per BatchGetItem
	maxBatchWrite = 25  // requests per BatchWriteItem
	maxRetries    = 8   // attempts at a conflicting transaction or unprocessed batch
	retryBase     = 10 * time.Millisecond
	retryMax      = 500 * time.Millisecond
	parallelism   = 8 // concurrent single-item writes of one call (claims, replays, deletes)
)

// Table is the single DynamoDB table every store of this package keeps its
// items in. It holds no state besides the client: several processes share
// the table, so nothing is cached.
type Table struct {
	client *dynamodb.Client
	name   string
}

// NewTable returns the table name reached through client.
func NewTable(client *dynamodb.Client, name string) *Table {
	return &Table{client: client, name: name}
}

// Name returns the table name.
func (t *Table) Name() string { return t.name }

// item is a DynamoDB item.
type item = map[string]types.AttributeValue

// itemKey is the primary key of an item.
type itemKey struct{ pk, sk string }

func (k itemKey) av() item { return item{attrPK: sv(k.pk), attrSK: sv(k.sk)} }

func keyOf(it item) itemKey { return itemKey{getS(it, attrPK), getS(it, attrSK)} }

// get reads one item with a strongly consistent read; nil when absent.
func (t *Table) get(ctx context.Context, k itemKey) (item, error) {
	out, err := t.client.GetItem(ctx, &dynamodb.GetItemInput{
		TableName: aws.String(t.name), Key: k.av(), ConsistentRead: aws.Bool(true),
	})
	if err != nil {
		return nil, fmt.Errorf("get %s/%s: %w", k.pk, k.sk, err)
	}
	if len(out.Item) == 0 {
		return nil, nil
	}
	return out.Item, nil
}

// batchGet reads the items with keys (strongly consistent), 100 per
// request; absent items are missing from the result.
func (t *Table) batchGet(ctx context.Context, keys []itemKey, project ...string) (map[itemKey]item, error) {
	found := make(map[itemKey]item, len(keys))
	seen := make(map[itemKey]bool, len(keys))
	var pending []item
	for _, k := range keys {
		if !seen[k] {
			seen[k] = true
			pending = append(pending, k.av())
		}
	}
	var e expr
	proj := ""
	if len(project) > 0 {
		proj = e.n(attrPK) + ", " + e.n(attrSK)
		for _, a := range project {
			proj += ", " + e.n(a)
		}
	}
	for attempt := 0; len(pending) > 0; {
		chunk := pending[:min(len(pending), maxBatchGet)]
		pending = pending[len(chunk):]
		ka := types.KeysAndAttributes{Keys: chunk, ConsistentRead: aws.Bool(true)}
		if proj != "" {
			ka.ProjectionExpression, ka.ExpressionAttributeNames = aws.String(proj), e.Names()
		}
		out, err := t.client.BatchGetItem(ctx, &dynamodb.BatchGetItemInput{RequestItems: map[string]types.KeysAndAttributes{t.name: ka}})
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

// batchDelete deletes the items with keys, 25 per request.
func (t *Table) batchDelete(ctx context.Context, keys []itemKey) error {
	var pending []types.WriteRequest
	for _, k := range keys {
		pending = append(pending, types.WriteRequest{DeleteRequest: &types.DeleteRequest{Key: k.av()}})
	}
	for attempt := 0; len(pending) > 0; {
		chunk := pending[:min(len(pending), maxBatchWrite)]
		pending = pending[len(chunk):]
		out, err := t.client.BatchWriteItem(ctx, &dynamodb.BatchWriteItemInput{RequestItems: map[string][]types.WriteRequest{t.name: chunk}})
		if err != nil {
			return fmt.Errorf("batch delete %d items: %w", len(chunk), err)
		}
		if left := out.UnprocessedItems[t.name]; len(left) > 0 {
			if attempt++; attempt > maxRetries {
				return fmt.Errorf("batch delete: %d items left unprocessed", len(left))
			}
			if err := backoff(ctx, attempt); err != nil {
				return err
			}
			pending = append(pending, left...)
		}
	}
	return nil
}

// nextID allocates the next value of the named counter (atomic ADD): ids
// increase and are never reused, though a failed insert leaves a gap.
func (t *Table) nextID(ctx context.Context, name string) (int64, error) {
	var e expr
	out, err := t.client.UpdateItem(ctx, &dynamodb.UpdateItemInput{
		TableName:                 aws.String(t.name),
		Key:                       itemKey{counterPK(name), skCounter}.av(),
		UpdateExpression:          aws.String(newUpdate(&e).add(aN, 1).String()),
		ExpressionAttributeNames:  e.Names(),
		ExpressionAttributeValues: e.Values(),
		ReturnValues:              types.ReturnValueUpdatedNew,
	})
	if err != nil {
		return 0, fmt.Errorf("allocate %s id: %w", name, err)
	}
	n, ok := out.Attributes[aN].(*types.AttributeValueMemberN)
	if !ok {
		return 0, fmt.Errorf("allocate %s id: counter missing from the answer", name)
	}
	id, err := strconv.ParseInt(n.Value, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("allocate %s id: %w", name, err)
	}
	return id, nil
}

// backoff sleeps before retry number attempt (1, 2, …): exponential with
// full jitter, capped. It returns early with ctx's error.
func backoff(ctx context.Context, attempt int) error {
	d := min(retryBase<<min(attempt, 10), retryMax)
	d = time.Duration(rand.Int64N(int64(d)) + 1)
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

// Single-item writes, retried while a transaction holds the item.

func (t *Table) updateItem(ctx context.Context, in *dynamodb.UpdateItemInput) (out *dynamodb.UpdateItemOutput, err error) {
	in.TableName = aws.String(t.name)
	err = retryConflicts(ctx, func() error { out, err = t.client.UpdateItem(ctx, in); return err })
	return out, err
}

func (t *Table) putItem(ctx context.Context, in *dynamodb.PutItemInput) error {
	in.TableName = aws.String(t.name)
	return retryConflicts(ctx, func() error { _, err := t.client.PutItem(ctx, in); return err })
}

func (t *Table) deleteItem(ctx context.Context, in *dynamodb.DeleteItemInput) (out *dynamodb.DeleteItemOutput, err error) {
	in.TableName = aws.String(t.name)
	err = retryConflicts(ctx, func() error { out, err = t.client.DeleteItem(ctx, in); return err })
	return out, err
}
