package dynstore

import (
	"maps"
	"slices"

	"github.com/wagate/wagate/shared/ddb"
)

// notExists is the condition "no item has this key".
func notExists(e *ddb.Expr) string { return "attribute_not_exists(" + e.Name(attrPK) + ")" }

// exists is the condition "an item has this key".
func exists(e *ddb.Expr) string { return "attribute_exists(" + e.Name(attrPK) + ")" }

// revCond is the condition that an item is as a transaction read it: absent
// (it == nil), or present with the same revision.
func revCond(e *ddb.Expr, it item) string {
	if it == nil {
		return notExists(e)
	}
	if rv, ok := it[attrRev]; ok {
		return e.Eq(attrRev, rv)
	}
	return exists(e) + " AND attribute_not_exists(" + e.Name(attrRev) + ")"
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
func (ed edit) expression(e *ddb.Expr, rev string) (update, cond string) {
	u := ddb.NewUpdate(e).Set(attrRev, sv(rev))
	for _, a := range slices.Sorted(maps.Keys(ed.set)) {
		u.Set(a, ed.set[a])
	}
	for _, a := range slices.Sorted(maps.Keys(ed.setIfNone)) {
		u.SetOnce(a, ed.setIfNone[a])
	}
	for _, a := range ed.remove {
		u.Remove(a)
	}
	if ed.mustExist {
		cond = exists(e)
	}
	return u.String(), cond
}
