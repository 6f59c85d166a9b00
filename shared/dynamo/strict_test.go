package dynamo_test

import (
	"testing"

	"github.com/wagate/wagate/shared/ddb/ddbtest"
	"github.com/wagate/wagate/shared/dynamo"
)

// strict refuses requests that DynamoDB refuses on this table but the
// emulator lets through (ddbtest.Strict), so the integration tests catch
// them.
var strict = ddbtest.Strict{PartitionKey: dynamo.TableSpec.PartitionKey, SortKey: dynamo.TableSpec.SortKey, IndexKeys: indexKeys()}

func indexKeys() []string {
	var keys []string
	for _, ix := range dynamo.TableSpec.Indexes {
		keys = append(keys, ix.PartitionKey, ix.SortKey)
	}
	return keys
}

func TestStrictChecks(t *testing.T) { ddbtest.StrictSuite(t, strict) }
