package main

// The CDK app and the emulator provisioner (shared/provision) must create
// the same resources: the same names and the settings the code relies on.
// TestParityDefinitions compares the template with the definitions the
// provisioner calls (awsres, dynamo.TableSpec, dynamo.DeviceTableSpec,
// provision.WebhookTarget);
// TestParityEmulator provisions a stage in the emulator and compares what
// it created with the template of the same stage.

import (
	"encoding/json"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/eventbridge"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	sqstypes "github.com/aws/aws-sdk-go-v2/service/sqs/types"

	"github.com/wagate/wagate/shared/awsconf"
	"github.com/wagate/wagate/shared/awsres"
	"github.com/wagate/wagate/shared/awstest"
	"github.com/wagate/wagate/shared/dynamo"
	"github.com/wagate/wagate/shared/provision"
)

// dlqMarker stands for the DLQ's ARN in compared redrive policies.
const dlqMarker = "<dlq>"

// emulatorQueueAttributes are the queue settings the code depends on;
// the emulator must report them.
var emulatorQueueAttributes = []string{"FifoQueue", "VisibilityTimeout", "MessageRetentionPeriod", "RedrivePolicy", "ContentBasedDeduplication"}

// queueAttributes converts a template queue's properties to SQS attribute
// names and string values (what CreateQueue takes); the redrive target is
// dlqMarker when it refers to the resource dlqID.
func queueAttributes(t testing.TB, p map[string]any, dlqID string) map[string]string {
	t.Helper()
	out := map[string]string{}
	for k, v := range p {
		switch k {
		case "QueueName", "Tags":
		case "RedrivePolicy":
			m := v.(map[string]any)
			target := fmt.Sprint(m["deadLetterTargetArn"])
			if refersTo(m["deadLetterTargetArn"], dlqID) {
				target = dlqMarker
			}
			out[k] = redrive(target, fmt.Sprint(m["maxReceiveCount"]))
		default:
			if f, ok := v.(float64); ok {
				out[k] = strconv.FormatFloat(f, 'f', -1, 64)
			} else {
				out[k] = fmt.Sprint(v)
			}
		}
	}
	return out
}

// redrive is the canonical text of a redrive policy.
func redrive(target, max string) string { return target + " after " + max }

// canonicalRedrive rewrites the RedrivePolicy JSON of attrs (awsres's or
// the emulator's) as redrive(); the DLQ's ARN becomes dlqMarker.
func canonicalRedrive(t testing.TB, attrs map[string]string, dlqARN string) map[string]string {
	t.Helper()
	out := maps.Clone(attrs)
	if rp, ok := attrs["RedrivePolicy"]; ok {
		var m struct {
			Target string      `json:"deadLetterTargetArn"`
			Max    json.Number `json:"maxReceiveCount"`
		}
		if err := json.Unmarshal([]byte(rp), &m); err != nil {
			t.Fatalf("redrive policy %q: %v", rp, err)
		}
		if m.Target == dlqARN {
			m.Target = dlqMarker
		}
		out["RedrivePolicy"] = redrive(m.Target, m.Max.String())
	}
	return out
}

// keep returns attrs restricted to keys.
func keep(attrs map[string]string, keys []string) map[string]string {
	out := map[string]string{}
	for _, k := range keys {
		if v, ok := attrs[k]; ok {
			out[k] = v
		}
	}
	return out
}

func TestParityDefinitions(t *testing.T) {
	s := dev(t)
	names := awsres.MustNames("dev")
	t.Run("Names", func(t *testing.T) {
		for typ, want := range map[string][]string{
			"AWS::DynamoDB::Table":   {"TableName", names.Table},
			"AWS::Events::EventBus":  {"Name", names.EventBus},
			"AWS::Events::Rule":      {"Name", names.WebhookRule},
			"AWS::S3::Bucket":        {"BucketName", names.Bucket(s.cfg.Account)},
			"AWS::ApiGatewayV2::Api": {"Name", names.HTTPAPI},
			"AWS::ECS::Service":      {"ServiceName", names.Connector},
		} {
			s.one(t, typ, want[0], want[1])
		}
		s.one(t, "AWS::DynamoDB::Table", "TableName", names.DeviceTable)
		for _, q := range []string{names.CommandQueue, names.CommandDLQ, names.WebhookDLQ} {
			s.one(t, "AWS::SQS::Queue", "QueueName", q)
		}
		for _, f := range []string{names.APIFunction, names.WebhookFunc} {
			s.one(t, "AWS::Lambda::Function", "FunctionName", f)
		}
	})
	for name, spec := range map[string]dynamo.Spec{names.Table: dynamo.TableSpec, names.DeviceTable: dynamo.DeviceTableSpec} {
		t.Run("Table/"+name, func(t *testing.T) {
			got := shapeFromTemplate(s.one(t, "AWS::DynamoDB::Table", "TableName", name).Props)
			want := shapeFromInput(spec.CreateTableInput(name), spec.TTLAttribute)
			if !reflect.DeepEqual(got, want) {
				t.Errorf("template table\n %+v\nprovisioner's table\n %+v", got, want)
			}
		})
	}
	t.Run("Queues", func(t *testing.T) {
		dlq := s.one(t, "AWS::SQS::Queue", "QueueName", names.CommandDLQ)
		for _, c := range []struct {
			name  string
			want  map[string]string
			dlqID string
		}{
			{names.CommandQueue, canonicalRedrive(t, awsres.CommandQueueAttributes("arn:dlq"), "arn:dlq"), dlq.ID},
			{names.CommandDLQ, awsres.CommandDLQAttributes(), ""},
			{names.WebhookDLQ, awsres.WebhookDLQAttributes(), ""},
		} {
			got := queueAttributes(t, s.one(t, "AWS::SQS::Queue", "QueueName", c.name).Props, c.dlqID)
			if !reflect.DeepEqual(got, c.want) {
				t.Errorf("queue %s: template\n %v\nprovisioner\n %v", c.name, got, c.want)
			}
		}
	})
	t.Run("Rule", func(t *testing.T) {
		r := s.one(t, "AWS::Events::Rule", "Name", names.WebhookRule)
		var want any
		if err := json.Unmarshal([]byte(awsres.WebhookEventPattern()), &want); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(r.Props["EventPattern"], want) {
			t.Errorf("pattern %v, provisioner's %v", r.Props["EventPattern"], want)
		}
		target := provision.WebhookTarget("arn:aws:lambda:us-east-1:123456789012:function:"+names.WebhookFunc, "arn:dlq")
		rp := list(r.Props["Targets"])[0].(map[string]any)["RetryPolicy"].(map[string]any)
		if rp["MaximumRetryAttempts"] != float64(aws.ToInt32(target.RetryPolicy.MaximumRetryAttempts)) ||
			rp["MaximumEventAgeInSeconds"] != float64(aws.ToInt32(target.RetryPolicy.MaximumEventAgeInSeconds)) {
			t.Errorf("retry policy %v, provisioner's %+v", rp, *target.RetryPolicy)
		}
	})
	t.Run("Bucket", func(t *testing.T) {
		b := s.one(t, "AWS::S3::Bucket", "BucketName", names.Bucket(s.cfg.Account)).Props
		alg := b["BucketEncryption"].(map[string]any)["ServerSideEncryptionConfiguration"].([]any)[0].(map[string]any)["ServerSideEncryptionByDefault"].(map[string]any)["SSEAlgorithm"]
		if alg != awsres.BucketEncryption {
			t.Errorf("encryption %v, provisioner's %s", alg, awsres.BucketEncryption)
		}
	})
}

// TestParityEmulator provisions a fresh stage in the emulator (kumo) with
// the provisioner, synthesises the same stage, and compares what exists.
func TestParityEmulator(t *testing.T) {
	cfg := awstest.Config(t)
	ctx := awstest.Context(t)
	clients := awsconf.NewClients(cfg)
	clients.DynamoDB = awsconf.NewDynamoDB(cfg, func(o *dynamodb.Options) { o.DisableValidateResponseChecksum = true })
	stage := awstest.Unique("p")
	names := awsres.MustNames(stage)
	lambdaARN := "arn:aws:lambda:" + awstest.Region + ":000000000000:function:" + names.WebhookFunc
	res, err := (&provision.Provisioner{Clients: clients, Names: names, WebhookTarget: lambdaARN}).Run(ctx)
	if err != nil {
		t.Fatalf("provision: %v", err)
	}
	s := synth(t, stage, nil)

	for _, name := range []string{names.Table, names.DeviceTable} {
		t.Run("Table/"+name, func(t *testing.T) {
			d, err := clients.DynamoDB.DescribeTable(ctx, &dynamodb.DescribeTableInput{TableName: aws.String(name)})
			if err != nil {
				t.Fatal(err)
			}
			ttl, err := clients.DynamoDB.DescribeTimeToLive(ctx, &dynamodb.DescribeTimeToLiveInput{TableName: aws.String(name)})
			if err != nil {
				t.Fatal(err)
			}
			got := shapeFromDescription(d.Table, aws.ToString(ttl.TimeToLiveDescription.AttributeName))
			want := shapeFromTemplate(s.one(t, "AWS::DynamoDB::Table", "TableName", name).Props)
			if !reflect.DeepEqual(got, want) {
				t.Errorf("emulator table\n %+v\ntemplate table\n %+v", got, want)
			}
		})
	}
	t.Run("Queues", func(t *testing.T) {
		dlqID := s.one(t, "AWS::SQS::Queue", "QueueName", names.CommandDLQ).ID
		for _, c := range []struct{ name, url, dlqID string }{
			{names.CommandQueue, res.CommandQueueURL, dlqID},
			{names.CommandDLQ, res.CommandDLQURL, ""},
			{names.WebhookDLQ, res.WebhookDLQURL, ""},
		} {
			out, err := clients.SQS.GetQueueAttributes(ctx, &sqs.GetQueueAttributesInput{
				QueueUrl: aws.String(c.url), AttributeNames: []sqstypes.QueueAttributeName{sqstypes.QueueAttributeNameAll}})
			if err != nil {
				t.Fatal(err)
			}
			if !strings.HasSuffix(c.url, "/"+c.name) {
				t.Errorf("emulator queue %s, template queue %s", c.url, c.name)
			}
			want := queueAttributes(t, s.one(t, "AWS::SQS::Queue", "QueueName", c.name).Props, c.dlqID)
			dlqARN := ""
			if c.dlqID != "" {
				dlqARN = queueARN(t, clients.SQS, res.CommandDLQURL)
			}
			got := canonicalRedrive(t, out.Attributes, dlqARN)
			// kumo keeps only some attributes (not DeduplicationScope,
			// FifoThroughputLimit, SqsManagedSseEnabled): compare the ones
			// it reports, and require the ones the code depends on.
			for _, k := range emulatorQueueAttributes {
				if _, ok := want[k]; ok {
					if _, ok := got[k]; !ok {
						t.Errorf("queue %s: the emulator reports no %s", c.name, k)
					}
				}
			}
			got = keep(got, slices.Collect(maps.Keys(want)))
			for k, v := range got { // booleans may be spelt differently
				if w := want[k]; (w == "true" || w == "false") && v != w {
					if b, err := strconv.ParseBool(v); err == nil {
						got[k] = strconv.FormatBool(b)
					}
				}
			}
			if !reflect.DeepEqual(got, keep(want, slices.Collect(maps.Keys(got)))) {
				t.Errorf("queue %s: emulator\n %v\ntemplate\n %v", c.name, got, want)
			}
		}
	})
	t.Run("BusAndRule", func(t *testing.T) {
		if _, err := clients.EventBridge.DescribeEventBus(ctx, &eventbridge.DescribeEventBusInput{Name: aws.String(s.one(t, "AWS::Events::EventBus", "Name", names.EventBus).Props["Name"].(string))}); err != nil {
			t.Fatalf("bus: %v", err)
		}
		rule, err := clients.EventBridge.DescribeRule(ctx, &eventbridge.DescribeRuleInput{Name: aws.String(names.WebhookRule), EventBusName: aws.String(names.EventBus)})
		if err != nil {
			t.Fatal(err)
		}
		var pattern any
		if err := json.Unmarshal([]byte(aws.ToString(rule.EventPattern)), &pattern); err != nil {
			t.Fatal(err)
		}
		r := s.one(t, "AWS::Events::Rule", "Name", names.WebhookRule)
		if !reflect.DeepEqual(pattern, r.Props["EventPattern"]) {
			t.Errorf("emulator pattern %v, template %v", pattern, r.Props["EventPattern"])
		}
		targets, err := clients.EventBridge.ListTargetsByRule(ctx, &eventbridge.ListTargetsByRuleInput{Rule: aws.String(names.WebhookRule), EventBusName: aws.String(names.EventBus)})
		if err != nil {
			t.Fatal(err)
		}
		if len(targets.Targets) != 1 || aws.ToString(targets.Targets[0].Arn) != lambdaARN {
			t.Fatalf("emulator targets %+v: want the webhook function", targets.Targets)
		}
		if targets.Targets[0].RetryPolicy == nil || targets.Targets[0].DeadLetterConfig == nil {
			// kumo v0.33 drops both; TestParityDefinitions compares them
			// with provision.WebhookTarget, which the provisioner sends.
			t.Skip("the emulator keeps no retry policy or DLQ on targets")
		}
		got, want := targets.Targets[0].RetryPolicy, list(r.Props["Targets"])[0].(map[string]any)["RetryPolicy"].(map[string]any)
		if float64(aws.ToInt32(got.MaximumRetryAttempts)) != want["MaximumRetryAttempts"] ||
			float64(aws.ToInt32(got.MaximumEventAgeInSeconds)) != want["MaximumEventAgeInSeconds"] {
			t.Errorf("emulator retry policy %+v, template %v", *got, want)
		}
		if aws.ToString(targets.Targets[0].DeadLetterConfig.Arn) != res.WebhookDLQARN {
			t.Errorf("emulator target DLQ %s, want the webhook DLQ %s", aws.ToString(targets.Targets[0].DeadLetterConfig.Arn), res.WebhookDLQARN)
		}
	})
	t.Run("Bucket", func(t *testing.T) {
		// The emulator's bucket has no account suffix (awsres.Set.Bucket).
		if res.Bucket != names.Bucket("") || s.one(t, "AWS::S3::Bucket", "BucketName", names.Bucket(s.cfg.Account)).ID == "" {
			t.Errorf("bucket %s", res.Bucket)
		}
		enc, err := clients.S3.GetBucketEncryption(ctx, &s3.GetBucketEncryptionInput{Bucket: aws.String(res.Bucket)})
		if err != nil {
			t.Fatal(err)
		}
		got := string(enc.ServerSideEncryptionConfiguration.Rules[0].ApplyServerSideEncryptionByDefault.SSEAlgorithm)
		b := s.resources("AWS::S3::Bucket")[0].Props
		want := b["BucketEncryption"].(map[string]any)["ServerSideEncryptionConfiguration"].([]any)[0].(map[string]any)["ServerSideEncryptionByDefault"].(map[string]any)["SSEAlgorithm"]
		if got != want {
			t.Errorf("emulator encryption %s, template %v", got, want)
		}
		pab, err := clients.S3.GetPublicAccessBlock(ctx, &s3.GetPublicAccessBlockInput{Bucket: aws.String(res.Bucket)})
		if err != nil {
			t.Skipf("the emulator does not report the public access block: %v", err)
		}
		c := pab.PublicAccessBlockConfiguration
		gotPAB := map[string]any{"BlockPublicAcls": aws.ToBool(c.BlockPublicAcls), "BlockPublicPolicy": aws.ToBool(c.BlockPublicPolicy),
			"IgnorePublicAcls": aws.ToBool(c.IgnorePublicAcls), "RestrictPublicBuckets": aws.ToBool(c.RestrictPublicBuckets)}
		if !reflect.DeepEqual(gotPAB, b["PublicAccessBlockConfiguration"]) {
			t.Errorf("emulator public access block %v, template %v", gotPAB, b["PublicAccessBlockConfiguration"])
		}
	})
}

func queueARN(t testing.TB, c *sqs.Client, url string) string {
	t.Helper()
	out, err := c.GetQueueAttributes(awstest.Context(t), &sqs.GetQueueAttributesInput{
		QueueUrl: aws.String(url), AttributeNames: []sqstypes.QueueAttributeName{sqstypes.QueueAttributeNameQueueArn}})
	if err != nil {
		t.Fatal(err)
	}
	return out.Attributes[string(sqstypes.QueueAttributeNameQueueArn)]
}
