package ddbtest

import (
	"context"
	"fmt"
	"regexp"
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/smithy-go/middleware"
)

// Strict describes a table to check requests against, refusing what
// DynamoDB refuses but the emulator lets through: undefined or unused
// expression names and values, a transaction of more than 100 actions or
// with two actions on one item, an empty key, an empty index key, a
// BETWEEN with its bounds out of order, a strongly consistent read of an
// index, and one path both SET and REMOVEd.
type Strict struct {
	// PartitionKey and SortKey are the (string) key attributes of the
	// table: every request naming an item must give both, non-empty.
	PartitionKey, SortKey string
	// IndexKeys are the key attributes of its secondary indexes: a put
	// must not give any of them an empty string.
	IndexKeys []string
}

// addTo adds the checks to a client's middleware stack (an APIOptions
// entry).
func (s Strict) addTo(stack *middleware.Stack) error {
	return stack.Initialize.Add(middleware.InitializeMiddlewareFunc("ddbtestStrictChecks",
		func(ctx context.Context, in middleware.InitializeInput, next middleware.InitializeHandler) (middleware.InitializeOutput, middleware.Metadata, error) {
			if err := s.Check(in.Parameters); err != nil {
				return middleware.InitializeOutput{}, middleware.Metadata{}, fmt.Errorf("strict check: %w", err)
			}
			return next.HandleInitialize(ctx, in)
		}), middleware.Before)
}

type avs = map[string]types.AttributeValue

// Check returns why DynamoDB would refuse params, the input of a DynamoDB
// operation; nil when it would not (or s does not know).
func (s Strict) Check(params any) error {
	switch in := params.(type) {
	case *dynamodb.QueryInput:
		if in.IndexName != nil && in.ConsistentRead != nil && *in.ConsistentRead {
			return fmt.Errorf("consistent read of index %s", *in.IndexName)
		}
		if err := checkBetween(deref(in.KeyConditionExpression), in.ExpressionAttributeValues); err != nil {
			return err
		}
		return checkPlaceholders(in.ExpressionAttributeNames, in.ExpressionAttributeValues,
			in.KeyConditionExpression, in.FilterExpression, in.ProjectionExpression)
	case *dynamodb.GetItemInput:
		return s.checkKey(in.Key)
	case *dynamodb.UpdateItemInput:
		if err := s.checkKey(in.Key); err != nil {
			return err
		}
		return checkUpdate(in.UpdateExpression, in.ConditionExpression, in.ExpressionAttributeNames, in.ExpressionAttributeValues)
	case *dynamodb.PutItemInput:
		if err := s.checkPut(in.Item); err != nil {
			return err
		}
		return checkPlaceholders(in.ExpressionAttributeNames, in.ExpressionAttributeValues, in.ConditionExpression)
	case *dynamodb.DeleteItemInput:
		if err := s.checkKey(in.Key); err != nil {
			return err
		}
		return checkPlaceholders(in.ExpressionAttributeNames, in.ExpressionAttributeValues, in.ConditionExpression)
	case *dynamodb.BatchGetItemInput:
		for _, ka := range in.RequestItems {
			if err := checkPlaceholders(ka.ExpressionAttributeNames, nil, ka.ProjectionExpression); err != nil {
				return err
			}
		}
	case *dynamodb.TransactWriteItemsInput:
		return s.checkTransaction(in.TransactItems)
	}
	return nil
}

func (s Strict) checkTransaction(actions []types.TransactWriteItem) error {
	if len(actions) > 100 {
		return fmt.Errorf("transaction of %d actions", len(actions))
	}
	seen := map[string]bool{}
	for i, a := range actions {
		var key avs
		var err error
		switch {
		case a.Put != nil:
			key = a.Put.Item
			if err = s.checkPut(a.Put.Item); err == nil {
				err = checkPlaceholders(a.Put.ExpressionAttributeNames, a.Put.ExpressionAttributeValues, a.Put.ConditionExpression)
			}
		case a.Update != nil:
			key = a.Update.Key
			if err = s.checkKey(key); err == nil {
				err = checkUpdate(a.Update.UpdateExpression, a.Update.ConditionExpression, a.Update.ExpressionAttributeNames, a.Update.ExpressionAttributeValues)
			}
		case a.Delete != nil:
			key = a.Delete.Key
			if err = s.checkKey(key); err == nil {
				err = checkPlaceholders(a.Delete.ExpressionAttributeNames, a.Delete.ExpressionAttributeValues, a.Delete.ConditionExpression)
			}
		case a.ConditionCheck != nil:
			key = a.ConditionCheck.Key
			if err = s.checkKey(key); err == nil {
				err = checkPlaceholders(a.ConditionCheck.ExpressionAttributeNames, a.ConditionCheck.ExpressionAttributeValues, a.ConditionCheck.ConditionExpression)
			}
		}
		if err != nil {
			return fmt.Errorf("action %d: %w", i, err)
		}
		k := attrString(key[s.PartitionKey]) + "|" + attrString(key[s.SortKey])
		if seen[k] {
			return fmt.Errorf("two actions on item %s", k)
		}
		seen[k] = true
	}
	return nil
}

// checkKey refuses a key (or an item) without both key attributes.
func (s Strict) checkKey(it avs) error {
	if pk, sk := attrString(it[s.PartitionKey]), attrString(it[s.SortKey]); pk == "" || sk == "" {
		return fmt.Errorf("empty key %s/%s", pk, sk)
	}
	return nil
}

// checkPut refuses an item without its key or with an empty index key.
func (s Strict) checkPut(it avs) error {
	if err := s.checkKey(it); err != nil {
		return err
	}
	for _, k := range s.IndexKeys {
		if v, ok := it[k]; ok && attrString(v) == "" {
			return fmt.Errorf("empty index key %s", k)
		}
	}
	return nil
}

var setPath = regexp.MustCompile(`(#n\d+)\s*=`)

func checkUpdate(update, cond *string, names map[string]string, values avs) error {
	u := deref(update)
	if i := strings.Index(u, "REMOVE "); i >= 0 {
		for _, m := range setPath.FindAllStringSubmatch(u[:i], -1) {
			if strings.Contains(u[i:], m[1]) {
				return fmt.Errorf("update sets and removes %s: %s", names[m[1]], u)
			}
		}
	}
	return checkPlaceholders(names, values, update, cond)
}

var placeholder = regexp.MustCompile(`[#:][A-Za-z0-9_]+`)

func checkPlaceholders(names map[string]string, values avs, exprs ...*string) error {
	used := map[string]bool{}
	for _, e := range exprs {
		for _, p := range placeholder.FindAllString(deref(e), -1) {
			used[p] = true
			_, isName := names[p]
			_, isValue := values[p]
			if !isName && !isValue {
				return fmt.Errorf("%s is not defined", p)
			}
		}
	}
	for p := range names {
		if !used[p] {
			return fmt.Errorf("name %s (%s) unused", p, names[p])
		}
	}
	for p := range values {
		if !used[p] {
			return fmt.Errorf("value %s unused", p)
		}
	}
	return nil
}

var between = regexp.MustCompile(`BETWEEN (:v\d+) AND (:v\d+)`)

func checkBetween(cond string, values avs) error {
	for _, m := range between.FindAllStringSubmatch(cond, -1) {
		if lo, hi := attrString(values[m[1]]), attrString(values[m[2]]); lo > hi {
			return fmt.Errorf("BETWEEN %q AND %q", lo, hi)
		}
	}
	return nil
}

func attrString(av types.AttributeValue) string {
	if s, ok := av.(*types.AttributeValueMemberS); ok {
		return s.Value
	}
	return ""
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
