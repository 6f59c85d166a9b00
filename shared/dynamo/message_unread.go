package dynamo

import (
	"context"
	"fmt"
	"slices"

	wagate "github.com/wagate/wagate/shared"
)

// ListUnread returns a page of the unread messages of every session, newest
// first, from the sparse unread index (gsi5), and how many there are: the
// sum of the sessions' unread counters (one small read per session).
func (st *MessageStore) ListUnread(ctx context.Context, offset, limit int) ([]*wagate.Message, int, error) {
	offset = max(offset, 0)
	list, err := st.fetchMessages(ctx, walk{index: gsi5, pk: gkUnread, desc: true}, offset, listLimit(limit))
	if err != nil {
		return nil, 0, fmt.Errorf("list unread messages: %w", err)
	}
	// The index lags the table a little: drop a message marked read meanwhile.
	list = slices.DeleteFunc(list, func(m *wagate.Message) bool { return !isUnread(m) })
	total, err := st.unreadTotal(ctx)
	if err != nil {
		return nil, 0, fmt.Errorf("list unread messages: %w", err)
	}
	if len(list) > 0 {
		total = max(total, offset+len(list))
	}
	return list, total, nil
}

// unreadTotal sums the unread counters of every session.
func (st *MessageStore) unreadTotal(ctx context.Context) (int, error) {
	var keys []itemKey
	err := st.t.each(ctx, walk{index: gsi1, pk: gkMsgCounters}, 0, func(it item) bool {
		keys = append(keys, keyOf(it))
		return true
	})
	if err != nil {
		return 0, err
	}
	found, err := st.t.batchGet(ctx, keys, cUnread)
	if err != nil {
		return 0, err
	}
	total := 0
	for _, it := range found {
		total += int(getN(it, cUnread))
	}
	return total, nil
}

// DeleteSessionMessages removes the session's messages with their aliases,
// its chats and its counters: a strongly consistent query of the session's
// partition per kind of item, then batched deletes. A message inserted
// while the call runs may survive it.
func (st *MessageStore) DeleteSessionMessages(ctx context.Context, sessionID string) error {
	var keys []itemKey
	for _, prefix := range []string{"MSG", preIdem, preChat} { // MSG covers MSG#, MSGID# and MSGCOUNT
		err := st.t.each(ctx, walk{pk: sessionPK(sessionID), prefix: prefix}, 0, func(it item) bool {
			keys = append(keys, keyOf(it))
			return true
		})
		if err != nil {
			return fmt.Errorf("delete messages of session %q: %w", sessionID, err)
		}
	}
	if err := st.t.batchDelete(ctx, keys); err != nil {
		return fmt.Errorf("delete messages of session %q: %w", sessionID, err)
	}
	return nil
}
