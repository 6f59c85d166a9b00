package main

import (
	"time"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsdynamodb"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssqs"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/wagate/wagate/shared/awsres"
	"github.com/wagate/wagate/shared/dynamo"
)

// Media bucket lifecycle.
const (
	// abortMultipartDays cleans up uploads a crashed writer left.
	abortMultipartDays = 1
	// mediaTieringDays moves media nobody opened for a month to
	// Intelligent-Tiering (objects under 128 KB stay in the frequent tier
	// and pay no monitoring fee).
	mediaTieringDays = 30
)

// Data is the state of the aws runtime: the single table, the whatsmeow
// device store's table, the media bucket, and the command queue with its
// dead-letter queue. Names and settings come from awsres,
// dynamo.TableSpec and dynamo.DeviceTableSpec — the definitions the
// emulator provisioner uses (parity_test.go checks they agree).
type Data struct {
	Table        awsdynamodb.Table
	DeviceTable  awsdynamodb.Table // connector/dynstore: the sessions' WhatsApp credentials
	Bucket       awss3.Bucket
	CommandQueue awssqs.Queue
	CommandDLQ   awssqs.Queue
}

// NewData creates the tables, the bucket and the queues.
func NewData(scope constructs.Construct, c Config) *Data {
	s := constructs.NewConstruct(scope, jsii.String("Data"))
	d := &Data{
		Table:       newTable(s, c, "Table", c.Names.Table, dynamo.TableSpec),
		DeviceTable: newTable(s, c, "DeviceTable", c.Names.DeviceTable, dynamo.DeviceTableSpec),
		Bucket:      newBucket(s, c),
	}
	d.CommandQueue, d.CommandDLQ = newCommandQueues(s, c)
	return d
}

// newCommandQueues creates the command queue (FIFO, one message group per
// session, deduplication by command id, high throughput per group) and its
// FIFO dead-letter queue, with awsres's visibility, retention and redrive.
func newCommandQueues(s constructs.Construct, c Config) (queue, dlq awssqs.Queue) {
	dlq = awssqs.NewQueue(s, jsii.String("CommandDlq"), &awssqs.QueueProps{
		QueueName:       jsii.String(c.Names.CommandDLQ),
		Fifo:            jsii.Bool(true),
		RetentionPeriod: seconds(awsres.DLQRetention),
		Encryption:      awssqs.QueueEncryption_SQS_MANAGED,
		EnforceSSL:      jsii.Bool(true),
		RemovalPolicy:   awscdk.RemovalPolicy_DESTROY,
	})
	queue = awssqs.NewQueue(s, jsii.String("CommandQueue"), &awssqs.QueueProps{
		QueueName:                 jsii.String(c.Names.CommandQueue),
		Fifo:                      jsii.Bool(true),
		ContentBasedDeduplication: jsii.Bool(false),
		DeduplicationScope:        awssqs.DeduplicationScope_MESSAGE_GROUP,
		FifoThroughputLimit:       awssqs.FifoThroughputLimit_PER_MESSAGE_GROUP_ID,
		VisibilityTimeout:         seconds(awsres.QueueVisibility),
		RetentionPeriod:           seconds(awsres.QueueRetention),
		Encryption:                awssqs.QueueEncryption_SQS_MANAGED,
		EnforceSSL:                jsii.Bool(true),
		DeadLetterQueue:           &awssqs.DeadLetterQueue{Queue: dlq, MaxReceiveCount: jsii.Number(awsres.QueueMaxReceiveCount)},
		RemovalPolicy:             awscdk.RemovalPolicy_DESTROY,
	})
	// The queue's default receive wait is 0, as the provisioner sets it
	// (awsres.CommandQueueAttributes: consumers ask for long polls in each
	// call). The L2 construct leaves a zero out of the template; write it.
	cfnQueue(queue).AddPropertyOverride(jsii.String("ReceiveMessageWaitTimeSeconds"), awsres.Seconds(0))
	return queue, dlq
}

// cfnQueue returns the CloudFormation resource of q.
func cfnQueue(q awssqs.Queue) awssqs.CfnQueue {
	return q.Node().DefaultChild().(awssqs.CfnQueue)
}

// seconds converts d to a CDK duration in whole seconds.
func seconds(d time.Duration) awscdk.Duration {
	return awscdk.Duration_Seconds(jsii.Number(awsres.Seconds(d)))
}

// newTable creates the table name from spec (dynamo.TableSpec,
// dynamo.DeviceTableSpec): on demand, every GSI with its projection, TTL,
// point-in-time recovery always and deletion protection (and retention) in
// production. Both tables hold what cannot be rebuilt: the messages, and
// the WhatsApp credentials without which every session must pair again.
func newTable(s constructs.Construct, c Config, id, name string, spec dynamo.Spec) awsdynamodb.Table {
	billing := awsdynamodb.BillingMode_PROVISIONED
	if spec.OnDemand {
		billing = awsdynamodb.BillingMode_PAY_PER_REQUEST
	}
	removal := awscdk.RemovalPolicy_DESTROY
	if c.Production {
		removal = awscdk.RemovalPolicy_RETAIN
	}
	var ttl *string
	if spec.TTLAttribute != "" {
		ttl = jsii.String(spec.TTLAttribute)
	}
	t := awsdynamodb.NewTable(s, jsii.String(id), &awsdynamodb.TableProps{
		TableName:    jsii.String(name),
		PartitionKey: stringKey(spec.PartitionKey),
		SortKey:      stringKey(spec.SortKey),
		BillingMode:  billing,
		PointInTimeRecoverySpecification: &awsdynamodb.PointInTimeRecoverySpecification{
			PointInTimeRecoveryEnabled: jsii.Bool(true),
		},
		DeletionProtection:  jsii.Bool(c.Production),
		TimeToLiveAttribute: ttl,
		Encryption:          awsdynamodb.TableEncryption_AWS_MANAGED,
		RemovalPolicy:       removal,
	})
	for _, ix := range spec.Indexes {
		p := &awsdynamodb.GlobalSecondaryIndexProps{
			IndexName:      jsii.String(ix.Name),
			PartitionKey:   stringKey(ix.PartitionKey),
			SortKey:        stringKey(ix.SortKey),
			ProjectionType: awsdynamodb.ProjectionType_KEYS_ONLY,
		}
		if len(ix.Include) > 0 {
			p.ProjectionType, p.NonKeyAttributes = awsdynamodb.ProjectionType_INCLUDE, jsii.Strings(ix.Include...)
		}
		t.AddGlobalSecondaryIndex(p)
	}
	return t
}

func stringKey(name string) *awsdynamodb.Attribute {
	return &awsdynamodb.Attribute{Name: jsii.String(name), Type: awsdynamodb.AttributeType_STRING}
}

// newBucket creates the media bucket: SSE-S3 (awsres.BucketEncryption),
// every public access blocked, bucket-owner-enforced ownership (no ACLs),
// TLS only, lifecycle rules. It is retained when the stack is deleted in
// every stage: it holds users' media (README: delete it by hand).
func newBucket(s constructs.Construct, c Config) awss3.Bucket {
	rules := []*awss3.LifecycleRule{
		{Id: jsii.String("abort-incomplete-uploads"), AbortIncompleteMultipartUploadAfter: awscdk.Duration_Days(jsii.Number(abortMultipartDays))},
		{Id: jsii.String("intelligent-tiering"), Transitions: &[]*awss3.Transition{{
			StorageClass: awss3.StorageClass_INTELLIGENT_TIERING(), TransitionAfter: awscdk.Duration_Days(jsii.Number(mediaTieringDays)),
		}}},
	}
	if c.MediaExpireDays > 0 {
		rules = append(rules, &awss3.LifecycleRule{Id: jsii.String("expire-media"), Expiration: awscdk.Duration_Days(jsii.Number(c.MediaExpireDays))})
	}
	return awss3.NewBucket(s, jsii.String("Media"), &awss3.BucketProps{
		BucketName:        jsii.String(c.Names.Bucket(c.Account)),
		Encryption:        bucketEncryption(),
		BlockPublicAccess: awss3.BlockPublicAccess_BLOCK_ALL(),
		ObjectOwnership:   awss3.ObjectOwnership_BUCKET_OWNER_ENFORCED,
		EnforceSSL:        jsii.Bool(true),
		Versioned:         jsii.Bool(false),
		LifecycleRules:    &rules,
		RemovalPolicy:     awscdk.RemovalPolicy_RETAIN,
	})
}

// bucketEncryption maps awsres.BucketEncryption to the CDK setting.
func bucketEncryption() awss3.BucketEncryption {
	if awsres.BucketEncryption == "aws:kms" {
		return awss3.BucketEncryption_KMS_MANAGED
	}
	return awss3.BucketEncryption_S3_MANAGED
}
