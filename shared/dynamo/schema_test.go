package dynamo_test

import (
	"slices"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/wagate/wagate/shared/dynamo"
)

// TableSpec is consistent: every key is defined, index names are unique,
// projections stay within DynamoDB's limits, billing is on demand.
func TestTableSpec(t *testing.T) {
	spec := dynamo.TableSpec
	in := spec.CreateTableInput("t")
	defined := map[string]bool{}
	for _, a := range in.AttributeDefinitions {
		defined[aws.ToString(a.AttributeName)] = true
	}
	keys := []string{spec.PartitionKey, spec.SortKey}
	names := map[string]bool{}
	projected := 0
	for _, ix := range spec.Indexes {
		if names[ix.Name] {
			t.Errorf("index %s defined twice", ix.Name)
		}
		names[ix.Name] = true
		keys = append(keys, ix.PartitionKey, ix.SortKey)
		projected += len(ix.Include)
		if slices.Contains(ix.Include, spec.TTLAttribute) {
			t.Errorf("index %s projects the TTL attribute", ix.Name)
		}
	}
	for _, k := range keys {
		if !defined[k] {
			t.Errorf("key attribute %q has no attribute definition", k)
		}
	}
	if len(defined) != len(slices.Compact(slices.Sorted(slices.Values(keys)))) {
		t.Errorf("attribute definitions %v: want exactly the key attributes %v", in.AttributeDefinitions, keys)
	}
	if projected > 100 {
		t.Errorf("indexes project %d non-key attributes, DynamoDB allows 100", projected)
	}
	if len(in.GlobalSecondaryIndexes) != len(spec.Indexes) || len(spec.Indexes) > 20 {
		t.Errorf("%d GSIs in the request for %d in the spec", len(in.GlobalSecondaryIndexes), len(spec.Indexes))
	}
	if in.BillingMode != types.BillingModePayPerRequest {
		t.Errorf("BillingMode = %s, want PAY_PER_REQUEST", in.BillingMode)
	}
	if spec.TTLAttribute != dynamo.TTLAttribute {
		t.Errorf("TTL attribute = %q", spec.TTLAttribute)
	}
}
