package main

import (
	"testing"
	"time"

	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"

	"github.com/wagate/wagate/shared/awsres"
)

func TestWebhookRule(t *testing.T) {
	s := dev(t)
	has(t, s, "AWS::Events::EventBus", map[string]any{"Name": s.cfg.Names.EventBus})
	fn := s.one(t, "AWS::Lambda::Function", "FunctionName", s.cfg.Names.WebhookFunc)
	dlq := s.one(t, "AWS::SQS::Queue", "QueueName", s.cfg.Names.WebhookDLQ)
	rule := s.one(t, "AWS::Events::Rule", "Name", s.cfg.Names.WebhookRule)
	bus := s.one(t, "AWS::Events::EventBus", "Name", s.cfg.Names.EventBus)
	has(t, s, "AWS::Events::Rule", map[string]any{
		"Name":         s.cfg.Names.WebhookRule,
		"EventBusName": map[string]any{"Ref": bus.ID},
		"EventPattern": map[string]any{"source": []any{awsres.EventSource}},
		"State":        "ENABLED",
		"Targets": []any{map[string]any{
			"Arn": map[string]any{"Fn::GetAtt": []any{fn.ID, "Arn"}},
			"Id":  assertions.Match_AnyValue(),
			"RetryPolicy": map[string]any{
				"MaximumRetryAttempts":     awsres.WebhookRetryAttempts,
				"MaximumEventAgeInSeconds": int(awsres.Seconds(awsres.WebhookMaxEventAge)),
			},
			"DeadLetterConfig": map[string]any{"Arn": map[string]any{"Fn::GetAtt": []any{dlq.ID, "Arn"}}},
		}},
	})
	// EventBridge may write to the DLQ, for this rule only.
	has(t, s, "AWS::SQS::QueuePolicy", map[string]any{
		"Queues": []any{map[string]any{"Ref": dlq.ID}},
		"PolicyDocument": map[string]any{"Statement": assertions.Match_ArrayWith(&[]any{assertions.Match_ObjectLike(&map[string]any{
			"Effect": "Allow", "Action": "sqs:SendMessage",
			"Principal": map[string]any{"Service": "events.amazonaws.com"},
			"Condition": map[string]any{"ArnEquals": map[string]any{"aws:SourceArn": map[string]any{"Fn::GetAtt": []any{rule.ID, "Arn"}}}},
		})})},
	})
	// The function's own async retries (function errors) end in the same DLQ.
	has(t, s, "AWS::Lambda::EventInvokeConfig", map[string]any{
		"FunctionName":             map[string]any{"Ref": fn.ID},
		"Qualifier":                "$LATEST",
		"MaximumRetryAttempts":     webhookAsyncRetries,
		"MaximumEventAgeInSeconds": int(awsres.Seconds(webhookAsyncMaxEventAge)),
		"DestinationConfig": map[string]any{"OnFailure": map[string]any{
			"Destination": map[string]any{"Fn::GetAtt": []any{dlq.ID, "Arn"}},
		}},
	})
	found := false
	for _, p := range s.resources("AWS::Lambda::Permission") {
		if refersTo(p.Props["FunctionName"], fn.ID) && p.Props["Principal"] == "events.amazonaws.com" && refersTo(p.Props["SourceArn"], rule.ID) {
			found = true
		}
	}
	if !found {
		t.Error("the rule may not invoke the webhook function")
	}
	has(t, s, "AWS::Lambda::Function", map[string]any{
		"FunctionName": s.cfg.Names.WebhookFunc, "Runtime": "provided.al2023", "Architectures": []any{"arm64"},
		"Timeout": int(awsres.Seconds(awsres.WebhookTimeout)),
	})
}

// The schedule rule runs the webhook function's sweep every minute (the
// default bus carries schedules), with no retries of a missed tick.
func TestWebhookSweepRule(t *testing.T) {
	s := dev(t)
	fn := s.one(t, "AWS::Lambda::Function", "FunctionName", s.cfg.Names.WebhookFunc)
	rule := s.one(t, "AWS::Events::Rule", "Name", s.cfg.Names.WebhookSweepRule)
	if _, ok := rule.Props["EventBusName"]; ok {
		t.Errorf("sweep rule on bus %v: schedules run on the default bus", rule.Props["EventBusName"])
	}
	if _, ok := rule.Props["EventPattern"]; ok {
		t.Errorf("sweep rule has a pattern %v: it is a schedule", rule.Props["EventPattern"])
	}
	has(t, s, "AWS::Events::Rule", map[string]any{
		"Name":               s.cfg.Names.WebhookSweepRule,
		"ScheduleExpression": "rate(1 minute)",
		"State":              "ENABLED",
		"Targets": []any{map[string]any{
			"Arn": map[string]any{"Fn::GetAtt": []any{fn.ID, "Arn"}},
			"Id":  assertions.Match_AnyValue(),
			"RetryPolicy": map[string]any{
				"MaximumRetryAttempts":     sweepRetryAttempts,
				"MaximumEventAgeInSeconds": int(awsres.Seconds(sweepMaxEventAge)),
			},
		}},
	})
	if awsres.WebhookSweepRate != time.Minute {
		t.Errorf("WebhookSweepRate %v: update the expected expression", awsres.WebhookSweepRate)
	}
	found := false
	for _, p := range s.resources("AWS::Lambda::Permission") {
		if refersTo(p.Props["FunctionName"], fn.ID) && p.Props["Principal"] == "events.amazonaws.com" &&
			p.Props["Action"] == "lambda:InvokeFunction" && refersTo(p.Props["SourceArn"], rule.ID) {
			found = true
		}
	}
	if !found {
		t.Error("the sweep rule may not invoke the webhook function")
	}
}
