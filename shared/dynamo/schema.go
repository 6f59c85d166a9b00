package dynamo

import (
	"context"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// Key attributes of the table and its indexes. Every key is a string; the
// item layout (which entity writes what into them) is in docs/aws-dynamo.md
// and in keys.go.
const (
	attrPK     = "pk"
	attrSK     = "sk"
	attrGSI1PK = "gsi1pk"
	attrGSI1SK = "gsi1sk"
	attrGSI2PK = "gsi2pk"
	attrGSI2SK = "gsi2sk"
	attrGSI3PK = "gsi3pk"
	attrGSI3SK = "gsi3sk"
	attrGSI4PK = "gsi4pk"
	attrGSI4SK = "gsi4sk"
	attrGSI5PK = "gsi5pk"
	attrGSI5SK = "gsi5sk"
)

// Index names.
const (
	// GSI1: the timeline of a parent — sessions by numeric id, a session's
	// messages, chats (by last activity), statuses, media and deliveries;
	// its contacts (by display name) and groups (by subject).
	gsi1 = "gsi1"
	// GSI2: a second grouping — sessions by status, messages of a chat,
	// statuses and command results by expiry, deliveries by status.
	gsi2 = "gsi2"
	// GSI3: a third grouping — sessions by autoConnect, messages by type,
	// every delivery.
	gsi3 = "gsi3"
	// GSI4 (sparse): unread messages of a chat; pending deliveries by due time.
	gsi4 = "gsi4"
	// GSI5 (sparse): unread messages of every session.
	gsi5 = "gsi5"
)

// TTLAttribute holds the epoch second after which DynamoDB may delete an
// item (statuses). Deletion is lazy: queries filter expired items themselves.
const TTLAttribute = "ttl"

// IndexSpec is one global secondary index: its keys and the non-key
// attributes it projects (INCLUDE). Indexes project little on purpose: an
// update of an attribute an index does not hold costs that index nothing, and
// list pages are read from the table by key (BatchGetItem) after the index
// walk that filters, skips and counts.
type IndexSpec struct {
	Name         string
	PartitionKey string
	SortKey      string
	Include      []string // projected non-key attributes; nil = KEYS_ONLY
}

// Spec is the whole table definition, as data, so the provisioner and the
// CDK app create exactly the table the adapters query.
type Spec struct {
	PartitionKey string
	SortKey      string
	Attributes   []string // every key attribute of the table and its indexes (all strings)
	Indexes      []IndexSpec
	TTLAttribute string
	OnDemand     bool // billing mode PAY_PER_REQUEST
}

// TableSpec is the single table of every store port.
var TableSpec = Spec{
	PartitionKey: attrPK,
	SortKey:      attrSK,
	Attributes: []string{attrPK, attrSK, attrGSI1PK, attrGSI1SK, attrGSI2PK, attrGSI2SK,
		attrGSI3PK, attrGSI3SK, attrGSI4PK, attrGSI4SK, attrGSI5PK, attrGSI5SK},
	Indexes: []IndexSpec{
		// sid, ty, fm, ms: session, type, direction and status of messages (list filters, Stats);
		// st, et: status and event type of deliveries; exp: expiry of statuses.
		{Name: gsi1, PartitionKey: attrGSI1PK, SortKey: attrGSI1SK, Include: []string{aSessionID, aType, aFromMe, aMsgStatus, aStatus, aEventType, aExpires}},
		// ac: autoConnect of sessions (by status); ty, fm of messages (by chat);
		// sid, et of deliveries (by status).
		{Name: gsi2, PartitionKey: attrGSI2PK, SortKey: attrGSI2SK, Include: []string{aSessionID, aType, aFromMe, aAutoConnect, aEventType}},
		// fm of messages (by type); et of deliveries (all).
		{Name: gsi3, PartitionKey: attrGSI3PK, SortKey: attrGSI3SK, Include: []string{aSessionID, aFromMe, aEventType}},
		// sid of due deliveries (ClaimDue skips saturated sessions).
		{Name: gsi4, PartitionKey: attrGSI4PK, SortKey: attrGSI4SK, Include: []string{aSessionID}},
		{Name: gsi5, PartitionKey: attrGSI5PK, SortKey: attrGSI5SK},
	},
	TTLAttribute: TTLAttribute,
	OnDemand:     true,
}

// index returns the spec of the named index.
func (s Spec) index(name string) (IndexSpec, bool) {
	for _, ix := range s.Indexes {
		if ix.Name == name {
			return ix, true
		}
	}
	return IndexSpec{}, false
}

// CreateTableInput returns the CreateTable request for a table named name.
func (s Spec) CreateTableInput(name string) *dynamodb.CreateTableInput {
	in := &dynamodb.CreateTableInput{
		TableName: aws.String(name),
		KeySchema: []types.KeySchemaElement{
			{AttributeName: aws.String(s.PartitionKey), KeyType: types.KeyTypeHash},
			{AttributeName: aws.String(s.SortKey), KeyType: types.KeyTypeRange},
		},
		BillingMode: types.BillingModeProvisioned,
	}
	if s.OnDemand {
		in.BillingMode = types.BillingModePayPerRequest
	}
	for _, a := range s.Attributes {
		in.AttributeDefinitions = append(in.AttributeDefinitions,
			types.AttributeDefinition{AttributeName: aws.String(a), AttributeType: types.ScalarAttributeTypeS})
	}
	for _, ix := range s.Indexes {
		proj := &types.Projection{ProjectionType: types.ProjectionTypeKeysOnly}
		if len(ix.Include) > 0 {
			proj = &types.Projection{ProjectionType: types.ProjectionTypeInclude, NonKeyAttributes: ix.Include}
		}
		in.GlobalSecondaryIndexes = append(in.GlobalSecondaryIndexes, types.GlobalSecondaryIndex{
			IndexName: aws.String(ix.Name),
			KeySchema: []types.KeySchemaElement{
				{AttributeName: aws.String(ix.PartitionKey), KeyType: types.KeyTypeHash},
				{AttributeName: aws.String(ix.SortKey), KeyType: types.KeyTypeRange},
			},
			Projection: proj,
		})
	}
	return in
}

// tableActiveWait bounds how long CreateTable waits for the table.
const tableActiveWait = 2 * time.Minute

// CreateTable creates the table name from TableSpec and waits until it is
// active. TTL is left off: EnableTTL turns it on (tests keep it off, because
// their fixtures carry past expiry times that a TTL sweeper would delete).
func CreateTable(ctx context.Context, client *dynamodb.Client, name string) error {
	if _, err := client.CreateTable(ctx, TableSpec.CreateTableInput(name)); err != nil {
		return fmt.Errorf("create table %q: %w", name, err)
	}
	w := dynamodb.NewTableExistsWaiter(client, func(o *dynamodb.TableExistsWaiterOptions) {
		o.MinDelay, o.MaxDelay = 100*time.Millisecond, 2*time.Second
	})
	if err := w.Wait(ctx, &dynamodb.DescribeTableInput{TableName: aws.String(name)}, tableActiveWait); err != nil {
		return fmt.Errorf("wait for table %q: %w", name, err)
	}
	return nil
}

// EnableTTL turns on expiry by TableSpec.TTLAttribute unless it is on already.
func EnableTTL(ctx context.Context, client *dynamodb.Client, name string) error {
	cur, err := client.DescribeTimeToLive(ctx, &dynamodb.DescribeTimeToLiveInput{TableName: aws.String(name)})
	if err != nil {
		return fmt.Errorf("describe ttl of table %q: %w", name, err)
	}
	if d := cur.TimeToLiveDescription; d != nil && aws.ToString(d.AttributeName) == TableSpec.TTLAttribute &&
		(d.TimeToLiveStatus == types.TimeToLiveStatusEnabled || d.TimeToLiveStatus == types.TimeToLiveStatusEnabling) {
		return nil
	}
	_, err = client.UpdateTimeToLive(ctx, &dynamodb.UpdateTimeToLiveInput{
		TableName: aws.String(name),
		TimeToLiveSpecification: &types.TimeToLiveSpecification{
			AttributeName: aws.String(TableSpec.TTLAttribute), Enabled: aws.Bool(true),
		},
	})
	if err != nil {
		return fmt.Errorf("enable ttl on table %q: %w", name, err)
	}
	return nil
}
