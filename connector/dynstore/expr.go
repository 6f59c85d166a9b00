package dynstore

import (
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// expr collects the attribute names and values of one request's
// expressions. Every attribute goes through a placeholder (reserved words
// such as "ttl" never matter), and placeholders have a fixed width (#n000,
// :v000) so that none is a prefix of another, which emulators that
// substitute them textually rely on.
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

// notExists is the condition "no item has this key".
func (e *expr) notExists() string { return "attribute_not_exists(" + e.n(attrPK) + ")" }

// exists is the condition "an item has this key".
func (e *expr) exists() string { return "attribute_exists(" + e.n(attrPK) + ")" }

// revCond is the condition that an item is as a transaction read it: absent
// (it == nil), or present with the same revision.
func (e *expr) revCond(it item) string {
	if it == nil {
		return e.notExists()
	}
	if rv, ok := it[attrRev]; ok {
		return e.n(attrRev) + " = " + e.v(rv)
	}
	return e.exists() + " AND attribute_not_exists(" + e.n(attrRev) + ")"
}

// edit is a partial update of one item: the attributes to set, those to set
// only when absent (if_not_exists), those to remove. With mustExist it
// changes an existing item only (SQL UPDATE); otherwise it creates the item
// when missing (SQL upsert).
type edit struct {
	set       item
	setIfNone item
	remove    []string
	mustExist bool
}

// apply returns the item that e makes of cur (nil = absent) with key k, or
// nil when e changes nothing because the item is missing and must exist.
func (ed edit) apply(k itemKey, cur item) item {
	if cur == nil {
		if ed.mustExist {
			return nil
		}
		cur = newItem(k)
	} else {
		cur = cloneItem(cur)
	}
	for a, v := range ed.set {
		cur[a] = v
	}
	for a, v := range ed.setIfNone {
		if _, ok := cur[a]; !ok {
			cur[a] = v
		}
	}
	for _, a := range ed.remove {
		delete(cur, a)
	}
	return cur
}

// expression returns the UpdateExpression of ed with a new revision rev,
// and its condition ("" for none).
func (ed edit) expression(e *expr, rev string) (update, cond string) {
	sets := []string{e.n(attrRev) + " = " + e.v(sv(rev))}
	for _, a := range sortedAttrs(ed.set) {
		sets = append(sets, e.n(a)+" = "+e.v(ed.set[a]))
	}
	for _, a := range sortedAttrs(ed.setIfNone) {
		sets = append(sets, e.n(a)+" = if_not_exists("+e.n(a)+", "+e.v(ed.setIfNone[a])+")")
	}
	update = "SET " + strings.Join(sets, ", ")
	if len(ed.remove) > 0 {
		rm := make([]string, len(ed.remove))
		for i, a := range ed.remove {
			rm[i] = e.n(a)
		}
		update += " REMOVE " + strings.Join(rm, ", ")
	}
	if ed.mustExist {
		cond = e.exists()
	}
	return update, cond
}
