package dynamo

import (
	"cmp"
	"context"
	"fmt"
	"slices"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	wagate "github.com/wagate/wagate/shared"
)

// markReadChunk is how many messages one MarkChatRead transaction marks
// (with the chat and the counters it stays under the 100-action limit).
const markReadChunk = 50

// ListChats returns a page of the session's chats, most recent activity
// first, with their last messages, and how many chats the session has (a
// count on the chats' index, bounded by maxCountedTotal).
func (st *MessageStore) ListChats(ctx context.Context, sessionID string, offset, limit int) ([]*wagate.Chat, int, error) {
	chats, total, err := st.listChats(ctx, sessionID, max(offset, 0), listLimit(limit))
	if err != nil {
		return nil, 0, fmt.Errorf("list chats of session %q: %w", sessionID, err)
	}
	return chats, total, nil
}

func (st *MessageStore) listChats(ctx context.Context, sessionID string, offset, limit int) ([]*wagate.Chat, int, error) {
	w := walk{index: gsi1, pk: gkChats(sessionID), desc: true}
	entries, err := st.t.page(ctx, w, offset, limit)
	if err != nil {
		return nil, 0, err
	}
	total, err := st.t.count(ctx, w, maxCountedTotal)
	if err != nil {
		return nil, 0, err
	}
	if len(entries) > 0 {
		total = max(total, offset+len(entries))
	}
	items, err := st.t.fetch(ctx, entries)
	if err != nil {
		return nil, 0, err
	}
	chats := make([]*wagate.Chat, 0, len(items))
	var lastKeys []itemKey
	for _, it := range items {
		c := &wagate.Chat{
			SessionID: getS(it, aSessionID), ChatID: getS(it, aChat), Name: getS(it, aChatName),
			IsGroup: getB(it, aChatGroup), UnreadCount: int(getN(it, aChatUnread)), TotalMessages: int(getN(it, aChatTotal)),
			Archived: getB(it, "archived"), Pinned: getB(it, "pinned"), Muted: getB(it, "muted"),
		}
		chats = append(chats, c)
		lastKeys = append(lastKeys, itemKey{sessionPK(sessionID), messageSK(getS(it, aChatLastWa))})
	}
	last, err := st.t.batchGet(ctx, lastKeys)
	if err != nil {
		return nil, 0, err
	}
	for i, c := range chats {
		if it, ok := last[lastKeys[i]]; ok {
			if c.LastMessage, err = decodeMessage(it); err != nil {
				return nil, 0, err
			}
		}
	}
	return chats, total, nil
}

// MarkChatRead marks the chat's unread messages seen and returns them,
// oldest first. It finds them on the chat's sparse unread index, re-reads
// them from the table, and marks them in transactions of markReadChunk
// messages that also take them off the chat's unread count and the
// session's counter; each message is marked on the condition that it is
// still unread, so concurrent calls never mark (or return) one twice.
func (st *MessageStore) MarkChatRead(ctx context.Context, sessionID, chatID string) ([]*wagate.Message, error) {
	list, err := st.markChatRead(ctx, sessionID, chatID)
	if err != nil {
		return nil, fmt.Errorf("mark chat %q of session %q read: %w", chatID, sessionID, err)
	}
	slices.SortFunc(list, func(a, b *wagate.Message) int {
		return cmp.Or(a.Timestamp.Compare(b.Timestamp), cmp.Compare(a.ID, b.ID))
	})
	return list, nil
}

func (st *MessageStore) markChatRead(ctx context.Context, sessionID, chatID string) ([]*wagate.Message, error) {
	var entries []item
	err := st.t.each(ctx, walk{index: gsi4, pk: gkChatUnread(sessionID, chatID)}, 0, func(it item) bool {
		entries = append(entries, it)
		return true
	})
	if err != nil {
		return nil, err
	}
	items, err := st.t.fetch(ctx, entries)
	if err != nil {
		return nil, err
	}
	var unread []*wagate.Message
	for _, it := range items {
		m, err := decodeMessage(it)
		if err != nil {
			return nil, err
		}
		if isUnread(m) {
			unread = append(unread, m)
		}
	}
	var marked []*wagate.Message
	for chunk := range slices.Chunk(unread, markReadChunk) {
		done, err := st.markRead(ctx, sessionID, chatID, chunk)
		if err != nil {
			return nil, err
		}
		marked = append(marked, done...)
	}
	return marked, nil
}

// markRead marks list (messages of one chat) seen in one transaction,
// dropping those another call marked first, and returns those it marked.
func (st *MessageStore) markRead(ctx context.Context, sessionID, chatID string, list []*wagate.Message) ([]*wagate.Message, error) {
	pk := sessionPK(sessionID)
	for attempt := 0; len(list) > 0; attempt++ {
		actions := make([]types.TransactWriteItem, 0, len(list)+2)
		for _, m := range list {
			var e expr
			u := newUpdate(&e).set(aSeen, bv(true)).remove(attrGSI4PK).remove(attrGSI4SK).remove(attrGSI5PK).remove(attrGSI5SK)
			actions = append(actions, st.t.updateAction(itemKey{pk, messageSK(m.WhatsAppID)}, u, "attribute_exists("+e.n(attrGSI5PK)+")"))
		}
		n := int64(len(list))
		var ec, es expr
		actions = append(actions,
			st.t.updateAction(itemKey{pk, chatSK(chatID)}, newUpdate(&ec).add(aChatUnread, -n), ""),
			st.t.updateAction(itemKey{pk, skMsgCount}, newUpdate(&es).add(cUnread, -n), ""))
		err := st.t.transact(ctx, actions)
		if err == nil {
			for _, m := range list {
				m.Seen = true
			}
			return list, nil
		}
		if !isCondFailed(err) || attempt >= maxRetries {
			return nil, err
		}
		var keep []*wagate.Message
		for i, m := range list {
			if !failedAt(err, i) {
				keep = append(keep, m)
			}
		}
		list = keep
	}
	return nil, nil
}
