package ddbtest

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// StrictSuite fails t for each request that DynamoDB refuses but s.Check
// accepts, among one request per check (an empty index key when s has
// index keys).
func StrictSuite(t *testing.T, s Strict) {
	t.Helper()
	str := func(v string) *string { return &v }
	sv := func(v string) types.AttributeValue { return &types.AttributeValueMemberS{Value: v} }
	key := avs{s.PartitionKey: sv("a"), s.SortKey: sv("b")}
	cases := map[string]any{
		"UnusedName": &dynamodb.UpdateItemInput{Key: key, UpdateExpression: str("SET #n000 = :v000"),
			ExpressionAttributeNames: map[string]string{"#n000": "a", "#n001": "b"}, ExpressionAttributeValues: avs{":v000": sv("x")}},
		"UndefinedValue": &dynamodb.DeleteItemInput{Key: key, ConditionExpression: str("#n000 = :v000"), ExpressionAttributeNames: map[string]string{"#n000": "a"}},
		"SetAndRemove": &dynamodb.UpdateItemInput{Key: key, UpdateExpression: str("SET #n000 = :v000 REMOVE #n000"),
			ExpressionAttributeNames: map[string]string{"#n000": "a"}, ExpressionAttributeValues: avs{":v000": sv("x")}},
		"SameItemTwice":  &dynamodb.TransactWriteItemsInput{TransactItems: []types.TransactWriteItem{{Put: &types.Put{Item: key}}, {Delete: &types.Delete{Key: key}}}},
		"TooManyActions": &dynamodb.TransactWriteItemsInput{TransactItems: make([]types.TransactWriteItem, 101)},
		"EmptyKey":       &dynamodb.PutItemInput{Item: avs{s.PartitionKey: sv("a"), s.SortKey: sv("")}},
		"BetweenReversed": &dynamodb.QueryInput{KeyConditionExpression: str("#n000 = :v000 AND #n001 BETWEEN :v001 AND :v002"),
			ExpressionAttributeNames:  map[string]string{"#n000": s.PartitionKey, "#n001": s.SortKey},
			ExpressionAttributeValues: avs{":v000": sv("p"), ":v001": sv("b"), ":v002": sv("a")}},
		"ConsistentIndexRead": &dynamodb.QueryInput{IndexName: str("gsi"), ConsistentRead: aws.Bool(true),
			KeyConditionExpression: str("#n000 = :v000"), ExpressionAttributeNames: map[string]string{"#n000": "g"}, ExpressionAttributeValues: avs{":v000": sv("p")}},
	}
	if len(s.IndexKeys) > 0 {
		cases["EmptyIndexKey"] = &dynamodb.PutItemInput{Item: avs{s.PartitionKey: sv("a"), s.SortKey: sv("b"), s.IndexKeys[0]: sv("")}}
	}
	for name, in := range cases {
		if err := s.Check(in); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}
