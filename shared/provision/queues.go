package provision

import (
	"context"
	"errors"
	"fmt"
	"maps"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	"github.com/aws/aws-sdk-go-v2/service/sqs/types"
	"github.com/aws/smithy-go"

	"github.com/wagate/wagate/shared/awsres"
)

// commandQueue creates the command queue's DLQ, then the queue with its
// redrive.
func (p *Provisioner) commandQueue(ctx context.Context, r *Result) error {
	var dlqARN string
	var err error
	if r.CommandDLQURL, dlqARN, err = EnsureQueue(ctx, p.Clients.SQS, p.Names.CommandDLQ, awsres.CommandDLQAttributes()); err != nil {
		return err
	}
	r.CommandQueueURL, r.CommandQueueARN, err = EnsureQueue(ctx, p.Clients.SQS, p.Names.CommandQueue, awsres.CommandQueueAttributes(dlqARN))
	return err
}

// EnsureQueue creates the queue name with attrs, or brings an existing
// one's changeable attributes up to date; it returns its URL and ARN.
func EnsureQueue(ctx context.Context, client *sqs.Client, name string, attrs map[string]string) (url, arn string, err error) {
	out, err := client.CreateQueue(ctx, &sqs.CreateQueueInput{QueueName: aws.String(name), Attributes: attrs})
	switch {
	case err == nil:
		url = aws.ToString(out.QueueUrl)
	case isCode(err, "QueueAlreadyExists", "QueueNameExists"):
		got, gerr := client.GetQueueUrl(ctx, &sqs.GetQueueUrlInput{QueueName: aws.String(name)})
		if gerr != nil {
			return "", "", fmt.Errorf("get queue url %s: %w", name, gerr)
		}
		url = aws.ToString(got.QueueUrl)
		settable := maps.Clone(attrs)
		delete(settable, "FifoQueue") // fixed at creation
		if _, serr := client.SetQueueAttributes(ctx, &sqs.SetQueueAttributesInput{QueueUrl: got.QueueUrl, Attributes: settable}); serr != nil {
			return "", "", fmt.Errorf("update queue %s: %w", name, serr)
		}
	default:
		return "", "", fmt.Errorf("create queue %s: %w", name, err)
	}
	a, err := client.GetQueueAttributes(ctx, &sqs.GetQueueAttributesInput{
		QueueUrl: aws.String(url), AttributeNames: []types.QueueAttributeName{types.QueueAttributeNameQueueArn},
	})
	if err != nil {
		return "", "", fmt.Errorf("get arn of queue %s: %w", name, err)
	}
	return url, a.Attributes[string(types.QueueAttributeNameQueueArn)], nil
}

// isCode reports whether err is an AWS API error with one of codes.
func isCode(err error, codes ...string) bool {
	var ae smithy.APIError
	if !errors.As(err, &ae) {
		return false
	}
	for _, c := range codes {
		if ae.ErrorCode() == c {
			return true
		}
	}
	return false
}
