package dynamo_test

import (
	"context"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/wagate/wagate/shared/awstest"
	"github.com/wagate/wagate/shared/dynamo"
)

// MustOpenTable creates a fresh table from dynamo.TableSpec on the AWS
// emulator (skipping the test when there is none) and returns it; the
// table is deleted when the test ends.
func MustOpenTable(tb testing.TB) *dynamo.Table {
	tb.Helper()
	return dynamo.NewTable(newClient(tb), MustCreateTable(tb))
}

// MustCreateTable creates a fresh table and returns its name. TTL stays
// off: the suites' fixtures carry past expiry times.
func MustCreateTable(tb testing.TB) string {
	tb.Helper()
	client := newClient(tb)
	name := awstest.Unique("wagate-test")
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := dynamo.CreateTable(ctx, client, name); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if _, err := client.DeleteTable(ctx, &dynamodb.DeleteTableInput{TableName: aws.String(name)}); err != nil {
			tb.Logf("delete table %s: %v", name, err)
		}
	})
	return name
}

// newClient returns a DynamoDB client of the emulator (a new one per call,
// like separate processes have). The emulator sends no CRC32 header, so
// response checksums are not validated; strictChecks refuses what DynamoDB
// would refuse but the emulator accepts.
func newClient(tb testing.TB) *dynamodb.Client {
	tb.Helper()
	return dynamodb.NewFromConfig(awstest.Config(tb), func(o *dynamodb.Options) {
		o.DisableValidateResponseChecksum = true
		o.APIOptions = append(o.APIOptions, strictChecks)
	})
}
