package ddb

import (
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// Expr collects the attribute names and values of one request's
// expressions. Every attribute name goes through a placeholder (so reserved
// words such as "name", "ttl" or "status" never matter), and placeholders
// have a fixed width (#n000, :v000): none is a prefix of another, which
// emulators that substitute them textually rely on. The zero value is
// ready to use.
type Expr struct {
	names  map[string]string
	values map[string]types.AttributeValue
	byAttr map[string]string
}

// Name returns the placeholder of attribute attr (the same one each time).
func (e *Expr) Name(attr string) string {
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

// Value returns a new placeholder holding av.
func (e *Expr) Value(av types.AttributeValue) string {
	if e.values == nil {
		e.values = map[string]types.AttributeValue{}
	}
	p := fmt.Sprintf(":v%03d", len(e.values))
	e.values[p] = av
	return p
}

// Eq returns the condition "attr = av".
func (e *Expr) Eq(attr string, av types.AttributeValue) string {
	return e.Name(attr) + " = " + e.Value(av)
}

// Names returns the placeholders of attribute names for a request (nil
// when there are none).
func (e *Expr) Names() map[string]string {
	if len(e.names) == 0 {
		return nil
	}
	return e.names
}

// Values returns the placeholders of values for a request (nil when there
// are none).
func (e *Expr) Values() map[string]types.AttributeValue {
	if len(e.values) == 0 {
		return nil
	}
	return e.values
}

// Update builds an UpdateExpression from SET, ADD and REMOVE actions, in
// the order they are added, with the placeholders of its Expr.
type Update struct {
	e              *Expr
	sets, adds, rm []string
}

// NewUpdate returns an empty update whose placeholders e holds.
func NewUpdate(e *Expr) *Update { return &Update{e: e} }

// Expr returns the expression holding u's placeholders.
func (u *Update) Expr() *Expr { return u.e }

// Set sets attr to av.
func (u *Update) Set(attr string, av types.AttributeValue) *Update {
	u.sets = append(u.sets, u.e.Name(attr)+" = "+u.e.Value(av))
	return u
}

// SetOnce sets attr to av unless the item has it already.
func (u *Update) SetOnce(attr string, av types.AttributeValue) *Update {
	p := u.e.Name(attr)
	u.sets = append(u.sets, p+" = if_not_exists("+p+", "+u.e.Value(av)+")")
	return u
}

// Add adds av to attr (a number, or the elements of a set).
func (u *Update) Add(attr string, av types.AttributeValue) *Update {
	u.adds = append(u.adds, u.e.Name(attr)+" "+u.e.Value(av))
	return u
}

// Remove removes attr.
func (u *Update) Remove(attr string) *Update {
	u.rm = append(u.rm, u.e.Name(attr))
	return u
}

// Empty reports whether u has no action.
func (u *Update) Empty() bool { return len(u.sets)+len(u.adds)+len(u.rm) == 0 }

// String returns the UpdateExpression.
func (u *Update) String() string {
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
