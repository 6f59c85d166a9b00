package dynamo_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/wagate/wagate/shared/ddb/ddbtest"
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
	return ddbtest.NewTable(tb, newClient(tb), "wagate-test", dynamo.CreateTable)
}

// newClient returns a strict DynamoDB client of the emulator (a new one per
// call, like separate processes have).
func newClient(tb testing.TB) *dynamodb.Client {
	tb.Helper()
	return ddbtest.NewClient(tb, strict)
}
