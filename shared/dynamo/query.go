package dynamo

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// Page sizes and bounds of list calls.
const (
	defaultListLimit = 50
	maxListLimit     = 1000
	// maxCountedTotal caps totals that no counter answers: at most this many
	// matching index entries are counted.
	maxCountedTotal = 10_000
)

// listLimit turns a requested page size into the one used.
func listLimit(limit int) int {
	if limit <= 0 {
		return defaultListLimit
	}
	return min(limit, maxListLimit)
}

// walk is a Query on the table (index "") or an index, on one partition
// key value, optionally within sort-key bounds.
type walk struct {
	index  string
	pk     string // partition key value
	lo, hi string // inclusive sort-key bounds; "" = open
	prefix string // table only: begins_with on the sort key
	desc   bool
	// filter, when set, writes a FilterExpression with e.
	filter func(e *expr) string
	// project lists the non-key attributes to read; they must be in the
	// index's projection. Table and index keys are always read.
	project []string
	// full reads whole items (table only) instead of keys and project.
	full bool
}

// empty reports whether w's bounds exclude every key (DynamoDB refuses a
// BETWEEN whose bounds are out of order).
func (w walk) empty() bool { return w.lo != "" && w.hi != "" && w.lo > w.hi }

// input builds the QueryInput of w.
func (t *Table) input(w walk) (*dynamodb.QueryInput, error) {
	pkAttr, skAttr := attrPK, attrSK
	keys := []string{attrPK, attrSK}
	if w.index != "" {
		ix, ok := TableSpec.index(w.index)
		if !ok {
			return nil, fmt.Errorf("unknown index %q", w.index)
		}
		for _, a := range w.project {
			if !slices.Contains(ix.Include, a) {
				return nil, fmt.Errorf("index %s does not project %q", w.index, a)
			}
		}
		pkAttr, skAttr = ix.PartitionKey, ix.SortKey
		keys = append(keys, pkAttr, skAttr)
	}
	var e expr
	cond := e.eq(pkAttr, sv(w.pk))
	switch {
	case w.prefix != "":
		cond += " AND begins_with(" + e.n(skAttr) + ", " + e.s(w.prefix) + ")"
	case w.lo != "" && w.hi != "":
		cond += " AND " + e.n(skAttr) + " BETWEEN " + e.s(w.lo) + " AND " + e.s(w.hi)
	case w.lo != "":
		cond += " AND " + e.n(skAttr) + " >= " + e.s(w.lo)
	case w.hi != "":
		cond += " AND " + e.n(skAttr) + " <= " + e.s(w.hi)
	}
	in := &dynamodb.QueryInput{
		TableName:              aws.String(t.name),
		KeyConditionExpression: aws.String(cond),
		ScanIndexForward:       aws.Bool(!w.desc),
	}
	if w.index != "" {
		in.IndexName = aws.String(w.index)
	} else {
		in.ConsistentRead = aws.Bool(true)
	}
	if w.filter != nil {
		in.FilterExpression = aws.String(w.filter(&e))
	}
	if !w.full || w.index != "" {
		proj := ""
		for _, a := range append(keys, w.project...) {
			if proj != "" {
				proj += ", "
			}
			proj += e.n(a)
		}
		in.ProjectionExpression = aws.String(proj)
	}
	in.ExpressionAttributeNames, in.ExpressionAttributeValues = e.Names(), e.Values()
	return in, nil
}

// each calls fn with the items of w in order until fn returns false or the
// items run out. pageSize, when positive, limits the items each request
// evaluates.
func (t *Table) each(ctx context.Context, w walk, pageSize int, fn func(it item) bool) error {
	if w.empty() {
		return nil
	}
	in, err := t.input(w)
	if err != nil {
		return err
	}
	if pageSize > 0 {
		in.Limit = aws.Int32(int32(pageSize))
	}
	for {
		out, err := t.client.Query(ctx, in)
		if err != nil {
			return fmt.Errorf("query %s %q: %w", indexLabel(w.index), w.pk, err)
		}
		for _, it := range out.Items {
			if !fn(it) {
				return nil
			}
		}
		if len(out.LastEvaluatedKey) == 0 {
			return nil
		}
		in.ExclusiveStartKey = out.LastEvaluatedKey
	}
}

// count returns how many items match w, counting at most up to limit (it
// stops at the first page that reaches it).
func (t *Table) count(ctx context.Context, w walk, limit int) (int, error) {
	if w.empty() {
		return 0, nil
	}
	in, err := t.input(w)
	if err != nil {
		return 0, err
	}
	in.Select, in.ProjectionExpression = types.SelectCount, nil
	if in.FilterExpression == nil {
		// The projection's names are gone: keep only those the key condition uses.
		in.ExpressionAttributeNames = usedNames(in.ExpressionAttributeNames, aws.ToString(in.KeyConditionExpression))
	} else {
		in.ExpressionAttributeNames = usedNames(in.ExpressionAttributeNames, aws.ToString(in.KeyConditionExpression)+" "+aws.ToString(in.FilterExpression))
	}
	n := 0
	for n < limit {
		out, err := t.client.Query(ctx, in)
		if err != nil {
			return 0, fmt.Errorf("count %s %q: %w", indexLabel(w.index), w.pk, err)
		}
		n += int(out.Count)
		if len(out.LastEvaluatedKey) == 0 {
			break
		}
		in.ExclusiveStartKey = out.LastEvaluatedKey
	}
	return min(n, limit), nil
}

// page walks w, skips offset matches and returns the keys of the next limit
// ones with their index entries. DynamoDB has no OFFSET: the skipped
// entries are read from the index (keys and a few projected attributes
// only, so skipping is cheap, but it grows with the offset).
func (t *Table) page(ctx context.Context, w walk, offset, limit int) ([]item, error) {
	var list []item
	seen := 0
	err := t.each(ctx, w, min(offset+limit+1, maxListLimit), func(it item) bool {
		if seen++; seen > offset {
			list = append(list, it)
		}
		return len(list) < limit
	})
	return list, err
}

// fetch reads the items of index entries from the table (strongly
// consistent), in the entries' order; an entry whose item is gone is dropped.
func (t *Table) fetch(ctx context.Context, entries []item) ([]item, error) {
	if len(entries) == 0 {
		return nil, nil
	}
	keys := make([]itemKey, len(entries))
	for i, en := range entries {
		keys[i] = keyOf(en)
	}
	found, err := t.batchGet(ctx, keys)
	if err != nil {
		return nil, err
	}
	list := make([]item, 0, len(keys))
	for _, k := range keys {
		if it, ok := found[k]; ok {
			list = append(list, it)
		}
	}
	return list, nil
}

// usedNames keeps the names of m that occur in the expressions s.
func usedNames(m map[string]string, s string) map[string]string {
	out := map[string]string{}
	for p, a := range m {
		if strings.Contains(s, p) {
			out[p] = a
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

func indexLabel(index string) string {
	if index == "" {
		return "table"
	}
	return "index " + index
}
