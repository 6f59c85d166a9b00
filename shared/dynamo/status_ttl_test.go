package dynamo_test

import (
	"strconv"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	wagate "github.com/wagate/wagate/shared"
	"github.com/wagate/wagate/shared/dynamo"
)

// A status carries the TTL attribute (its expiry in epoch seconds), and
// EnableTTL turns expiry on for it, idempotently.
func TestStatusTTL(t *testing.T) {
	t.Parallel()
	name := MustCreateTable(t)
	client := newClient(t)
	ctx := t.Context()
	for range 2 {
		if err := dynamo.EnableTTL(ctx, client, name); err != nil {
			t.Fatal(err)
		}
	}
	ttl, err := client.DescribeTimeToLive(ctx, &dynamodb.DescribeTimeToLiveInput{TableName: aws.String(name)})
	if err != nil || aws.ToString(ttl.TimeToLiveDescription.AttributeName) != dynamo.TTLAttribute {
		t.Fatalf("DescribeTimeToLive = %+v, %v", ttl, err)
	}

	st := dynamo.NewStatusStore(dynamo.NewTable(client, name))
	now := time.Now()
	p, _, err := st.InsertStatus(ctx, &wagate.StatusPost{SessionID: "s1", WhatsAppID: "A", Type: wagate.TypeText, Timestamp: now})
	if err != nil {
		t.Fatal(err)
	}
	out, err := client.Query(ctx, &dynamodb.QueryInput{
		TableName:                 aws.String(name),
		KeyConditionExpression:    aws.String("pk = :pk"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":pk": &types.AttributeValueMemberS{Value: "SESSION#s1"}},
	})
	if err != nil || len(out.Items) != 2 { // the status and its numeric alias
		t.Fatalf("items of the session = %d, %v; want 2", len(out.Items), err)
	}
	want := strconv.FormatInt(p.ExpiresAt.Unix(), 10)
	for _, it := range out.Items {
		if n, ok := it[dynamo.TTLAttribute].(*types.AttributeValueMemberN); !ok || n.Value != want {
			t.Errorf("item %v: %s = %v, want %s", it["sk"], dynamo.TTLAttribute, it[dynamo.TTLAttribute], want)
		}
	}
	if got := p.ExpiresAt.Sub(now); got != wagate.StatusTTL {
		t.Fatalf("ExpiresAt = Timestamp + %v, want + %v", got, wagate.StatusTTL)
	}
}
