package ddb

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// Limits of the DynamoDB API.
const (
	MaxBatchGet      = 100 // keys per BatchGetItem
	MaxBatchWrite    = 25  // requests per BatchWriteItem
	MaxTransactItems = 100 // actions per TransactWriteItems
)

// Client is the part of the DynamoDB client the stores use;
// *dynamodb.Client implements it.
type Client interface {
	GetItem(ctx context.Context, in *dynamodb.GetItemInput, opts ...func(*dynamodb.Options)) (*dynamodb.GetItemOutput, error)
	PutItem(ctx context.Context, in *dynamodb.PutItemInput, opts ...func(*dynamodb.Options)) (*dynamodb.PutItemOutput, error)
	UpdateItem(ctx context.Context, in *dynamodb.UpdateItemInput, opts ...func(*dynamodb.Options)) (*dynamodb.UpdateItemOutput, error)
	DeleteItem(ctx context.Context, in *dynamodb.DeleteItemInput, opts ...func(*dynamodb.Options)) (*dynamodb.DeleteItemOutput, error)
	Query(ctx context.Context, in *dynamodb.QueryInput, opts ...func(*dynamodb.Options)) (*dynamodb.QueryOutput, error)
	BatchGetItem(ctx context.Context, in *dynamodb.BatchGetItemInput, opts ...func(*dynamodb.Options)) (*dynamodb.BatchGetItemOutput, error)
	BatchWriteItem(ctx context.Context, in *dynamodb.BatchWriteItemInput, opts ...func(*dynamodb.Options)) (*dynamodb.BatchWriteItemOutput, error)
	TransactWriteItems(ctx context.Context, in *dynamodb.TransactWriteItemsInput, opts ...func(*dynamodb.Options)) (*dynamodb.TransactWriteItemsOutput, error)
}

var _ Client = (*dynamodb.Client)(nil)

// Item is a DynamoDB item (or the key of one).
type Item = map[string]types.AttributeValue

// Table is one table reached through a client, with the retry policy of
// its requests. It caches nothing.
type Table struct {
	Client Client
	Name   string
	Retry  Retry
}

// Get reads the item with key (strongly consistent); nil when absent. The
// error is the client's, unwrapped.
func (t Table) Get(ctx context.Context, key Item) (Item, error) {
	out, err := t.Client.GetItem(ctx, &dynamodb.GetItemInput{
		TableName: aws.String(t.Name), Key: key, ConsistentRead: aws.Bool(true),
	})
	if err != nil {
		return nil, err
	}
	if len(out.Item) == 0 {
		return nil, nil
	}
	return out.Item, nil
}

// BatchGet reads the items with keys (strongly consistent), MaxBatchGet per
// request, retrying unprocessed keys; absent items are missing from the
// result and a repeated key is read once. key turns a key into its
// attributes and keyOf an item back into its key. With project, only those
// attributes are read: they must include the key attributes.
func BatchGet[K comparable](ctx context.Context, t Table, keys []K, key func(K) Item, keyOf func(Item) K, project ...string) (map[K]Item, error) {
	found := make(map[K]Item, len(keys))
	seen := make(map[K]bool, len(keys))
	var pending []Item
	for _, k := range keys {
		if !seen[k] {
			seen[k] = true
			pending = append(pending, key(k))
		}
	}
	var e Expr
	proj := make([]string, len(project))
	for i, a := range project {
		proj[i] = e.Name(a)
	}
	for attempt := 0; len(pending) > 0; {
		chunk := pending[:min(len(pending), MaxBatchGet)]
		pending = pending[len(chunk):]
		ka := types.KeysAndAttributes{Keys: chunk, ConsistentRead: aws.Bool(true)}
		if len(proj) > 0 {
			ka.ProjectionExpression, ka.ExpressionAttributeNames = aws.String(strings.Join(proj, ", ")), e.Names()
		}
		out, err := t.Client.BatchGetItem(ctx, &dynamodb.BatchGetItemInput{RequestItems: map[string]types.KeysAndAttributes{t.Name: ka}})
		if err != nil {
			return nil, fmt.Errorf("batch get %d items: %w", len(chunk), err)
		}
		for _, it := range out.Responses[t.Name] {
			found[keyOf(it)] = it
		}
		if left := out.UnprocessedKeys[t.Name].Keys; len(left) > 0 {
			if attempt++; attempt > t.Retry.Attempts {
				return nil, fmt.Errorf("batch get: %d keys left unprocessed", len(left))
			}
			if err := t.Retry.Backoff(ctx, attempt); err != nil {
				return nil, err
			}
			pending = append(pending, left...)
		}
	}
	return found, nil
}

// BatchWrite sends the put and delete requests reqs, MaxBatchWrite per
// request, retrying unprocessed ones. A key must appear once.
func (t Table) BatchWrite(ctx context.Context, reqs []types.WriteRequest) error {
	pending := slices.Clone(reqs) // retries append to it
	for attempt := 0; len(pending) > 0; {
		chunk := pending[:min(len(pending), MaxBatchWrite)]
		pending = pending[len(chunk):]
		out, err := t.Client.BatchWriteItem(ctx, &dynamodb.BatchWriteItemInput{RequestItems: map[string][]types.WriteRequest{t.Name: chunk}})
		if err != nil {
			return fmt.Errorf("batch write %d items: %w", len(chunk), err)
		}
		if left := out.UnprocessedItems[t.Name]; len(left) > 0 {
			if attempt++; attempt > t.Retry.Attempts {
				return fmt.Errorf("batch write: %d items left unprocessed", len(left))
			}
			if err := t.Retry.Backoff(ctx, attempt); err != nil {
				return err
			}
			pending = append(pending, left...)
		}
	}
	return nil
}
