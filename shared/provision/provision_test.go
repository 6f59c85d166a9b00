package provision_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	sqstypes "github.com/aws/aws-sdk-go-v2/service/sqs/types"

	"github.com/wagate/wagate/events"
	"github.com/wagate/wagate/shared/awsconf"
	"github.com/wagate/wagate/shared/awsres"
	"github.com/wagate/wagate/shared/awstest"
	"github.com/wagate/wagate/shared/dynamo"
	"github.com/wagate/wagate/shared/eventbridge"
	"github.com/wagate/wagate/shared/provision"
)

// TestRun provisions a fresh stage twice (idempotent) and checks the
// settings that matter: FIFO queue with its redrive to the DLQ after
// awsres.QueueMaxReceiveCount receives, the bus rule delivering wagate
// events to the webhook queue, the table's indexes and TTL, the device
// table's keys and TTL, the bucket's encryption.
func TestRun(t *testing.T) {
	cfg := awstest.Config(t)
	ctx := awstest.Context(t)
	clients := awsconf.NewClients(cfg)
	clients.DynamoDB = awsconf.NewDynamoDB(cfg, func(o *dynamodb.Options) { o.DisableValidateResponseChecksum = true })
	names := awsres.MustNames(awstest.Unique("t"))
	p := &provision.Provisioner{Clients: clients, Names: names}
	first, err := p.Run(ctx)
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	again, err := p.Run(ctx)
	if err != nil {
		t.Fatalf("Run again: %v", err)
	}
	if again != first {
		t.Errorf("second run found\n %+v\nfirst run made\n %+v", again, first)
	}

	t.Run("CommandQueueDeadLetters", func(t *testing.T) {
		attrs, err := clients.SQS.GetQueueAttributes(ctx, &sqs.GetQueueAttributesInput{
			QueueUrl: aws.String(first.CommandQueueURL), AttributeNames: []sqstypes.QueueAttributeName{"All"}})
		if err != nil {
			t.Fatal(err)
		}
		if attrs.Attributes["FifoQueue"] != "true" || attrs.Attributes["VisibilityTimeout"] != "60" {
			t.Errorf("queue attributes %v: want FIFO, visibility 60", attrs.Attributes)
		}
		var rp struct {
			DLQ string      `json:"deadLetterTargetArn"`
			Max json.Number `json:"maxReceiveCount"`
		}
		if err := json.Unmarshal([]byte(attrs.Attributes["RedrivePolicy"]), &rp); err != nil || rp.Max.String() != "5" || rp.DLQ == "" {
			t.Errorf("redrive policy %q (%v): want maxReceiveCount 5 to the DLQ", attrs.Attributes["RedrivePolicy"], err)
		}
		_, err = clients.SQS.SendMessage(ctx, &sqs.SendMessageInput{QueueUrl: aws.String(first.CommandQueueURL),
			MessageBody: aws.String(`{"id":"c1"}`), MessageGroupId: aws.String("s1"), MessageDeduplicationId: aws.String("c1")})
		if err != nil {
			t.Fatal(err)
		}
		for range awsres.QueueMaxReceiveCount + 1 {
			out, err := clients.SQS.ReceiveMessage(ctx, &sqs.ReceiveMessageInput{QueueUrl: aws.String(first.CommandQueueURL)})
			if err != nil {
				t.Fatal(err)
			}
			for _, m := range out.Messages {
				_, _ = clients.SQS.ChangeMessageVisibility(ctx, &sqs.ChangeMessageVisibilityInput{QueueUrl: aws.String(first.CommandQueueURL),
					ReceiptHandle: m.ReceiptHandle, VisibilityTimeout: 0})
			}
			time.Sleep(10 * time.Millisecond)
		}
		dead := receive(t, clients.SQS, first.CommandDLQURL)
		if len(dead) != 1 || aws.ToString(dead[0].Body) != `{"id":"c1"}` {
			t.Fatalf("DLQ holds %d messages, want the command received %d times", len(dead), awsres.QueueMaxReceiveCount)
		}
	})

	t.Run("EventsReachWebhookQueue", func(t *testing.T) {
		ev, err := events.NewEvent("e1", events.EvSessionConnected, "s1", 1, time.Now(), map[string]string{"status": "connected"})
		if err != nil {
			t.Fatal(err)
		}
		if err := eventbridge.New(clients.EventBridge, first.EventBus, eventbridge.Options{}).Publish(ctx, ev); err != nil {
			t.Fatal(err)
		}
		got := receive(t, clients.SQS, first.WebhookQueueURL)
		var env struct {
			Detail events.Event `json:"detail"`
		}
		if len(got) != 1 || json.Unmarshal([]byte(aws.ToString(got[0].Body)), &env) != nil || env.Detail.ID != "e1" {
			t.Fatalf("webhook queue got %d messages (%v), want event e1", len(got), got)
		}
	})

	t.Run("Table", func(t *testing.T) {
		out, err := clients.DynamoDB.DescribeTable(ctx, &dynamodb.DescribeTableInput{TableName: aws.String(first.Table)})
		if err != nil {
			t.Fatal(err)
		}
		if n := len(out.Table.GlobalSecondaryIndexes); n != len(dynamo.TableSpec.Indexes) {
			t.Errorf("table has %d indexes, want %d", n, len(dynamo.TableSpec.Indexes))
		}
		ttl, err := clients.DynamoDB.DescribeTimeToLive(ctx, &dynamodb.DescribeTimeToLiveInput{TableName: aws.String(first.Table)})
		if err != nil || aws.ToString(ttl.TimeToLiveDescription.AttributeName) != dynamo.TableSpec.TTLAttribute {
			t.Errorf("TTL %+v, %v; want on %q", ttl, err, dynamo.TableSpec.TTLAttribute)
		}
	})

	t.Run("DeviceTable", func(t *testing.T) {
		spec := dynamo.DeviceTableSpec
		out, err := clients.DynamoDB.DescribeTable(ctx, &dynamodb.DescribeTableInput{TableName: aws.String(first.DeviceTable)})
		if err != nil {
			t.Fatal(err)
		}
		if first.DeviceTable != names.DeviceTable || len(out.Table.KeySchema) != 2 ||
			aws.ToString(out.Table.KeySchema[0].AttributeName) != spec.PartitionKey ||
			aws.ToString(out.Table.KeySchema[1].AttributeName) != spec.SortKey || len(out.Table.GlobalSecondaryIndexes) != 0 {
			t.Errorf("device table %s: keys %+v, %d indexes; want %s/%s, none",
				first.DeviceTable, out.Table.KeySchema, len(out.Table.GlobalSecondaryIndexes), spec.PartitionKey, spec.SortKey)
		}
		ttl, err := clients.DynamoDB.DescribeTimeToLive(ctx, &dynamodb.DescribeTimeToLiveInput{TableName: aws.String(first.DeviceTable)})
		if err != nil || aws.ToString(ttl.TimeToLiveDescription.AttributeName) != spec.TTLAttribute {
			t.Errorf("device table TTL %+v, %v; want on %q", ttl, err, spec.TTLAttribute)
		}
	})

	t.Run("BucketEncryption", func(t *testing.T) {
		out, err := clients.S3.GetBucketEncryption(ctx, &s3.GetBucketEncryptionInput{Bucket: aws.String(first.Bucket)})
		if err != nil {
			t.Fatal(err)
		}
		rules := out.ServerSideEncryptionConfiguration.Rules
		if len(rules) != 1 || string(rules[0].ApplyServerSideEncryptionByDefault.SSEAlgorithm) != awsres.BucketEncryption {
			t.Fatalf("bucket encryption %+v, want %s", rules, awsres.BucketEncryption)
		}
	})
}

// receive waits up to a few seconds for the messages of a queue.
func receive(t *testing.T, c *sqs.Client, url string) []sqstypes.Message {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		out, err := c.ReceiveMessage(awstest.Context(t), &sqs.ReceiveMessageInput{QueueUrl: aws.String(url), MaxNumberOfMessages: 10, WaitTimeSeconds: 1})
		if err != nil {
			t.Fatal(err)
		}
		if len(out.Messages) > 0 {
			return out.Messages
		}
	}
	return nil
}
