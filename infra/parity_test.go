package main

// The CDK app and the emulator provisioner (shared/provision) must create
// the same resources: the same names and the settings the code relies on.
// TestParityDefinitions compares the template with the definitions the
// provisioner calls (awsres, dynamo.TableSpec, provision.WebhookTarget);
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
	ddbtypes "github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
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

// tableShape is the part of a table both sides define.
type tableShape struct {
	Name       string
	Keys       []string          // "pk HASH", "sk RANGE"
	Attributes map[string]string // name → type
	Indexes    map[string]string // name → "keys | projection | attributes"
	OnDemand   bool
	TTL        string
}

// shapeFromInput is the shape of a CreateTable request (the provisioner's).
func shapeFromInput(in *dynamodb.CreateTableInput, ttl string) tableShape {
	s := tableShape{Name: aws.ToString(in.TableName), Attributes: map[string]string{}, Indexes: map[string]string{},
		OnDemand: in.BillingMode == ddbtypes.BillingModePayPerRequest, TTL: ttl}
	for _, k := range in.KeySchema {
		s.Keys = append(s.Keys, aws.ToString(k.AttributeName)+" "+string(k.KeyType))
	}
	for _, a := range in.AttributeDefinitions {
		s.Attributes[aws.ToString(a.AttributeName)] = string(a.AttributeType)
	}
	for _, ix := range in.GlobalSecondaryIndexes {
		var keys []string
		for _, k := range ix.KeySchema {
			keys = append(keys, aws.ToString(k.AttributeName)+" "+string(k.KeyType))
		}
		s.Indexes[aws.ToString(ix.IndexName)] = indexShape(keys, string(ix.Projection.ProjectionType), ix.Projection.NonKeyAttributes)
	}
	return s
}

// shapeFromDescription is the shape of a described table (the emulator's).
func shapeFromDescription(d *ddbtypes.TableDescription, ttl string) tableShape {
	in := &dynamodb.CreateTableInput{TableName: d.TableName, KeySchema: d.KeySchema, AttributeDefinitions: d.AttributeDefinitions}
	if d.BillingModeSummary != nil {
		in.BillingMode = d.BillingModeSummary.BillingMode
	}
	for _, ix := range d.GlobalSecondaryIndexes {
		in.GlobalSecondaryIndexes = append(in.GlobalSecondaryIndexes, ddbtypes.GlobalSecondaryIndex{
			IndexName: ix.IndexName, KeySchema: ix.KeySchema, Projection: ix.Projection})
	}
	return shapeFromInput(in, ttl)
}

// shapeFromTemplate is the shape of the template's table.
func shapeFromTemplate(p map[string]any) tableShape {
	s := tableShape{Name: p["TableName"].(string), Attributes: map[string]string{}, Indexes: map[string]string{},
		OnDemand: p["BillingMode"] == "PAY_PER_REQUEST"}
	keys := func(v any) (out []string) {
		for _, k := range list(v) {
			m := k.(map[string]any)
			out = append(out, m["AttributeName"].(string)+" "+m["KeyType"].(string))
		}
		return out
	}
	s.Keys = keys(p["KeySchema"])
	for _, a := range list(p["AttributeDefinitions"]) {
		m := a.(map[string]any)
		s.Attributes[m["AttributeName"].(string)] = m["AttributeType"].(string)
	}
	for _, ix := range list(p["GlobalSecondaryIndexes"]) {
		m := ix.(map[string]any)
		proj := m["Projection"].(map[string]any)
		var nonKey []string
		for _, a := range list(proj["NonKeyAttributes"]) {
			nonKey = append(nonKey, a.(string))
		}
		s.Indexes[m["IndexName"].(string)] = indexShape(keys(m["KeySchema"]), proj["ProjectionType"].(string), nonKey)
	}
	if ttl, ok := p["TimeToLiveSpecification"].(map[string]any); ok && ttl["Enabled"] == true {
		s.TTL = ttl["AttributeName"].(string)
	}
	return s
}

func indexShape(keys []string, projection string, nonKey []string) string {
	nonKey = slices.Sorted(slices.Values(nonKey))
	return strings.Join(keys, ",") + " | " + projection + " | " + strings.Join(nonKey, ",")
}

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
		for _, q := range []string{names.CommandQueue, names.CommandDLQ, names.WebhookDLQ} {
			s.one(t, "AWS::SQS::Queue", "QueueName", q)
		}
		for _, f := range []string{names.APIFunction, names.WebhookFunc} {
			s.one(t, "AWS::Lambda::Function", "FunctionName", f)
		}
	})
	t.Run("Table", func(t *testing.T) {
		got := shapeFromTemplate(s.one(t, "AWS::DynamoDB::Table", "TableName", names.Table).Props)
		want := shapeFromInput(dynamo.TableSpec.CreateTableInput(names.Table), dynamo.TableSpec.TTLAttribute)
		if !reflect.DeepEqual(got, want) {
			t.Errorf("template table\n %+v\nprovisioner's table\n %+v", got, want)
		}
	})
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

	t.Run("Table", func(t *testing.T) {
		d, err := clients.DynamoDB.DescribeTable(ctx, &dynamodb.DescribeTableInput{TableName: aws.String(names.Table)})
		if err != nil {
			t.Fatal(err)
		}
		ttl, err := clients.DynamoDB.DescribeTimeToLive(ctx, &dynamodb.DescribeTimeToLiveInput{TableName: aws.String(names.Table)})
		if err != nil {
			t.Fatal(err)
		}
		got := shapeFromDescription(d.Table, aws.ToString(ttl.TimeToLiveDescription.AttributeName))
		want := shapeFromTemplate(s.one(t, "AWS::DynamoDB::Table", "TableName", names.Table).Props)
		if !reflect.DeepEqual(got, want) {
			t.Errorf("emulator table\n %+v\ntemplate table\n %+v", got, want)
		}
	})
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
