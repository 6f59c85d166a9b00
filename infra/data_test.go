package main

import (
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"

	"github.com/wagate/wagate/shared/dynamo"
)

func TestTable(t *testing.T) {
	t.Run("Dev", func(t *testing.T) {
		s := dev(t)
		count(t, s, "AWS::DynamoDB::Table", 2) // the single table and the device table
		has(t, s, "AWS::DynamoDB::Table", map[string]any{
			"TableName":                        s.cfg.Names.Table,
			"BillingMode":                      "PAY_PER_REQUEST",
			"PointInTimeRecoverySpecification": map[string]any{"PointInTimeRecoveryEnabled": true},
			"TimeToLiveSpecification":          map[string]any{"AttributeName": dynamo.TableSpec.TTLAttribute, "Enabled": true},
			"SSESpecification":                 map[string]any{"SSEEnabled": true},
			"DeletionProtectionEnabled":        false,
		})
		gsis := s.one(t, "AWS::DynamoDB::Table", "TableName", s.cfg.Names.Table).Props["GlobalSecondaryIndexes"].([]any)
		if len(gsis) != len(dynamo.TableSpec.Indexes) {
			t.Errorf("%d GSIs, want %d", len(gsis), len(dynamo.TableSpec.Indexes))
		}
	})
	t.Run("DeviceTable", func(t *testing.T) {
		s := dev(t)
		has(t, s, "AWS::DynamoDB::Table", map[string]any{
			"TableName": s.cfg.Names.DeviceTable,
			"KeySchema": []any{
				map[string]any{"AttributeName": dynamo.DeviceTableSpec.PartitionKey, "KeyType": "HASH"},
				map[string]any{"AttributeName": dynamo.DeviceTableSpec.SortKey, "KeyType": "RANGE"},
			},
			"BillingMode":                      "PAY_PER_REQUEST",
			"PointInTimeRecoverySpecification": map[string]any{"PointInTimeRecoveryEnabled": true},
			"TimeToLiveSpecification":          map[string]any{"AttributeName": dynamo.DeviceTableSpec.TTLAttribute, "Enabled": true},
			"SSESpecification":                 map[string]any{"SSEEnabled": true},
			"DeletionProtectionEnabled":        false,
			"GlobalSecondaryIndexes":           assertions.Match_Absent(),
		})
		if r := s.one(t, "AWS::DynamoDB::Table", "TableName", s.cfg.Names.DeviceTable); r.Raw["DeletionPolicy"] != "Delete" {
			t.Errorf("dev device table DeletionPolicy %v, want Delete", r.Raw["DeletionPolicy"])
		}
		p := prod(t)
		r := p.one(t, "AWS::DynamoDB::Table", "TableName", p.cfg.Names.DeviceTable)
		if r.Props["DeletionProtectionEnabled"] != true || r.Raw["DeletionPolicy"] != "Retain" || r.Raw["UpdateReplacePolicy"] != "Retain" {
			t.Errorf("prod device table: deletion protection %v, policies %v/%v; want true, Retain",
				r.Props["DeletionProtectionEnabled"], r.Raw["DeletionPolicy"], r.Raw["UpdateReplacePolicy"])
		}
	})
	t.Run("ProdProtected", func(t *testing.T) {
		s := prod(t)
		has(t, s, "AWS::DynamoDB::Table", map[string]any{
			"DeletionProtectionEnabled":        true,
			"PointInTimeRecoverySpecification": map[string]any{"PointInTimeRecoveryEnabled": true},
		})
		r := s.one(t, "AWS::DynamoDB::Table", "TableName", s.cfg.Names.Table)
		if r.Raw["DeletionPolicy"] != "Retain" || r.Raw["UpdateReplacePolicy"] != "Retain" {
			t.Errorf("prod table policies %v/%v, want Retain", r.Raw["DeletionPolicy"], r.Raw["UpdateReplacePolicy"])
		}
		if dev := dev(t).one(t, "AWS::DynamoDB::Table", "TableName", dev(t).cfg.Names.Table); dev.Raw["DeletionPolicy"] != "Delete" {
			t.Errorf("dev table DeletionPolicy %v, want Delete", dev.Raw["DeletionPolicy"])
		}
	})
}

func TestMediaBucket(t *testing.T) {
	s := dev(t)
	count(t, s, "AWS::S3::Bucket", 1)
	has(t, s, "AWS::S3::Bucket", map[string]any{
		"BucketName": s.cfg.Names.Bucket(SynthAccount),
		"BucketEncryption": map[string]any{"ServerSideEncryptionConfiguration": []any{
			map[string]any{"ServerSideEncryptionByDefault": map[string]any{"SSEAlgorithm": "AES256"}},
		}},
		"PublicAccessBlockConfiguration": map[string]any{
			"BlockPublicAcls": true, "BlockPublicPolicy": true, "IgnorePublicAcls": true, "RestrictPublicBuckets": true,
		},
		"OwnershipControls": map[string]any{"Rules": []any{map[string]any{"ObjectOwnership": "BucketOwnerEnforced"}}},
		"LifecycleConfiguration": map[string]any{"Rules": assertions.Match_ArrayWith(&[]any{
			assertions.Match_ObjectLike(&map[string]any{"Id": "abort-incomplete-uploads", "Status": "Enabled", "AbortIncompleteMultipartUpload": map[string]any{"DaysAfterInitiation": abortMultipartDays}}),
			assertions.Match_ObjectLike(&map[string]any{"Id": "intelligent-tiering", "Status": "Enabled", "Transitions": []any{
				map[string]any{"StorageClass": "INTELLIGENT_TIERING", "TransitionInDays": mediaTieringDays},
			}}),
		})},
	})
	// TLS only: a bucket policy denies every request without TLS.
	has(t, s, "AWS::S3::BucketPolicy", map[string]any{
		"PolicyDocument": map[string]any{"Statement": assertions.Match_ArrayWith(&[]any{assertions.Match_ObjectLike(&map[string]any{
			"Effect": "Deny", "Action": "s3:*", "Principal": map[string]any{"AWS": "*"},
			"Condition": map[string]any{"Bool": map[string]any{"aws:SecureTransport": "false"}},
		})})},
	})
	b := s.one(t, "AWS::S3::Bucket", "BucketName", s.cfg.Names.Bucket(SynthAccount))
	if b.Raw["DeletionPolicy"] != "Retain" {
		t.Errorf("bucket DeletionPolicy %v, want Retain (it holds users' media)", b.Raw["DeletionPolicy"])
	}
	t.Run("Expiry", func(t *testing.T) {
		if rules := b.Props["LifecycleConfiguration"].(map[string]any)["Rules"].([]any); len(rules) != 2 {
			t.Errorf("%d lifecycle rules by default, want 2 (no expiry)", len(rules))
		}
		e := synth(t, "exp", func(c *Config) { c.MediaExpireDays = 90 })
		has(t, e, "AWS::S3::Bucket", map[string]any{"LifecycleConfiguration": map[string]any{"Rules": assertions.Match_ArrayWith(&[]any{
			assertions.Match_ObjectLike(&map[string]any{"Id": "expire-media", "ExpirationInDays": 90, "Status": "Enabled"}),
		})}})
	})
}

func TestCommandQueues(t *testing.T) {
	s := dev(t)
	dlq := s.one(t, "AWS::SQS::Queue", "QueueName", s.cfg.Names.CommandDLQ)
	has(t, s, "AWS::SQS::Queue", map[string]any{
		"QueueName": s.cfg.Names.CommandQueue, "FifoQueue": true, "ContentBasedDeduplication": false,
		"DeduplicationScope": "messageGroup", "FifoThroughputLimit": "perMessageGroupId",
		"SqsManagedSseEnabled": true,
		"RedrivePolicy": map[string]any{
			"deadLetterTargetArn": map[string]any{"Fn::GetAtt": []any{dlq.ID, "Arn"}}, "maxReceiveCount": 5,
		},
	})
	has(t, s, "AWS::SQS::Queue", map[string]any{
		"QueueName": s.cfg.Names.CommandDLQ, "FifoQueue": true, "SqsManagedSseEnabled": true,
	})
	has(t, s, "AWS::SQS::Queue", map[string]any{
		"QueueName": s.cfg.Names.WebhookDLQ, "SqsManagedSseEnabled": true, "FifoQueue": assertions.Match_Absent(),
	})
	count(t, s, "AWS::SQS::Queue", 3) // the emulator's webhook event queue is not deployed
	// Every queue refuses requests without TLS.
	for _, q := range s.resources("AWS::SQS::Queue") {
		found := false
		for _, p := range s.resources("AWS::SQS::QueuePolicy") {
			if !refersTo(p.Props["Queues"], q.ID) {
				continue
			}
			for _, st := range list(p.Props["PolicyDocument"].(map[string]any)["Statement"]) {
				m := st.(map[string]any)
				if m["Effect"] == "Deny" && m["Action"] == "sqs:*" {
					found = true
				}
			}
		}
		if !found {
			t.Errorf("queue %s has no TLS-only policy", q.ID)
		}
	}
}
