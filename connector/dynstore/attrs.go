package dynstore

import (
	"bytes"
	"fmt"
	"strconv"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// item is a DynamoDB item.
type item = map[string]types.AttributeValue

// itemKey is the primary key of an item.
type itemKey struct{ pk, sk string }

func (k itemKey) av() item { return item{attrPK: sv(k.pk), attrSK: sv(k.sk)} }

func (k itemKey) String() string { return k.pk + "/" + k.sk }

func keyOf(it item) itemKey { return itemKey{getS(it, attrPK), getS(it, attrSK)} }

// newItem returns an item holding only the key k.
func newItem(k itemKey) item { return k.av() }

// cloneItem copies the map of it (attribute values are never mutated in
// place, so a shallow copy is enough); nil stays nil.
func cloneItem(it item) item {
	if it == nil {
		return nil
	}
	out := make(item, len(it))
	for k, v := range it {
		out[k] = v
	}
	return out
}

func sv(s string) types.AttributeValue { return &types.AttributeValueMemberS{Value: s} }
func nv(n int64) types.AttributeValue {
	return &types.AttributeValueMemberN{Value: strconv.FormatInt(n, 10)}
}
func uv(n uint64) types.AttributeValue {
	return &types.AttributeValueMemberN{Value: strconv.FormatUint(n, 10)}
}
func bv(b []byte) types.AttributeValue { return &types.AttributeValueMemberB{Value: bytes.Clone(b)} }
func boolv(b bool) types.AttributeValue {
	return &types.AttributeValueMemberBOOL{Value: b}
}

// setB stores b under attr, or nothing when b is empty: sqlstore on
// SQLite (modernc.org/sqlite) reads an empty blob back as nil, like NULL.
func setB(it item, attr string, b []byte) {
	if len(b) == 0 {
		delete(it, attr)
		return
	}
	it[attr] = bv(b)
}

func getS(it item, attr string) string {
	if v, ok := it[attr].(*types.AttributeValueMemberS); ok {
		return v.Value
	}
	return ""
}

// getB returns a copy of the binary attr; nil when absent or empty.
func getB(it item, attr string) []byte {
	v, ok := it[attr].(*types.AttributeValueMemberB)
	if !ok || len(v.Value) == 0 {
		return nil
	}
	return bytes.Clone(v.Value)
}

func getBool(it item, attr string) bool {
	v, ok := it[attr].(*types.AttributeValueMemberBOOL)
	return ok && v.Value
}

// getN returns the number attr; 0 when absent.
func getN(it item, attr string) (int64, error) {
	v, ok := it[attr].(*types.AttributeValueMemberN)
	if !ok {
		return 0, nil
	}
	n, err := strconv.ParseInt(v.Value, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("attribute %s of %s: %w", attr, keyOf(it), err)
	}
	return n, nil
}

// getU returns the unsigned number attr; 0 when absent.
func getU(it item, attr string) (uint64, error) {
	v, ok := it[attr].(*types.AttributeValueMemberN)
	if !ok {
		return 0, nil
	}
	n, err := strconv.ParseUint(v.Value, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("attribute %s of %s: %w", attr, keyOf(it), err)
	}
	return n, nil
}
