package dynamo

import (
	"context"
	"fmt"

	wagate "github.com/wagate/wagate/shared"
)

// maxSessions bounds the sessions ListSessions counts. Sessions are few
// (one per linked number), so their totals are exact below it.
const maxSessions = maxCountedTotal

// ListSessions returns the sessions matching f ordered by numeric id, and
// how many match. It walks the index that answers the filter (gsi2 by
// status, gsi3 by autoConnect, else gsi1), counting every match and
// collecting the page's keys in the same pass, then reads the page's
// records from the table. The index is eventually consistent: a session
// created or changed a moment ago may be missing from (or misfiled in) the
// walk; the records themselves are read strongly consistent and checked
// against the filter again.
func (st *SessionStore) ListSessions(ctx context.Context, f wagate.SessionFilter) ([]*wagate.Session, int, error) {
	w := walk{index: gsi1, pk: gkSessions}
	switch {
	case f.Status != "":
		w = walk{index: gsi2, pk: gkSessionsByStatus(string(f.Status))}
		if f.AutoConnect != nil {
			auto := *f.AutoConnect
			w.project = []string{aAutoConnect}
			w.filter = func(e *expr) string { return e.eq(aAutoConnect, bv(auto)) }
		}
	case f.AutoConnect != nil:
		w = walk{index: gsi3, pk: gkSessionsByAuto(*f.AutoConnect)}
	}
	offset := max(f.Offset, 0)
	var entries []item
	total := 0
	err := st.t.each(ctx, w, 0, func(it item) bool {
		if total++; total > offset && (f.Limit <= 0 || len(entries) < f.Limit) {
			entries = append(entries, it)
		}
		return total < maxSessions
	})
	if err != nil {
		return nil, 0, fmt.Errorf("list sessions: %w", err)
	}
	items, err := st.t.fetch(ctx, entries)
	if err != nil {
		return nil, 0, fmt.Errorf("list sessions: %w", err)
	}
	list := make([]*wagate.Session, 0, len(items))
	for _, it := range items {
		s, _, err := decodeSession(it)
		if err != nil {
			return nil, 0, fmt.Errorf("list sessions: %w", err)
		}
		if (f.Status == "" || s.Status == f.Status) && (f.AutoConnect == nil || s.AutoConnect == *f.AutoConnect) {
			list = append(list, s)
		}
	}
	return list, total, nil
}
