package ddbtest_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/wagate/wagate/shared/ddb"
	"github.com/wagate/wagate/shared/ddb/ddbtest"
)

var strict = ddbtest.Strict{PartitionKey: "pk", SortKey: "sk", IndexKeys: []string{"gsi1pk", "gsi1sk"}}

func TestStrictRefuses(t *testing.T) { ddbtest.StrictSuite(t, strict) }

// The requests ddb builds pass.
func TestStrictAccepts(t *testing.T) {
	sv := func(v string) types.AttributeValue { return &types.AttributeValueMemberS{Value: v} }
	key := ddb.Item{"pk": sv("a"), "sk": sv("b")}
	var e ddb.Expr
	u := ddb.NewUpdate(&e).Set("name", sv("x")).SetOnce("ttl", sv("y")).Add("n", &types.AttributeValueMemberN{Value: "1"}).Remove("gone")
	cond := e.Eq("status", sv("ok"))
	for name, in := range map[string]any{
		"Update": &dynamodb.UpdateItemInput{Key: key, UpdateExpression: aws.String(u.String()), ConditionExpression: &cond,
			ExpressionAttributeNames: e.Names(), ExpressionAttributeValues: e.Values()},
		"Put":      &dynamodb.PutItemInput{Item: ddb.Item{"pk": sv("a"), "sk": sv("b"), "gsi1pk": sv("g"), "other": sv("")}},
		"Get":      &dynamodb.GetItemInput{Key: key},
		"Transact": &dynamodb.TransactWriteItemsInput{TransactItems: []types.TransactWriteItem{{Put: &types.Put{Item: key}}, {Delete: &types.Delete{Key: ddb.Item{"pk": sv("a"), "sk": sv("c")}}}}},
	} {
		if err := strict.Check(in); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}
