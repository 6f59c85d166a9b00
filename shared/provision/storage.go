package provision

import (
	"context"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	ddbtypes "github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/wagate/wagate/shared/awsres"
	"github.com/wagate/wagate/shared/dynamo"
)

// tableWait bounds the wait for a table to become active.
const tableWait = 2 * time.Minute

// table creates the single table from dynamo.TableSpec.
func (p *Provisioner) table(ctx context.Context, r *Result) error {
	return p.createTable(ctx, r.Table, dynamo.TableSpec)
}

// deviceTable creates the whatsmeow device store's table from
// dynamo.DeviceTableSpec (what connector/dynstore.CreateTableInput makes).
func (p *Provisioner) deviceTable(ctx context.Context, r *Result) error {
	return p.createTable(ctx, r.DeviceTable, dynamo.DeviceTableSpec)
}

// createTable creates the table name from spec unless it exists, waits
// until it is active (also when another run is creating it) and turns on
// its TTL unless it is on.
func (p *Provisioner) createTable(ctx context.Context, name string, spec dynamo.Spec) error {
	c := p.Clients.DynamoDB
	if _, err := c.CreateTable(ctx, spec.CreateTableInput(name)); err != nil && !isCode(err, "ResourceInUseException") {
		return fmt.Errorf("create table: %w", err)
	}
	w := dynamodb.NewTableExistsWaiter(c, func(o *dynamodb.TableExistsWaiterOptions) {
		o.MinDelay, o.MaxDelay = 100*time.Millisecond, 2*time.Second
	})
	if err := w.Wait(ctx, &dynamodb.DescribeTableInput{TableName: aws.String(name)}, tableWait); err != nil {
		return fmt.Errorf("wait for table: %w", err)
	}
	if spec.TTLAttribute == "" {
		return nil
	}
	cur, err := c.DescribeTimeToLive(ctx, &dynamodb.DescribeTimeToLiveInput{TableName: aws.String(name)})
	if err != nil {
		return fmt.Errorf("describe ttl: %w", err)
	}
	if d := cur.TimeToLiveDescription; d != nil && aws.ToString(d.AttributeName) == spec.TTLAttribute &&
		(d.TimeToLiveStatus == ddbtypes.TimeToLiveStatusEnabled || d.TimeToLiveStatus == ddbtypes.TimeToLiveStatusEnabling) {
		return nil
	}
	_, err = c.UpdateTimeToLive(ctx, &dynamodb.UpdateTimeToLiveInput{
		TableName: aws.String(name),
		TimeToLiveSpecification: &ddbtypes.TimeToLiveSpecification{
			AttributeName: aws.String(spec.TTLAttribute), Enabled: aws.Bool(true),
		},
	})
	if err != nil {
		return fmt.Errorf("enable ttl: %w", err)
	}
	return nil
}

// bucket creates the media bucket, private, with SSE-S3 default
// encryption.
func (p *Provisioner) bucket(ctx context.Context, r *Result) error {
	c := p.Clients.S3
	in := &s3.CreateBucketInput{Bucket: aws.String(r.Bucket)}
	if region := c.Options().Region; region != "" && region != "us-east-1" {
		in.CreateBucketConfiguration = &s3types.CreateBucketConfiguration{LocationConstraint: s3types.BucketLocationConstraint(region)}
	}
	if _, err := c.CreateBucket(ctx, in); err != nil && !isCode(err, "BucketAlreadyOwnedByYou") {
		return fmt.Errorf("create bucket: %w", err)
	}
	_, err := c.PutBucketEncryption(ctx, &s3.PutBucketEncryptionInput{
		Bucket: aws.String(r.Bucket),
		ServerSideEncryptionConfiguration: &s3types.ServerSideEncryptionConfiguration{Rules: []s3types.ServerSideEncryptionRule{{
			ApplyServerSideEncryptionByDefault: &s3types.ServerSideEncryptionByDefault{SSEAlgorithm: s3types.ServerSideEncryption(awsres.BucketEncryption)},
		}}},
	})
	if err != nil {
		return fmt.Errorf("set bucket encryption: %w", err)
	}
	_, err = c.PutPublicAccessBlock(ctx, &s3.PutPublicAccessBlockInput{
		Bucket: aws.String(r.Bucket),
		PublicAccessBlockConfiguration: &s3types.PublicAccessBlockConfiguration{
			BlockPublicAcls: aws.Bool(true), BlockPublicPolicy: aws.Bool(true),
			IgnorePublicAcls: aws.Bool(true), RestrictPublicBuckets: aws.Bool(true),
		},
	})
	if err != nil {
		return fmt.Errorf("block public access: %w", err)
	}
	return nil
}
