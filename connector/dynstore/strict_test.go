package dynstore_test

import (
	"testing"

	"github.com/wagate/wagate/shared/ddb/ddbtest"
)

// strict refuses requests that DynamoDB refuses on the device table (no
// secondary index) but the emulator lets through (ddbtest.Strict).
var strict = ddbtest.Strict{PartitionKey: "pk", SortKey: "sk"}

func TestStrictChecks(t *testing.T) { ddbtest.StrictSuite(t, strict) }
