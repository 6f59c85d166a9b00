package dynamo

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// expr collects the attribute names and values of one request's
// expressions. Every attribute name goes through a placeholder (so reserved
// words such as "name", "ttl" or "status" never matter), and placeholders
// have a fixed width (#n000, :v000): none is a prefix of another, which
// emulators that substitute them textually rely on.
type expr struct {
	names  map[string]string
	values map[string]types.AttributeValue
	byAttr map[string]string
}

// n returns the placeholder of attribute attr.
func (e *expr) n(attr string) string {
	if p, ok := e.byAttr[attr]; ok {
		return p
	}
	if e.names == nil {
		e.names, e.byAttr = map[string]string{}, map[string]string{}
	}
	p := fmt.Sprintf("#n%03d", len(e.names))
	e.names[p], e.byAttr[attr] = attr, p
	return p
}

// v returns a placeholder holding av.
func (e *expr) v(av types.AttributeValue) string {
	if e.values == nil {
		e.values = map[string]types.AttributeValue{}
	}
	p := fmt.Sprintf(":v%03d", len(e.values))
	e.values[p] = av
	return p
}

func (e *expr) s(s string) string { return e.v(sv(s)) }
func (e *expr) i(n int64) string  { return e.v(nv(n)) }

// eq returns "attr = value".
func (e *expr) eq(attr string, av types.AttributeValue) string {
	return e.n(attr) + " = " + e.v(av)
}

// Names and Values return the maps for a request (nil when empty).
func (e *expr) Names() map[string]string {
	if len(e.names) == 0 {
		return nil
	}
	return e.names
}

func (e *expr) Values() map[string]types.AttributeValue {
	if len(e.values) == 0 {
		return nil
	}
	return e.values
}

// update builds an UpdateExpression from SET, ADD and REMOVE actions.
type update struct {
	e              *expr
	sets, adds, rm []string
}

func newUpdate(e *expr) *update { return &update{e: e} }

func (u *update) set(attr string, av types.AttributeValue) *update {
	u.sets = append(u.sets, u.e.n(attr)+" = "+u.e.v(av))
	return u
}

// setS sets a string attribute, removing it when s is empty (index keys
// must never be empty strings, and absent attributes keep items small).
func (u *update) setS(attr, s string) *update {
	if s == "" {
		return u.remove(attr)
	}
	return u.set(attr, sv(s))
}

// setOnce sets attr unless the item has it already.
func (u *update) setOnce(attr string, av types.AttributeValue) *update {
	p := u.e.n(attr)
	u.sets = append(u.sets, p+" = if_not_exists("+p+", "+u.e.v(av)+")")
	return u
}

func (u *update) add(attr string, n int64) *update {
	u.adds = append(u.adds, u.e.n(attr)+" "+u.e.i(n))
	return u
}

func (u *update) remove(attr string) *update {
	u.rm = append(u.rm, u.e.n(attr))
	return u
}

func (u *update) empty() bool { return len(u.sets)+len(u.adds)+len(u.rm) == 0 }

func (u *update) String() string {
	var s string
	for _, part := range []struct {
		kw   string
		list []string
	}{{"SET ", u.sets}, {"ADD ", u.adds}, {"REMOVE ", u.rm}} {
		if len(part.list) == 0 {
			continue
		}
		if s != "" {
			s += " "
		}
		s += part.kw + strings.Join(part.list, ", ")
	}
	return s
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
