package eventbridge_test

import (
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awseb "github.com/aws/aws-sdk-go-v2/service/eventbridge"
	ebtypes "github.com/aws/aws-sdk-go-v2/service/eventbridge/types"
	awssqs "github.com/aws/aws-sdk-go-v2/service/sqs"
	"github.com/aws/aws-sdk-go-v2/service/sqs/types"

	"github.com/wagate/wagate/events"
	"github.com/wagate/wagate/shared/awsres"
	"github.com/wagate/wagate/shared/awstest"
	"github.com/wagate/wagate/shared/eventbridge"
)

// TestPublish puts events on a bus whose rule targets an SQS queue (kumo)
// and reads them back from the queue.
func TestPublish(t *testing.T) {
	cfg := awstest.Config(t)
	ctx := awstest.Context(t)
	eb, sq := awseb.NewFromConfig(cfg), awssqs.NewFromConfig(cfg)
	bus, queueURL := mustBusToQueue(t, eb, sq)

	b := eventbridge.New(eb, bus, eventbridge.Options{})
	var want []events.Event
	for i := range 23 { // three PutEvents calls
		ev, err := events.NewEvent(fmt.Sprintf("ev-%02d", i), events.EvMessageReceived, "s1", 7, time.Now(),
			map[string]any{"sessionId": "s1", "n": i})
		if err != nil {
			t.Fatal(err)
		}
		want = append(want, ev)
	}
	if err := b.Publish(ctx, want...); err != nil {
		t.Fatalf("Publish: %v", err)
	}
	if err := b.Ping(ctx); err != nil {
		t.Fatalf("Ping: %v", err)
	}

	got := map[string]events.Event{}
	deadline := time.Now().Add(15 * time.Second)
	for len(got) < len(want) && time.Now().Before(deadline) {
		out, err := sq.ReceiveMessage(ctx, &awssqs.ReceiveMessageInput{QueueUrl: aws.String(queueURL), MaxNumberOfMessages: 10, WaitTimeSeconds: 1})
		if err != nil {
			t.Fatalf("receive: %v", err)
		}
		for _, m := range out.Messages {
			var env struct {
				Source     string       `json:"source"`
				DetailType string       `json:"detail-type"`
				Detail     events.Event `json:"detail"`
			}
			if err := json.Unmarshal([]byte(aws.ToString(m.Body)), &env); err != nil {
				t.Fatalf("decode envelope %s: %v", aws.ToString(m.Body), err)
			}
			if env.Source != awsres.EventSource || env.DetailType != env.Detail.Type {
				t.Errorf("source %q, detail-type %q; want %q and the event type %q", env.Source, env.DetailType, awsres.EventSource, env.Detail.Type)
			}
			got[env.Detail.ID] = env.Detail
		}
	}
	for _, w := range want {
		g, ok := got[w.ID]
		if !ok {
			t.Errorf("event %s never reached the queue", w.ID)
			continue
		}
		if g.Type != w.Type || g.SessionID != w.SessionID || g.SessionDBID != w.SessionDBID ||
			!g.Time.Equal(w.Time) || string(g.Data) != string(w.Data) {
			t.Errorf("event %s:\n got  %+v\n want %+v", w.ID, g, w)
		}
	}
}

// mustBusToQueue creates a bus, a standard queue and a rule from one to the
// other, all removed with t; it returns the bus name and the queue URL.
func mustBusToQueue(t *testing.T, eb *awseb.Client, sq *awssqs.Client) (string, string) {
	t.Helper()
	ctx := awstest.Context(t)
	name := awstest.Unique("wagate-test")
	if _, err := eb.CreateEventBus(ctx, &awseb.CreateEventBusInput{Name: aws.String(name)}); err != nil {
		t.Fatalf("create bus: %v", err)
	}
	q, err := sq.CreateQueue(ctx, &awssqs.CreateQueueInput{QueueName: aws.String(name)})
	if err != nil {
		t.Fatalf("create queue: %v", err)
	}
	attrs, err := sq.GetQueueAttributes(ctx, &awssqs.GetQueueAttributesInput{QueueUrl: q.QueueUrl, AttributeNames: []types.QueueAttributeName{types.QueueAttributeNameQueueArn}})
	if err != nil {
		t.Fatalf("queue arn: %v", err)
	}
	if _, err := eb.PutRule(ctx, &awseb.PutRuleInput{Name: aws.String(name), EventBusName: aws.String(name), EventPattern: aws.String(awsres.WebhookEventPattern())}); err != nil {
		t.Fatalf("put rule: %v", err)
	}
	if _, err := eb.PutTargets(ctx, &awseb.PutTargetsInput{Rule: aws.String(name), EventBusName: aws.String(name),
		Targets: []ebtypes.Target{{Id: aws.String("queue"), Arn: aws.String(attrs.Attributes["QueueArn"])}}}); err != nil {
		t.Fatalf("put targets: %v", err)
	}
	t.Cleanup(func() {
		ctx := awstest.Context(t)
		_, _ = eb.RemoveTargets(ctx, &awseb.RemoveTargetsInput{Rule: aws.String(name), EventBusName: aws.String(name), Ids: []string{"queue"}})
		_, _ = eb.DeleteRule(ctx, &awseb.DeleteRuleInput{Name: aws.String(name), EventBusName: aws.String(name)})
		_, _ = eb.DeleteEventBus(ctx, &awseb.DeleteEventBusInput{Name: aws.String(name)})
		_, _ = sq.DeleteQueue(ctx, &awssqs.DeleteQueueInput{QueueUrl: q.QueueUrl})
	})
	return name, aws.ToString(q.QueueUrl)
}
