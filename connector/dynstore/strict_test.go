package dynstore_test

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/smithy-go/middleware"
)

// strictChecks refuses requests that DynamoDB refuses but the emulator lets
// through: undefined or unused expression placeholders, a transaction of
// more than 100 actions or with two actions on one item, a BETWEEN with its
// bounds out of order, an empty key string, one path both SET and REMOVEd.
func strictChecks(stack *middleware.Stack) error {
	return stack.Initialize.Add(middleware.InitializeMiddlewareFunc("dynstoreStrictChecks",
		func(ctx context.Context, in middleware.InitializeInput, next middleware.InitializeHandler) (middleware.InitializeOutput, middleware.Metadata, error) {
			if err := checkRequest(in.Parameters); err != nil {
				return middleware.InitializeOutput{}, middleware.Metadata{}, fmt.Errorf("strict check: %w", err)
			}
			return next.HandleInitialize(ctx, in)
		}), middleware.Before)
}

type avs = map[string]types.AttributeValue

func checkRequest(params any) error {
	switch in := params.(type) {
	case *dynamodb.QueryInput:
		if err := checkBetween(deref(in.KeyConditionExpression), in.ExpressionAttributeValues); err != nil {
			return err
		}
		return checkPlaceholders(in.ExpressionAttributeNames, in.ExpressionAttributeValues, in.KeyConditionExpression, in.FilterExpression, in.ProjectionExpression)
	case *dynamodb.GetItemInput:
		return checkKey(in.Key)
	case *dynamodb.UpdateItemInput:
		if err := checkKey(in.Key); err != nil {
			return err
		}
		return checkUpdate(in.UpdateExpression, in.ConditionExpression, in.ExpressionAttributeNames, in.ExpressionAttributeValues)
	case *dynamodb.PutItemInput:
		if err := checkKey(in.Item); err != nil {
			return err
		}
		return checkPlaceholders(in.ExpressionAttributeNames, in.ExpressionAttributeValues, in.ConditionExpression)
	case *dynamodb.DeleteItemInput:
		if err := checkKey(in.Key); err != nil {
			return err
		}
		return checkPlaceholders(in.ExpressionAttributeNames, in.ExpressionAttributeValues, in.ConditionExpression)
	case *dynamodb.TransactWriteItemsInput:
		return checkTransaction(in.TransactItems)
	}
	return nil
}

func checkTransaction(actions []types.TransactWriteItem) error {
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
			err = checkPlaceholders(a.Put.ExpressionAttributeNames, a.Put.ExpressionAttributeValues, a.Put.ConditionExpression)
		case a.Update != nil:
			key = a.Update.Key
			err = checkUpdate(a.Update.UpdateExpression, a.Update.ConditionExpression, a.Update.ExpressionAttributeNames, a.Update.ExpressionAttributeValues)
		case a.Delete != nil:
			key = a.Delete.Key
			err = checkPlaceholders(a.Delete.ExpressionAttributeNames, a.Delete.ExpressionAttributeValues, a.Delete.ConditionExpression)
		case a.ConditionCheck != nil:
			key = a.ConditionCheck.Key
			err = checkPlaceholders(a.ConditionCheck.ExpressionAttributeNames, a.ConditionCheck.ExpressionAttributeValues, a.ConditionCheck.ConditionExpression)
		}
		if err == nil {
			err = checkKey(key)
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

func checkKey(it avs) error {
	if attrString(it["pk"]) == "" || attrString(it["sk"]) == "" {
		return fmt.Errorf("empty key %s/%s", attrString(it["pk"]), attrString(it["sk"]))
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

func TestStrictChecks(t *testing.T) {
	s := func(v string) *string { return &v }
	sv := func(v string) types.AttributeValue { return &types.AttributeValueMemberS{Value: v} }
	key := avs{"pk": sv("a"), "sk": sv("b")}
	for name, in := range map[string]any{
		"UnusedName": &dynamodb.UpdateItemInput{Key: key, UpdateExpression: s("SET #n000 = :v000"),
			ExpressionAttributeNames: map[string]string{"#n000": "a", "#n001": "b"}, ExpressionAttributeValues: avs{":v000": sv("x")}},
		"UndefinedValue": &dynamodb.DeleteItemInput{Key: key, ConditionExpression: s("#n000 = :v000"), ExpressionAttributeNames: map[string]string{"#n000": "a"}},
		"SameItemTwice":  &dynamodb.TransactWriteItemsInput{TransactItems: []types.TransactWriteItem{{Put: &types.Put{Item: key}}, {Delete: &types.Delete{Key: key}}}},
		"EmptyKey":       &dynamodb.PutItemInput{Item: avs{"pk": sv("a"), "sk": sv("")}},
		"BetweenReversed": &dynamodb.QueryInput{KeyConditionExpression: s("#n000 = :v000 AND #n001 BETWEEN :v001 AND :v002"),
			ExpressionAttributeNames:  map[string]string{"#n000": "pk", "#n001": "sk"},
			ExpressionAttributeValues: avs{":v000": sv("p"), ":v001": sv("b"), ":v002": sv("a")}},
	} {
		if err := checkRequest(in); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}
