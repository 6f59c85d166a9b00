package provision

import (
	"context"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/wagate/wagate/shared/awsres"
	"github.com/wagate/wagate/shared/dynamo"
)

// tableWait bounds the wait for an existing table to become active.
const tableWait = 2 * time.Minute

// table creates the single table from dynamo.TableSpec (waiting until it
// is active) and turns on its TTL.
func (p *Provisioner) table(ctx context.Context, r *Result) error {
	err := dynamo.CreateTable(ctx, p.Clients.DynamoDB, r.Table)
	if isCode(err, "ResourceInUseException") { // exists: wait in case it is still being created
		w := dynamodb.NewTableExistsWaiter(p.Clients.DynamoDB)
		err = w.Wait(ctx, &dynamodb.DescribeTableInput{TableName: aws.String(r.Table)}, tableWait)
	}
	if err != nil {
		return err
	}
	return dynamo.EnableTTL(ctx, p.Clients.DynamoDB, r.Table)
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
