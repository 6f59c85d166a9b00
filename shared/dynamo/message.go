package dynamo

import (
	"context"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	wagate "github.com/wagate/wagate/shared"
)

var _ wagate.MessageStore = (*MessageStore)(nil)

// counterMessages names the id counter of messages (one for the table, so
// message ids are unique across sessions, as in the local store).
const counterMessages = "message"

// MessageStore is wagate.MessageStore on the table.
//
// InsertMessage writes, in one transaction: the message (its key is the
// (session, WhatsApp id) uniqueness), the alias from its numeric id, the
// idempotency-key alias (conditional: the key's uniqueness), the chat
// (counts, name, last message) and the session's counters. Totals come from
// those counters and the chat's count when one answers the filter; other
// totals are bounded counts (see ListMessages).
type MessageStore struct {
	t *Table
}

// NewMessageStore returns the message store of t.
func NewMessageStore(t *Table) *MessageStore { return &MessageStore{t: t} }

// Positions of the actions of an insert transaction.
const (
	actMessage = iota
	actAlias
	actChat
	actCounters
	actIdem // present only with an idempotency key
)

// InsertMessage stores a copy of m unless the session already has a message
// with its WhatsApp id or (when set) its idempotency key, and returns the
// stored message and whether it was created now. The store allocates ID and
// CreatedAt; a zero Timestamp becomes CreatedAt and an empty Type "unknown".
func (st *MessageStore) InsertMessage(ctx context.Context, m *wagate.Message) (*wagate.Message, bool, error) {
	if m.SessionID == "" || m.WhatsAppID == "" || m.ChatID == "" {
		return nil, false, wagate.Errorf(wagate.EINVALID, "sessionId, WhatsApp message id and chatId are required")
	}
	row := m.Clone()
	row.CreatedAt = time.Now().UTC()
	if row.Timestamp.IsZero() {
		row.Timestamp = row.CreatedAt
	}
	if row.Type == "" {
		row.Type = wagate.TypeUnknown
	}
	stored, created, err := st.insert(ctx, row)
	if err != nil {
		return nil, false, fmt.Errorf("insert message %q of session %q: %w", m.WhatsAppID, m.SessionID, err)
	}
	return stored, created, nil
}

func (st *MessageStore) insert(ctx context.Context, row *wagate.Message) (*wagate.Message, bool, error) {
	// A redelivered message (common with WhatsApp) costs one read, no id and
	// no failed transaction; a concurrent twin is caught by the condition.
	if old, err := st.get(ctx, row.SessionID, row.WhatsAppID); old != nil || err != nil {
		return old, false, err
	}
	var err error
	if row.ID, err = st.t.nextID(ctx, counterMessages); err != nil {
		return nil, false, err
	}
	msg, err := encodeMessage(row)
	if err != nil {
		return nil, false, err
	}
	pk := sessionPK(row.SessionID)
	aliases := item{attrPK: sv(pk), attrSK: sv(messageAliasSK(row.ID)), aWaID: sv(row.WhatsAppID)}
	withLast := true
	for attempt := 0; ; attempt++ {
		actions := []types.TransactWriteItem{
			actMessage:  st.t.putNewAction(msg),
			actAlias:    st.t.putNewAction(aliases),
			actChat:     st.chatAction(row, withLast),
			actCounters: st.counterAction(row),
		}
		if row.IdempotencyKey != "" {
			actions = append(actions, st.t.putNewAction(item{attrPK: sv(pk), attrSK: sv(idemSK(row.IdempotencyKey)), aWaID: sv(row.WhatsAppID)}))
		}
		err := st.t.transact(ctx, actions)
		switch {
		case err == nil:
			return row, true, nil
		case failedAt(err, actMessage):
			if old, err := st.get(ctx, row.SessionID, row.WhatsAppID); old != nil || err != nil {
				return old, false, err
			}
		case failedAt(err, actIdem):
			if old, err := st.byIdempotencyKey(ctx, row.SessionID, row.IdempotencyKey); old != nil || err != nil {
				return old, false, err
			}
		case failedAt(err, actChat) && withLast:
			withLast = false // the chat has a later message: count this one, keep the last
			continue
		default:
			return nil, false, err
		}
		// The message that was in the way is gone again (deleted meanwhile): retry.
		if attempt >= maxRetries {
			return nil, false, fmt.Errorf("insert kept conflicting with a concurrent delete")
		}
	}
}

// chatAction counts m in its chat, creating the chat on its first message.
// The name is taken once, from the push name of an inbound message of a
// person. With withLast, m also becomes the chat's last message, on the
// condition that it is later (by timestamp, then id) than the current one.
func (st *MessageStore) chatAction(m *wagate.Message, withLast bool) types.TransactWriteItem {
	var e expr
	u := newUpdate(&e).
		setOnce(aSessionID, sv(m.SessionID)).setOnce(aChat, sv(m.ChatID)).setOnce(attrGSI1PK, sv(gkChats(m.SessionID))).
		add(aChatTotal, 1)
	if isUnread(m) {
		u.add(aChatUnread, 1)
	}
	if !m.FromMe && !m.IsGroup && m.SenderName != "" {
		u.setOnce(aChatName, sv(m.SenderName))
	}
	if m.IsGroup {
		u.set(aChatGroup, bv(true))
	}
	cond := ""
	if withLast {
		sk := msgSortKey(m)
		u.set(aChatLastSK, sv(sk)).set(aChatLastWa, sv(m.WhatsAppID)).set(attrGSI1SK, sv(timeStr(m.Timestamp, m.ChatID)))
		cond = "attribute_not_exists(" + e.n(aChatLastSK) + ") OR " + e.n(aChatLastSK) + " < " + e.s(sk)
	}
	return st.t.updateAction(itemKey{sessionPK(m.SessionID), chatSK(m.ChatID)}, u, cond)
}

// counterAction adds m to the session's counters.
func (st *MessageStore) counterAction(m *wagate.Message) types.TransactWriteItem {
	var e expr
	u := newUpdate(&e).
		setOnce(aSessionID, sv(m.SessionID)).setOnce(attrGSI1PK, sv(gkMsgCounters)).setOnce(attrGSI1SK, sv(m.SessionID)).
		add(cAll, 1).add(cType(string(m.Type)), 1).add(dirCounter(m.FromMe), 1)
	if isUnread(m) {
		u.add(cUnread, 1)
	}
	return st.t.updateAction(itemKey{sessionPK(m.SessionID), skMsgCount}, u, "")
}

func dirCounter(fromMe bool) string {
	if fromMe {
		return cSent
	}
	return cRecv
}

// FindMessage returns the session's message whose WhatsApp id, or else
// numeric id, is key. A numeric key reads the message and the id alias in
// one BatchGetItem.
func (st *MessageStore) FindMessage(ctx context.Context, sessionID, key string) (*wagate.Message, error) {
	m, err := st.find(ctx, sessionID, key)
	if err != nil {
		return nil, fmt.Errorf("find message %q of session %q: %w", key, sessionID, err)
	}
	if m == nil {
		return nil, wagate.Errorf(wagate.ENOTFOUND, "Message %s not found", key)
	}
	return m, nil
}

func (st *MessageStore) find(ctx context.Context, sessionID, key string) (*wagate.Message, error) {
	if key == "" || sessionID == "" {
		return nil, nil
	}
	id, numeric := parseID(key)
	if !numeric {
		return st.get(ctx, sessionID, key)
	}
	pk := sessionPK(sessionID)
	msg, alias := itemKey{pk, messageSK(key)}, itemKey{pk, messageAliasSK(id)}
	found, err := st.t.batchGet(ctx, []itemKey{msg, alias})
	if err != nil {
		return nil, err
	}
	if it, ok := found[msg]; ok {
		return decodeMessage(it)
	}
	if a, ok := found[alias]; ok {
		return st.get(ctx, sessionID, getS(a, aWaID))
	}
	return nil, nil
}

// get reads the session's message with this WhatsApp id; nil if none.
func (st *MessageStore) get(ctx context.Context, sessionID, waID string) (*wagate.Message, error) {
	it, err := st.t.get(ctx, itemKey{sessionPK(sessionID), messageSK(waID)})
	if it == nil || err != nil {
		return nil, err
	}
	return decodeMessage(it)
}

// FindByIdempotencyKey returns the session's message sent with key.
func (st *MessageStore) FindByIdempotencyKey(ctx context.Context, sessionID, key string) (*wagate.Message, error) {
	var m *wagate.Message
	var err error
	if key != "" {
		m, err = st.byIdempotencyKey(ctx, sessionID, key)
	}
	if err != nil {
		return nil, fmt.Errorf("find message with idempotency key %q of session %q: %w", key, sessionID, err)
	}
	if m == nil {
		return nil, wagate.Errorf(wagate.ENOTFOUND, "No message with idempotency key %s", key)
	}
	return m, nil
}

func (st *MessageStore) byIdempotencyKey(ctx context.Context, sessionID, key string) (*wagate.Message, error) {
	a, err := st.t.get(ctx, itemKey{sessionPK(sessionID), idemSK(key)})
	if a == nil || err != nil {
		return nil, err
	}
	m, err := st.get(ctx, sessionID, getS(a, aWaID))
	if m == nil || err != nil || m.IdempotencyKey != key {
		return nil, err
	}
	return m, nil
}
