package dynamo_test

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/smithy-go/middleware"

	"github.com/wagate/wagate/shared/dynamo"
)

// strictChecks refuses requests that DynamoDB refuses but the emulator lets
// through, so the integration tests catch them: unused or undefined
// expression names and values, two actions of one transaction on the same
// item, empty index keys, a BETWEEN with its bounds out of order, strongly
// consistent reads of an index, and one path both SET and REMOVEd.
func strictChecks(stack *middleware.Stack) error {
	return stack.Initialize.Add(middleware.InitializeMiddlewareFunc("wagateStrictChecks",
		func(ctx context.Context, in middleware.InitializeInput, next middleware.InitializeHandler) (middleware.InitializeOutput, middleware.Metadata, error) {
			if err := checkRequest(in.Parameters); err != nil {
				return middleware.InitializeOutput{}, middleware.Metadata{}, fmt.Errorf("strict check: %w", err)
			}
			return next.HandleInitialize(ctx, in)
		}), middleware.Before)
}

func checkRequest(params any) error {
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
	case *dynamodb.UpdateItemInput:
		return checkUpdate(in.UpdateExpression, in.ConditionExpression, in.ExpressionAttributeNames, in.ExpressionAttributeValues)
	case *dynamodb.PutItemInput:
		if err := checkIndexKeys(in.Item); err != nil {
			return err
		}
		return checkPlaceholders(in.ExpressionAttributeNames, in.ExpressionAttributeValues, in.ConditionExpression)
	case *dynamodb.DeleteItemInput:
		return checkPlaceholders(in.ExpressionAttributeNames, in.ExpressionAttributeValues, in.ConditionExpression)
	case *dynamodb.BatchGetItemInput:
		for _, ka := range in.RequestItems {
			if err := checkPlaceholders(ka.ExpressionAttributeNames, nil, ka.ProjectionExpression); err != nil {
				return err
			}
		}
	case *dynamodb.TransactWriteItemsInput:
		return checkTransaction(in.TransactItems)
	}
	return nil
}

func checkTransaction(actions []types.TransactWriteItem) error {
	seen := map[string]bool{}
	for i, a := range actions {
		var key map[string]types.AttributeValue
		var err error
		switch {
		case a.Put != nil:
			key = a.Put.Item
			if err = checkIndexKeys(a.Put.Item); err == nil {
				err = checkPlaceholders(a.Put.ExpressionAttributeNames, a.Put.ExpressionAttributeValues, a.Put.ConditionExpression)
			}
		case a.Update != nil:
			key = a.Update.Key
			err = checkUpdate(a.Update.UpdateExpression, a.Update.ConditionExpression, a.Update.ExpressionAttributeNames, a.Update.ExpressionAttributeValues)
		case a.Delete != nil:
			key = a.Delete.Key
			err = checkPlaceholders(a.Delete.ExpressionAttributeNames, a.Delete.ExpressionAttributeValues, a.Delete.ConditionExpression)
		case a.ConditionCheck != nil:
			key = a.ConditionCheck.Key
		}
		if err != nil {
			return fmt.Errorf("action %d: %w", i, err)
		}
		k := attrString(key["pk"]) + "|" + attrString(key["sk"])
		if seen[k] {
			return fmt.Errorf("two actions on item %s", k)
		}
		seen[k] = true
	}
	return nil
}

var setPath = regexp.MustCompile(`(#n\d+)\s*=`)

func checkUpdate(update, cond *string, names map[string]string, values map[string]types.AttributeValue) error {
	u := deref(update)
	if i := strings.Index(u, "REMOVE "); i >= 0 {
		removed := u[i:]
		for _, m := range setPath.FindAllStringSubmatch(u[:i], -1) {
			if strings.Contains(removed, m[1]) {
				return fmt.Errorf("update sets and removes %s: %s", names[m[1]], u)
			}
		}
	}
	return checkPlaceholders(names, values, update, cond)
}

var placeholder = regexp.MustCompile(`[#:][A-Za-z0-9_]+`)

func checkPlaceholders(names map[string]string, values map[string]types.AttributeValue, exprs ...*string) error {
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

func checkBetween(cond string, values map[string]types.AttributeValue) error {
	for _, m := range between.FindAllStringSubmatch(cond, -1) {
		if lo, hi := attrString(values[m[1]]), attrString(values[m[2]]); lo > hi {
			return fmt.Errorf("BETWEEN %q AND %q", lo, hi)
		}
	}
	return nil
}

// checkIndexKeys refuses empty strings in index key attributes.
func checkIndexKeys(it map[string]types.AttributeValue) error {
	for _, ix := range dynamo.TableSpec.Indexes {
		for _, k := range []string{ix.PartitionKey, ix.SortKey} {
			if v, ok := it[k]; ok && attrString(v) == "" {
				return fmt.Errorf("empty index key %s", k)
			}
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

func TestStrictChecks(t *testing.T) {
	s := func(v string) *string { return &v }
	sv := func(v string) types.AttributeValue { return &types.AttributeValueMemberS{Value: v} }
	key := map[string]types.AttributeValue{"pk": sv("a"), "sk": sv("b")}
	for name, in := range map[string]any{
		"UnusedName": &dynamodb.UpdateItemInput{UpdateExpression: s("SET #n000 = :v000"),
			ExpressionAttributeNames: map[string]string{"#n000": "a", "#n001": "b"}, ExpressionAttributeValues: map[string]types.AttributeValue{":v000": sv("x")}},
		"UndefinedValue": &dynamodb.DeleteItemInput{ConditionExpression: s("#n000 = :v000"), ExpressionAttributeNames: map[string]string{"#n000": "a"}},
		"SetAndRemove": &dynamodb.UpdateItemInput{UpdateExpression: s("SET #n000 = :v000 REMOVE #n000"),
			ExpressionAttributeNames: map[string]string{"#n000": "a"}, ExpressionAttributeValues: map[string]types.AttributeValue{":v000": sv("x")}},
		"SameItemTwice": &dynamodb.TransactWriteItemsInput{TransactItems: []types.TransactWriteItem{
			{Put: &types.Put{Item: key}}, {Delete: &types.Delete{Key: key}}}},
		"EmptyIndexKey": &dynamodb.PutItemInput{Item: map[string]types.AttributeValue{"pk": sv("a"), "sk": sv("b"), "gsi1pk": sv("")}},
		"BetweenReversed": &dynamodb.QueryInput{KeyConditionExpression: s("#n000 = :v000 AND #n001 BETWEEN :v001 AND :v002"),
			ExpressionAttributeNames:  map[string]string{"#n000": "pk", "#n001": "sk"},
			ExpressionAttributeValues: map[string]types.AttributeValue{":v000": sv("p"), ":v001": sv("b"), ":v002": sv("a")}},
	} {
		if err := checkRequest(in); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}
