package dynstore

import (
	"context"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/wagate/wagate/shared/ddb"
)

// Key and bookkeeping attributes of every item.
const (
	attrPK  = "pk"  // partition key (string)
	attrSK  = "sk"  // sort key (string)
	attrRev = "rv"  // revision: a random token every write replaces
	attrTTL = "ttl" // TTLAttribute
)

// TTLAttribute holds the epoch second after which DynamoDB may delete an
// item (buffered decrypted events, 14 days after insertion).
const TTLAttribute = attrTTL

// API is the part of the DynamoDB client the store uses; *dynamodb.Client
// implements it.
type API = ddb.Client

// CreateTableInput returns the CreateTable request of a device-store table
// named name: string keys pk and sk, no secondary index, on-demand billing.
func CreateTableInput(name string) *dynamodb.CreateTableInput {
	return &dynamodb.CreateTableInput{
		TableName: aws.String(name),
		KeySchema: []types.KeySchemaElement{
			{AttributeName: aws.String(attrPK), KeyType: types.KeyTypeHash},
			{AttributeName: aws.String(attrSK), KeyType: types.KeyTypeRange},
		},
		AttributeDefinitions: []types.AttributeDefinition{
			{AttributeName: aws.String(attrPK), AttributeType: types.ScalarAttributeTypeS},
			{AttributeName: aws.String(attrSK), AttributeType: types.ScalarAttributeTypeS},
		},
		BillingMode: types.BillingModePayPerRequest,
	}
}

// CreateTable creates the table name and waits until it is active. TTL is
// left off; EnableTTL turns it on.
func CreateTable(ctx context.Context, client *dynamodb.Client, name string) error {
	if _, err := client.CreateTable(ctx, CreateTableInput(name)); err != nil {
		return fmt.Errorf("create device table %q: %w", name, err)
	}
	w := dynamodb.NewTableExistsWaiter(client, func(o *dynamodb.TableExistsWaiterOptions) {
		o.MinDelay, o.MaxDelay = 100*time.Millisecond, 2*time.Second
	})
	if err := w.Wait(ctx, &dynamodb.DescribeTableInput{TableName: aws.String(name)}, 2*time.Minute); err != nil {
		return fmt.Errorf("wait for device table %q: %w", name, err)
	}
	return nil
}

// EnableTTL turns on expiry by TTLAttribute.
func EnableTTL(ctx context.Context, client *dynamodb.Client, name string) error {
	_, err := client.UpdateTimeToLive(ctx, &dynamodb.UpdateTimeToLiveInput{
		TableName: aws.String(name),
		TimeToLiveSpecification: &types.TimeToLiveSpecification{
			AttributeName: aws.String(TTLAttribute), Enabled: aws.Bool(true),
		},
	})
	if err != nil {
		return fmt.Errorf("enable ttl on device table %q: %w", name, err)
	}
	return nil
}
