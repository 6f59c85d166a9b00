package dynamo

import (
	"context"
	"fmt"
	"slices"
	"strings"

	wagate "github.com/wagate/wagate/shared"
)

// maxContactSearch bounds the contacts one search evaluates (about: the
// last page read may pass it). Address books are far smaller; in a larger
// one, contacts past the bound (in JID order) are not searched.
const maxContactSearch = 50_000

// ListContacts returns a page of a session's contacts in display-name order
// and how many match (counted up to maxCountedTotal).
//
// Without a search it walks gsi1 (gkContacts, sorted by nameKey), counts
// on it and reads the page's items from the table. A search queries the
// session's partition on the table (contacts only, strongly consistent)
// with a filter on the lower-cased names and JID (q) and, when the search
// is typed as a number, on the phone; it keeps each match's key and sort
// key, sorts them, and reads the page's items. Its cost grows with the
// session's contacts, not with the matches (see maxContactSearch).
func (st *ContactStore) ListContacts(ctx context.Context, f wagate.ContactFilter) ([]*wagate.Contact, int, error) {
	offset, limit := max(f.Offset, 0), listLimit(f.Limit)
	var (
		items []item
		total int
		err   error
	)
	if search := strings.TrimSpace(f.Search); search == "" {
		items, total, err = st.listAll(ctx, f.SessionID, offset, limit)
	} else {
		items, total, err = st.search(ctx, f.SessionID, search, offset, limit)
	}
	if err != nil {
		return nil, 0, fmt.Errorf("list contacts of session %q: %w", f.SessionID, err)
	}
	list := make([]*wagate.Contact, 0, len(items))
	for _, it := range items {
		c, _, err := decodeContact(it)
		if err != nil {
			return nil, 0, fmt.Errorf("list contacts of session %q: %w", f.SessionID, err)
		}
		list = append(list, c)
	}
	if len(list) > 0 {
		total = max(total, offset+len(list))
	}
	return list, total, nil
}

// listAll pages through gsi1.
func (st *ContactStore) listAll(ctx context.Context, sessionID string, offset, limit int) ([]item, int, error) {
	w := walk{index: gsi1, pk: gkContacts(sessionID)}
	entries, err := st.t.page(ctx, w, offset, limit)
	if err != nil {
		return nil, 0, err
	}
	total, err := st.t.count(ctx, w, maxCountedTotal)
	if err != nil {
		return nil, 0, err
	}
	items, err := st.t.fetch(ctx, entries)
	return items, total, err
}

// search returns the page of contacts matching search and how many match.
func (st *ContactStore) search(ctx context.Context, sessionID, search string, offset, limit int) ([]item, int, error) {
	q, digits := strings.ToLower(search), phoneDigits(search)
	if strings.Contains(q, searchSep) {
		return nil, 0, nil // no single field holds it
	}
	in, err := st.t.input(walk{
		pk: sessionPK(sessionID), prefix: preContact, project: []string{attrGSI1SK},
		filter: func(e *expr) string {
			f := "contains(" + e.n(aSearch) + ", " + e.s(q) + ")"
			if digits != "" {
				f += " OR contains(" + e.n(aPhone) + ", " + e.s(digits) + ")"
			}
			return f
		},
	})
	if err != nil {
		return nil, 0, err
	}
	type match struct {
		sort string
		key  itemKey
	}
	var matches []match
	for evaluated := 0; evaluated < maxContactSearch; {
		out, err := st.t.client.Query(ctx, in)
		if err != nil {
			return nil, 0, fmt.Errorf("search contacts: %w", err)
		}
		for _, it := range out.Items {
			matches = append(matches, match{getS(it, attrGSI1SK), keyOf(it)})
		}
		evaluated += int(out.ScannedCount)
		if len(out.LastEvaluatedKey) == 0 {
			break
		}
		in.ExclusiveStartKey = out.LastEvaluatedKey
	}
	slices.SortFunc(matches, func(a, b match) int { return strings.Compare(a.sort, b.sort) })
	total := min(len(matches), maxCountedTotal)
	if offset >= len(matches) {
		return nil, total, nil
	}
	page := matches[offset:min(offset+limit, len(matches))]
	keys := make([]itemKey, len(page))
	for i, m := range page {
		keys[i] = m.key
	}
	found, err := st.t.batchGet(ctx, keys)
	if err != nil {
		return nil, 0, err
	}
	items := make([]item, 0, len(keys))
	for _, k := range keys {
		if it, ok := found[k]; ok {
			items = append(items, it)
		}
	}
	return items, total, nil
}

// phoneDigits returns the digits of s if s is a number as people type it
// (digits, spaces, '+', '-', '.', parentheses), else "".
func phoneDigits(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case strings.ContainsRune(" +-.()", r):
		default:
			return ""
		}
	}
	return b.String()
}

// ContactStats counts a session's contacts in one strongly consistent query
// of its partition (contacts only, a few attributes projected). It reads
// every contact of the session: meant for dashboards.
func (st *ContactStore) ContactStats(ctx context.Context, sessionID string) (*wagate.ContactStats, error) {
	var s wagate.ContactStats
	w := walk{pk: sessionPK(sessionID), prefix: preContact, project: []string{aJID, aWAContact, aName, aPictureID, aPictureURL}}
	err := st.t.each(ctx, w, 0, func(it item) bool {
		s.Total++
		if jid := getS(it, aJID); strings.HasSuffix(jid, "@s.whatsapp.net") || strings.HasSuffix(jid, "@lid") {
			s.Users++
		}
		if getB(it, aWAContact) {
			s.WAContacts++
		}
		if getS(it, aName) != "" {
			s.WithNames++
		}
		if getS(it, aPictureID) != "" || getS(it, aPictureURL) != "" {
			s.WithProfilePics++
		}
		return true
	})
	if err != nil {
		return nil, fmt.Errorf("count contacts of session %q: %w", sessionID, err)
	}
	return &s, nil
}
