package dynamo

import (
	"context"
	"fmt"
	"time"

	wagate "github.com/wagate/wagate/shared"
)

// ListMessages returns a page of the messages matching f, newest first, and
// the total that match.
//
// The page walks the index of the most selective filter — the chat's
// messages (gsi2) if f has a chat, else the type's (gsi3) if it has a type,
// else the session's (gsi1) — within the date range (sort-key bounds), with
// the remaining equalities as a filter expression on attributes the index
// projects. It skips f.Offset matches on the index, then reads the page's
// messages from the table by key.
//
// The total is read from a counter when f has no date range and at most one
// of ChatID, Type and FromMe (the chat's count, or the session's counters).
// Otherwise it is a bounded count over the same index: at most
// maxCountedTotal (10,000) matches are counted, so such a total is capped
// there — it is never below what the page proves (offset + page length).
func (st *MessageStore) ListMessages(ctx context.Context, f wagate.MessageFilter) ([]*wagate.Message, int, error) {
	w := messageWalk(f)
	offset, limit := max(f.Offset, 0), listLimit(f.Limit)
	type result struct {
		n   int
		err error
	}
	totalc := make(chan result, 1)
	go func() {
		n, err := st.messageTotal(ctx, f, w)
		totalc <- result{n, err}
	}()
	list, err := st.fetchMessages(ctx, w, offset, limit)
	total := <-totalc
	if err == nil {
		err = total.err
	}
	if err != nil {
		return nil, 0, fmt.Errorf("list messages of session %q: %w", f.SessionID, err)
	}
	n := total.n
	if len(list) > 0 {
		n = max(n, offset+len(list))
	}
	return list, n, nil
}

// messageWalk returns the index walk of f.
func messageWalk(f wagate.MessageFilter) walk {
	w := walk{index: gsi1, pk: gkMessages(f.SessionID), lo: timeLo(f.Since), hi: timeHi(f.Until), desc: true}
	typ, fromMe := f.Type, f.FromMe
	switch {
	case f.ChatID != "":
		w.index, w.pk = gsi2, gkChatMessages(f.SessionID, f.ChatID)
	case f.Type != "":
		w.index, w.pk, typ = gsi3, gkTypeMessages(f.SessionID, string(f.Type)), ""
	}
	if typ != "" {
		w.project = append(w.project, aType)
	}
	if fromMe != nil {
		w.project = append(w.project, aFromMe)
	}
	if len(w.project) > 0 {
		w.filter = func(e *expr) string {
			var cond string
			if typ != "" {
				cond = e.eq(aType, sv(string(typ)))
			}
			if fromMe != nil {
				if cond != "" {
					cond += " AND "
				}
				cond += e.eq(aFromMe, bv(*fromMe))
			}
			return cond
		}
	}
	return w
}

// messageTotal returns how many messages match f: from a counter when one
// answers, else counted on w up to maxCountedTotal.
func (st *MessageStore) messageTotal(ctx context.Context, f wagate.MessageFilter, w walk) (int, error) {
	if f.Since.IsZero() && f.Until.IsZero() {
		pk := sessionPK(f.SessionID)
		switch {
		case f.ChatID == "" && f.Type == "" && f.FromMe == nil:
			return st.counter(ctx, itemKey{pk, skMsgCount}, cAll)
		case f.ChatID != "" && f.Type == "" && f.FromMe == nil:
			return st.counter(ctx, itemKey{pk, chatSK(f.ChatID)}, aChatTotal)
		case f.ChatID == "" && f.Type != "" && f.FromMe == nil:
			return st.counter(ctx, itemKey{pk, skMsgCount}, cType(string(f.Type)))
		case f.ChatID == "" && f.Type == "" && f.FromMe != nil:
			return st.counter(ctx, itemKey{pk, skMsgCount}, dirCounter(*f.FromMe))
		}
	}
	return st.t.count(ctx, w, maxCountedTotal)
}

// counter reads one numeric attribute of an item; 0 when absent.
func (st *MessageStore) counter(ctx context.Context, k itemKey, attr string) (int, error) {
	found, err := st.t.batchGet(ctx, []itemKey{k}, attr)
	if err != nil {
		return 0, err
	}
	return int(getN(found[k], attr)), nil
}

// fetchMessages reads the page of w at offset from the table.
func (st *MessageStore) fetchMessages(ctx context.Context, w walk, offset, limit int) ([]*wagate.Message, error) {
	entries, err := st.t.page(ctx, w, offset, limit)
	if err != nil {
		return nil, err
	}
	items, err := st.t.fetch(ctx, entries)
	if err != nil {
		return nil, err
	}
	list := make([]*wagate.Message, 0, len(items))
	for _, it := range items {
		m, err := decodeMessage(it)
		if err != nil {
			return nil, err
		}
		list = append(list, m)
	}
	return list, nil
}

// Stats counts the session's messages with since ≤ timestamp ≤ until (a
// zero bound is open), grouped by type, status, direction and UTC day. It
// walks the session's index within the range, reading only the projected
// type, direction and status of each message: every message in the range
// is read, so it is meant for dashboards, not for every request.
func (st *MessageStore) Stats(ctx context.Context, sessionID string, since, until time.Time) (*wagate.MessageStats, error) {
	s := &wagate.MessageStats{
		ByType:   map[wagate.MessageType]int{},
		ByStatus: map[wagate.MessageStatus]int{},
		ByDay:    map[string]int{},
	}
	w := walk{index: gsi1, pk: gkMessages(sessionID), lo: timeLo(since), hi: timeHi(until), project: []string{aType, aFromMe, aMsgStatus}}
	err := st.t.each(ctx, w, 0, func(it item) bool {
		s.Total++
		if getB(it, aFromMe) {
			s.Sent++
		} else {
			s.Received++
		}
		s.ByType[wagate.MessageType(getS(it, aType))]++
		s.ByStatus[wagate.MessageStatus(getS(it, aMsgStatus))]++
		if sk := getS(it, attrGSI1SK); len(sk) >= len("2006-01-02") {
			s.ByDay[sk[:len("2006-01-02")]]++
		}
		return true
	})
	if err != nil {
		return nil, fmt.Errorf("message stats of session %q: %w", sessionID, err)
	}
	return s, nil
}
