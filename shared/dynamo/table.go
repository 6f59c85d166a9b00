package dynamo

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/wagate/wagate/shared/ddb"
)

// maxRetries bounds the retries of a conflicting transaction or an
// unprocessed batch; retry is the package's policy.
const maxRetries = 8

var retry = ddb.Retry{Attempts: maxRetries, Base: 10 * time.Millisecond, Max: 500 * time.Millisecond}

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

// db is t for the requests of package ddb.
func (t *Table) db() ddb.Table { return ddb.Table{Client: t.client, Name: t.name, Retry: retry} }

// item is a DynamoDB item.
type item = map[string]types.AttributeValue

// itemKey is the primary key of an item.
type itemKey struct{ pk, sk string }

func (k itemKey) av() item { return item{attrPK: sv(k.pk), attrSK: sv(k.sk)} }

func keyOf(it item) itemKey { return itemKey{getS(it, attrPK), getS(it, attrSK)} }

// get reads one item with a strongly consistent read; nil when absent.
func (t *Table) get(ctx context.Context, k itemKey) (item, error) {
	it, err := t.db().Get(ctx, k.av())
	if err != nil {
		return nil, fmt.Errorf("get %s/%s: %w", k.pk, k.sk, err)
	}
	return it, nil
}

// batchGet reads the items with keys (strongly consistent); absent items
// are missing from the result. With project, only the keys and those
// attributes are read.
func (t *Table) batchGet(ctx context.Context, keys []itemKey, project ...string) (map[itemKey]item, error) {
	if len(project) > 0 {
		project = append([]string{attrPK, attrSK}, project...)
	}
	return ddb.BatchGet(ctx, t.db(), keys, itemKey.av, keyOf, project...)
}

// batchDelete deletes the items with keys, in batches.
func (t *Table) batchDelete(ctx context.Context, keys []itemKey) error {
	reqs := make([]types.WriteRequest, len(keys))
	for i, k := range keys {
		reqs[i] = types.WriteRequest{DeleteRequest: &types.DeleteRequest{Key: k.av()}}
	}
	return t.db().BatchWrite(ctx, reqs)
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

// backoff sleeps before retry number attempt (1, 2, …). It returns early
// with ctx's error.
func backoff(ctx context.Context, attempt int) error { return retry.Backoff(ctx, attempt) }

// Single-item writes, retried while a transaction holds the item.

func (t *Table) updateItem(ctx context.Context, in *dynamodb.UpdateItemInput) (out *dynamodb.UpdateItemOutput, err error) {
	in.TableName = aws.String(t.name)
	err = retry.Conflicts(ctx, func() error { out, err = t.client.UpdateItem(ctx, in); return err })
	return out, err
}

func (t *Table) putItem(ctx context.Context, in *dynamodb.PutItemInput) error {
	in.TableName = aws.String(t.name)
	return retry.Conflicts(ctx, func() error { _, err := t.client.PutItem(ctx, in); return err })
}

func (t *Table) deleteItem(ctx context.Context, in *dynamodb.DeleteItemInput) (out *dynamodb.DeleteItemOutput, err error) {
	in.TableName = aws.String(t.name)
	err = retry.Conflicts(ctx, func() error { out, err = t.client.DeleteItem(ctx, in); return err })
	return out, err
}
