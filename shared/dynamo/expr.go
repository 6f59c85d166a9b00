package dynamo

import (
	"strconv"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/wagate/wagate/shared/ddb"
)

// expr and update are ddb.Expr and ddb.Update with the shorthands this
// package writes its expressions in.
type expr struct{ ddb.Expr }

func (e *expr) n(attr string) string                           { return e.Name(attr) }
func (e *expr) s(s string) string                              { return e.Value(sv(s)) }
func (e *expr) i(n int64) string                               { return e.Value(nv(n)) }
func (e *expr) eq(attr string, av types.AttributeValue) string { return e.Eq(attr, av) }

type update struct{ *ddb.Update }

func newUpdate(e *expr) *update { return &update{ddb.NewUpdate(&e.Expr)} }

func (u *update) set(attr string, av types.AttributeValue) *update     { u.Set(attr, av); return u }
func (u *update) setOnce(attr string, av types.AttributeValue) *update { u.SetOnce(attr, av); return u }
func (u *update) add(attr string, n int64) *update                     { u.Add(attr, nv(n)); return u }
func (u *update) remove(attr string) *update                           { u.Remove(attr); return u }
func (u *update) empty() bool                                          { return u.Empty() }

// setS sets a string attribute, removing it when s is empty (index keys
// must never be empty strings, and absent attributes keep items small).
func (u *update) setS(attr, s string) *update {
	if s == "" {
		return u.remove(attr)
	}
	return u.set(attr, sv(s))
}

// Attribute value constructors.
func sv(s string) types.AttributeValue { return &types.AttributeValueMemberS{Value: s} }
func nv(n int64) types.AttributeValue {
	return &types.AttributeValueMemberN{Value: strconv.FormatInt(n, 10)}
}
func bv(b bool) types.AttributeValue { return &types.AttributeValueMemberBOOL{Value: b} }

// Attribute value readers: the zero value when absent or of another type.
func getS(item map[string]types.AttributeValue, attr string) string {
	if v, ok := item[attr].(*types.AttributeValueMemberS); ok {
		return v.Value
	}
	return ""
}

func getN(item map[string]types.AttributeValue, attr string) int64 {
	if v, ok := item[attr].(*types.AttributeValueMemberN); ok {
		n, _ := strconv.ParseInt(v.Value, 10, 64)
		return n
	}
	return 0
}

func getB(item map[string]types.AttributeValue, attr string) bool {
	if v, ok := item[attr].(*types.AttributeValueMemberBOOL); ok {
		return v.Value
	}
	return false
}
