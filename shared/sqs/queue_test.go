package sqs_test

import (
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awssqs "github.com/aws/aws-sdk-go-v2/service/sqs"
	"github.com/aws/aws-sdk-go-v2/service/sqs/types"

	wagate "github.com/wagate/wagate/shared"
	"github.com/wagate/wagate/shared/awsres"
	"github.com/wagate/wagate/shared/awstest"
	"github.com/wagate/wagate/shared/porttest"
	"github.com/wagate/wagate/shared/sqs"
)

// emulatorWait is the long-poll wait against kumo: its long poll wakes only
// on SendMessage, not when a visibility timeout ends, so the Queue must poll
// again soon to see redelivered commands (SQS itself needs no such setting).
const emulatorWait = time.Second

func TestCommandQueue(t *testing.T) {
	client := awssqs.NewFromConfig(awstest.Config(t))
	porttest.CommandQueue(t, func(t *testing.T) wagate.CommandQueue {
		return MustOpenQueue(t, client)
	})
}

// MustOpenQueue creates a FIFO queue for t and returns its Queue; both go
// away with t.
func MustOpenQueue(tb testing.TB, client *awssqs.Client) *sqs.Queue {
	tb.Helper()
	ctx := awstest.Context(tb)
	name := awstest.Unique("wagate-test")
	dlq, err := client.CreateQueue(ctx, &awssqs.CreateQueueInput{QueueName: aws.String(name + "-dlq.fifo"), Attributes: awsres.CommandDLQAttributes()})
	if err != nil {
		tb.Fatalf("create dlq: %v", err)
	}
	arn, err := client.GetQueueAttributes(ctx, &awssqs.GetQueueAttributesInput{QueueUrl: dlq.QueueUrl, AttributeNames: []types.QueueAttributeName{types.QueueAttributeNameQueueArn}})
	if err != nil {
		tb.Fatalf("dlq arn: %v", err)
	}
	out, err := client.CreateQueue(ctx, &awssqs.CreateQueueInput{
		QueueName:  aws.String(name + ".fifo"),
		Attributes: awsres.CommandQueueAttributes(arn.Attributes["QueueArn"]),
	})
	if err != nil {
		tb.Fatalf("create queue: %v", err)
	}
	q := sqs.New(client, aws.ToString(out.QueueUrl), sqs.Options{WaitTime: emulatorWait})
	tb.Cleanup(func() {
		if err := q.Close(); err != nil {
			tb.Logf("close queue: %v", err)
		}
		for _, u := range []*string{out.QueueUrl, dlq.QueueUrl} {
			_, _ = client.DeleteQueue(awstest.Context(tb), &awssqs.DeleteQueueInput{QueueUrl: u})
		}
	})
	return q
}
