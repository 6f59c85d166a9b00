package dynstore

import (
	"context"
	"errors"
	"fmt"

	"github.com/wagate/wagate/shared/ddb"
)

// The item operations every store uses. Inside a transaction (a context
// from atomic or DoDecryptionTxn) they read through and write into its
// write set; outside one they go straight to the table.

// errExists reports an insert of an item that is already there.
var errExists = errors.New("item already exists")

// get reads the item k; nil when absent.
func (t *table) get(ctx context.Context, k itemKey) (item, error) {
	if x := txnFrom(ctx, t); x != nil {
		return x.get(ctx, k)
	}
	return t.getItem(ctx, k)
}

// getMany reads the items keys; absent ones are missing from the result.
func (t *table) getMany(ctx context.Context, keys []itemKey) (map[itemKey]item, error) {
	x := txnFrom(ctx, t)
	if x == nil {
		return t.batchGet(ctx, keys)
	}
	if err := x.prefetch(ctx, keys); err != nil {
		return nil, err
	}
	out := make(map[itemKey]item, len(keys))
	for _, k := range keys {
		it, err := x.get(ctx, k)
		if err != nil {
			return nil, err
		}
		if it != nil {
			out[k] = it
		}
	}
	return out, nil
}

// items reads the items within q in sort-key order.
func (t *table) items(ctx context.Context, q rangeQ) ([]item, error) {
	if x := txnFrom(ctx, t); x != nil {
		return x.query(ctx, q)
	}
	return t.query(ctx, q)
}

// put writes it whole.
func (t *table) put(ctx context.Context, it item) error {
	if x := txnFrom(ctx, t); x != nil {
		x.put(it)
		return nil
	}
	return t.putItem(ctx, it, "", nil)
}

// del deletes the item k (absent is fine).
func (t *table) del(ctx context.Context, k itemKey) error {
	if x := txnFrom(ctx, t); x != nil {
		x.del(k)
		return nil
	}
	return t.deleteItem(ctx, k)
}

// edit applies a partial update to the item k; false when ed.mustExist and
// the item is missing.
func (t *table) edit(ctx context.Context, k itemKey, ed edit) (bool, error) {
	x := txnFrom(ctx, t)
	if x == nil {
		return t.editItem(ctx, k, ed)
	}
	cur, err := x.get(ctx, k)
	if err != nil {
		return false, err
	}
	next := ed.apply(k, cur)
	if next == nil {
		return false, nil
	}
	x.put(next)
	return true, nil
}

// putNew writes it unless an item has its key (SQL "ON CONFLICT DO
// NOTHING"); it reports whether it wrote.
func (t *table) putNew(ctx context.Context, it item) (bool, error) {
	x := txnFrom(ctx, t)
	if x == nil {
		var e ddb.Expr
		err := t.putItem(ctx, it, notExists(&e), &e)
		if ddb.IsCondFailed(err) {
			return false, nil
		}
		return err == nil, err
	}
	cur, err := x.get(ctx, keyOf(it))
	if err != nil || cur != nil {
		return false, err
	}
	x.put(it)
	return true, nil
}

// insert writes it, failing with errExists when an item has its key (SQL
// INSERT into a primary key).
func (t *table) insert(ctx context.Context, it item) error {
	ok, err := t.putNew(ctx, it)
	if err != nil {
		return err
	}
	if !ok {
		return fmt.Errorf("insert %s: %w", keyOf(it), errExists)
	}
	return nil
}

// putMany writes items whole; when a key repeats, the last item wins.
// Outside a transaction the writes are batched, not atomic.
func (t *table) putMany(ctx context.Context, items []item) error {
	if x := txnFrom(ctx, t); x != nil {
		for _, it := range items {
			x.put(it)
		}
		return nil
	}
	return t.batchWrite(ctx, lastByKey(items), nil)
}

// delMany deletes the items keys. Outside a transaction the deletes are
// batched, not atomic.
func (t *table) delMany(ctx context.Context, keys []itemKey) error {
	if x := txnFrom(ctx, t); x != nil {
		for _, k := range keys {
			x.del(k)
		}
		return nil
	}
	seen := make(map[itemKey]bool, len(keys))
	uniq := keys[:0:0]
	for _, k := range keys {
		if !seen[k] {
			seen[k] = true
			uniq = append(uniq, k)
		}
	}
	return t.batchWrite(ctx, nil, uniq)
}

// editMany applies eds[i] to keys[i], in order inside a transaction and
// concurrently outside one (a key must then appear once).
func (t *table) editMany(ctx context.Context, keys []itemKey, eds []edit) error {
	if x := txnFrom(ctx, t); x != nil {
		for i, k := range keys {
			if _, err := t.edit(ctx, k, eds[i]); err != nil {
				return err
			}
		}
		return nil
	}
	return ddb.ForEach(ctx, len(keys), func(ctx context.Context, i int) error {
		_, err := t.editItem(ctx, keys[i], eds[i])
		return err
	})
}

// putNewMany writes each item unless an item has its key; when a key
// repeats, the first item wins.
func (t *table) putNewMany(ctx context.Context, items []item) error {
	if x := txnFrom(ctx, t); x != nil {
		for _, it := range items {
			if _, err := t.putNew(ctx, it); err != nil {
				return err
			}
		}
		return nil
	}
	seen := make(map[itemKey]bool, len(items))
	var uniq []item
	for _, it := range items {
		if k := keyOf(it); !seen[k] {
			seen[k] = true
			uniq = append(uniq, it)
		}
	}
	return ddb.ForEach(ctx, len(uniq), func(ctx context.Context, i int) error {
		_, err := t.putNew(ctx, uniq[i])
		return err
	})
}

// lastByKey drops every item whose key appears again later.
func lastByKey(items []item) []item {
	last := make(map[itemKey]int, len(items))
	for i, it := range items {
		last[keyOf(it)] = i
	}
	out := make([]item, 0, len(last))
	for i, it := range items {
		if last[keyOf(it)] == i {
			out = append(out, it)
		}
	}
	return out
}
