package provision

import (
	"context"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/eventbridge"
	ebtypes "github.com/aws/aws-sdk-go-v2/service/eventbridge/types"

	"github.com/wagate/wagate/shared/awsres"
)

// webhookTargetID is the id of the webhook rule's one target.
const webhookTargetID = "webhook"

// bus creates the custom event bus.
func (p *Provisioner) bus(ctx context.Context, r *Result) error {
	_, err := p.Clients.EventBridge.CreateEventBus(ctx, &eventbridge.CreateEventBusInput{Name: aws.String(r.EventBus)})
	if err != nil && !isCode(err, "ResourceAlreadyExistsException") {
		return fmt.Errorf("create event bus: %w", err)
	}
	out, err := p.Clients.EventBridge.DescribeEventBus(ctx, &eventbridge.DescribeEventBusInput{Name: aws.String(r.EventBus)})
	if err != nil {
		return fmt.Errorf("describe event bus: %w", err)
	}
	r.EventBusARN = aws.ToString(out.Arn)
	return nil
}

// webhookRule creates the webhook DLQ, the rule that matches every wagate
// event and its target: the webhook function (with EventBridge's retry
// policy and the DLQ) or a queue.
func (p *Provisioner) webhookRule(ctx context.Context, r *Result) error {
	var err error
	if r.WebhookDLQURL, r.WebhookDLQARN, err = EnsureQueue(ctx, p.Clients.SQS, p.Names.WebhookDLQ, awsres.WebhookDLQAttributes()); err != nil {
		return err
	}
	r.WebhookTarget = p.WebhookTarget
	if r.WebhookTarget == "" {
		if r.WebhookQueueURL, r.WebhookTarget, err = EnsureQueue(ctx, p.Clients.SQS, p.Names.WebhookQueue, awsres.WebhookQueueAttributes(r.WebhookDLQARN)); err != nil {
			return err
		}
	}
	eb := p.Clients.EventBridge
	_, err = eb.PutRule(ctx, &eventbridge.PutRuleInput{
		Name:         aws.String(p.Names.WebhookRule),
		EventBusName: aws.String(r.EventBus),
		EventPattern: aws.String(awsres.WebhookEventPattern()),
		State:        ebtypes.RuleStateEnabled,
		Description:  aws.String("every wagate event to the webhook deliverer"),
	})
	if err != nil {
		return fmt.Errorf("put rule: %w", err)
	}
	out, err := eb.PutTargets(ctx, &eventbridge.PutTargetsInput{
		Rule: aws.String(p.Names.WebhookRule), EventBusName: aws.String(r.EventBus),
		Targets: []ebtypes.Target{WebhookTarget(r.WebhookTarget, r.WebhookDLQARN)},
	})
	if err != nil {
		return fmt.Errorf("put target: %w", err)
	}
	if out.FailedEntryCount > 0 && len(out.FailedEntries) > 0 {
		f := out.FailedEntries[0]
		return fmt.Errorf("put target %s: %s: %s", aws.ToString(f.TargetId), aws.ToString(f.ErrorCode), aws.ToString(f.ErrorMessage))
	}
	return nil
}

// WebhookTarget returns the webhook rule's target for arn. A function gets
// EventBridge's retry policy (awsres.WebhookMaxEventAge,
// awsres.WebhookRetryAttempts) and dlqARN for what it gives up on; a queue
// has its own redrive.
func WebhookTarget(arn, dlqARN string) ebtypes.Target {
	t := ebtypes.Target{Id: aws.String(webhookTargetID), Arn: aws.String(arn)}
	if strings.Contains(arn, ":lambda:") {
		t.RetryPolicy = &ebtypes.RetryPolicy{
			MaximumEventAgeInSeconds: aws.Int32(awsres.Seconds(awsres.WebhookMaxEventAge)),
			MaximumRetryAttempts:     aws.Int32(awsres.WebhookRetryAttempts),
		}
		t.DeadLetterConfig = &ebtypes.DeadLetterConfig{Arn: aws.String(dlqARN)}
	}
	return t
}
