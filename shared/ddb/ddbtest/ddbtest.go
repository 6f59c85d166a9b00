// Package ddbtest connects the DynamoDB integration tests of the stores
// (shared/dynamo, connector/dynstore) to the AWS emulator (awstest): clients
// that refuse what DynamoDB refuses but the emulator accepts (Strict), and
// fresh tables deleted when the test ends.
package ddbtest

import (
	"context"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/wagate/wagate/shared/awstest"
)

// NewClient returns a DynamoDB client of the emulator (skipping the test
// when there is none, see awstest.Config) that refuses the requests s
// refuses before sending them. The emulator sends no CRC32 header, so
// response checksums are not validated. Every call returns a new client,
// as separate processes have.
func NewClient(tb testing.TB, s Strict) *dynamodb.Client {
	tb.Helper()
	return dynamodb.NewFromConfig(awstest.Config(tb), func(o *dynamodb.Options) {
		o.DisableValidateResponseChecksum = true
		o.APIOptions = append(o.APIOptions, s.addTo)
	})
}

// NewTable creates a table with create under a fresh name starting with
// prefix and returns the name; the table is deleted when the test ends.
func NewTable(tb testing.TB, client *dynamodb.Client, prefix string, create func(ctx context.Context, client *dynamodb.Client, name string) error) string {
	tb.Helper()
	name := awstest.Unique(prefix)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := create(ctx, client, name); err != nil {
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
