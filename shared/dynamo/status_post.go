package dynamo

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	wagate "github.com/wagate/wagate/shared"
	"github.com/wagate/wagate/shared/ddb"
)

var _ wagate.StatusStore = (*StatusStore)(nil)

// counterStatuses names the id counter of statuses.
const counterStatuses = "status"

// StatusStore is wagate.StatusStore on the table. A status is an item under
// its session (sk statusSK(WhatsApp id): the key makes it unique) with an
// alias from its numeric id; both carry the TTL attribute (ExpiresAt), so
// DynamoDB deletes them some time after they expire. That deletion is lazy
// (hours to days), so lists filter expired statuses themselves and
// DeleteExpiredStatuses removes them on its own, through the expiry index.
type StatusStore struct {
	t *Table
}

// NewStatusStore returns the status store of t.
func NewStatusStore(t *Table) *StatusStore { return &StatusStore{t: t} }

// statusItem is a status post: in gsi1 (the session's, by timestamp#id) and
// gsi2 (every status, by expiry).
type statusItem struct {
	PK         string    `dynamodbav:"pk"`
	SK         string    `dynamodbav:"sk"`
	GSI1PK     string    `dynamodbav:"gsi1pk"`
	GSI1SK     string    `dynamodbav:"gsi1sk"`
	GSI2PK     string    `dynamodbav:"gsi2pk"`
	GSI2SK     string    `dynamodbav:"gsi2sk"`
	ID         int64     `dynamodbav:"id"`
	SessionID  string    `dynamodbav:"sid"`
	WhatsAppID string    `dynamodbav:"waId"`
	SenderJID  string    `dynamodbav:"sender,omitempty"`
	SenderLID  string    `dynamodbav:"senderLid,omitempty"`
	SenderName string    `dynamodbav:"senderName,omitempty"`
	FromMe     bool      `dynamodbav:"fm,omitempty"`
	Type       string    `dynamodbav:"ty"`
	Body       string    `dynamodbav:"body,omitempty"`
	Media      *mediaDoc `dynamodbav:"media,omitempty"`
	Timestamp  string    `dynamodbav:"ts"`
	Expires    string    `dynamodbav:"exp"`
	Viewed     bool      `dynamodbav:"viewed,omitempty"`
	TTL        int64     `dynamodbav:"ttl"`
}

// InsertStatus stores a copy of p unless the session has a status with its
// WhatsApp id, and returns the stored one with whether it was created now.
// A zero Timestamp becomes now; a zero ExpiresAt, Timestamp + StatusTTL.
func (st *StatusStore) InsertStatus(ctx context.Context, p *wagate.StatusPost) (*wagate.StatusPost, bool, error) {
	if p.SessionID == "" || p.WhatsAppID == "" {
		return nil, false, wagate.Errorf(wagate.EINVALID, "sessionId and WhatsApp id are required")
	}
	row := *p
	if p.Media != nil {
		media := *p.Media
		row.Media = &media
	}
	if row.Timestamp.IsZero() {
		row.Timestamp = time.Now()
	}
	if row.ExpiresAt.IsZero() {
		row.ExpiresAt = row.Timestamp.Add(wagate.StatusTTL)
	}
	row.Timestamp, row.ExpiresAt = row.Timestamp.UTC(), row.ExpiresAt.UTC()
	stored, created, err := st.insert(ctx, &row)
	if err != nil {
		return nil, false, fmt.Errorf("insert status %q of session %q: %w", p.WhatsAppID, p.SessionID, err)
	}
	return stored, created, nil
}

func (st *StatusStore) insert(ctx context.Context, row *wagate.StatusPost) (*wagate.StatusPost, bool, error) {
	if old, err := st.get(ctx, row.SessionID, row.WhatsAppID); old != nil || err != nil {
		return old, false, err // the common redelivery costs no id
	}
	var err error
	if row.ID, err = st.t.nextID(ctx, counterStatuses); err != nil {
		return nil, false, err
	}
	it := statusItem{
		PK: sessionPK(row.SessionID), SK: statusSK(row.WhatsAppID),
		GSI1PK: gkStatuses(row.SessionID), GSI1SK: timeID(row.Timestamp, row.ID),
		GSI2PK: gkStatusExpiry, GSI2SK: timeID(row.ExpiresAt, row.ID),
		ID: row.ID, SessionID: row.SessionID, WhatsAppID: row.WhatsAppID,
		SenderJID: row.SenderJID, SenderLID: row.SenderLID, SenderName: row.SenderName, FromMe: row.FromMe,
		Type: string(row.Type), Body: row.Body, Timestamp: fmtTime(row.Timestamp), Expires: fmtTime(row.ExpiresAt),
		Viewed: row.Viewed, TTL: row.ExpiresAt.Unix(),
	}
	if row.Media != nil {
		d := mediaDoc(*row.Media)
		it.Media = &d
	}
	rec, err := attributevalue.MarshalMap(it)
	if err != nil {
		return nil, false, fmt.Errorf("encode status: %w", err)
	}
	alias := item{attrPK: sv(it.PK), attrSK: sv(statusAliasSK(row.ID)), aWaID: sv(row.WhatsAppID), aTTL: nv(it.TTL)}
	err = st.t.transact(ctx, []types.TransactWriteItem{st.t.putNewAction(rec), st.t.putNewAction(alias)})
	if failedAt(err, 0) {
		old, err := st.get(ctx, row.SessionID, row.WhatsAppID)
		if old == nil && err == nil {
			err = errors.New("the status in the way is gone")
		}
		return old, false, err
	}
	if err != nil {
		return nil, false, err
	}
	return row, true, nil
}

// ListStatuses returns a page of the session's statuses, newest first, and
// how many there are (a count on the session's index, bounded by
// maxCountedTotal: statuses live a day); activeOnly keeps those expiring
// after now.
func (st *StatusStore) ListStatuses(ctx context.Context, sessionID string, activeOnly bool, now time.Time, offset, limit int) ([]*wagate.StatusPost, int, error) {
	w := walk{index: gsi1, pk: gkStatuses(sessionID), desc: true}
	if activeOnly {
		w.project = []string{aExpires}
		w.filter = func(e *expr) string { return e.n(aExpires) + " > " + e.s(fmtTime(now)) }
	}
	offset = max(offset, 0)
	entries, err := st.t.page(ctx, w, offset, listLimit(limit))
	if err != nil {
		return nil, 0, fmt.Errorf("list statuses of session %q: %w", sessionID, err)
	}
	total, err := st.t.count(ctx, w, maxCountedTotal)
	if err != nil {
		return nil, 0, fmt.Errorf("count statuses of session %q: %w", sessionID, err)
	}
	items, err := st.t.fetch(ctx, entries)
	if err != nil {
		return nil, 0, fmt.Errorf("list statuses of session %q: %w", sessionID, err)
	}
	list := make([]*wagate.StatusPost, 0, len(items))
	for _, it := range items {
		p, err := decodeStatus(it)
		if err != nil {
			return nil, 0, fmt.Errorf("list statuses of session %q: %w", sessionID, err)
		}
		list = append(list, p)
	}
	if len(list) > 0 {
		total = max(total, offset+len(list))
	}
	return list, total, nil
}

// FindStatus returns the session's status whose WhatsApp id, or else numeric
// id, is key.
func (st *StatusStore) FindStatus(ctx context.Context, sessionID, key string) (*wagate.StatusPost, error) {
	p, err := st.find(ctx, sessionID, key)
	if err != nil {
		return nil, fmt.Errorf("find status %q of session %q: %w", key, sessionID, err)
	}
	if p == nil {
		return nil, wagate.Errorf(wagate.ENOTFOUND, "Status %s not found", key)
	}
	return p, nil
}

func (st *StatusStore) find(ctx context.Context, sessionID, key string) (*wagate.StatusPost, error) {
	if key == "" || sessionID == "" {
		return nil, nil
	}
	id, numeric := parseID(key)
	if !numeric {
		return st.get(ctx, sessionID, key)
	}
	rec, alias := itemKey{sessionPK(sessionID), statusSK(key)}, itemKey{sessionPK(sessionID), statusAliasSK(id)}
	found, err := st.t.batchGet(ctx, []itemKey{rec, alias})
	if err != nil {
		return nil, err
	}
	if it, ok := found[rec]; ok {
		return decodeStatus(it)
	}
	if a, ok := found[alias]; ok {
		return st.get(ctx, sessionID, getS(a, aWaID))
	}
	return nil, nil
}

func (st *StatusStore) get(ctx context.Context, sessionID, waID string) (*wagate.StatusPost, error) {
	it, err := st.t.get(ctx, itemKey{sessionPK(sessionID), statusSK(waID)})
	if it == nil || err != nil {
		return nil, err
	}
	return decodeStatus(it)
}

// MarkStatusViewed records that the session viewed the status. Returns
// ENOTFOUND when the session has no status with this WhatsApp id.
func (st *StatusStore) MarkStatusViewed(ctx context.Context, sessionID, whatsAppID string) error {
	var e expr
	u := newUpdate(&e).set("viewed", bv(true))
	_, err := st.t.updateItem(ctx, &dynamodb.UpdateItemInput{
		Key:              itemKey{sessionPK(sessionID), statusSK(whatsAppID)}.av(),
		UpdateExpression: aws.String(u.String()), ConditionExpression: aws.String("attribute_exists(" + e.n(attrPK) + ")"),
		ExpressionAttributeNames: e.Names(), ExpressionAttributeValues: e.Values(),
	})
	if isCondFailed(err) {
		return wagate.Errorf(wagate.ENOTFOUND, "Status %s not found", whatsAppID)
	}
	if err != nil {
		return fmt.Errorf("mark status %q of session %q viewed: %w", whatsAppID, sessionID, err)
	}
	return nil
}

// DeleteExpiredStatuses removes the statuses that expired before now, found
// on the expiry index (gsi2), and returns how many it removed.
func (st *StatusStore) DeleteExpiredStatuses(ctx context.Context, now time.Time) (int, error) {
	var keys []itemKey
	err := st.t.each(ctx, walk{index: gsi2, pk: gkStatusExpiry, hi: timeLo(now)}, 0, func(it item) bool {
		keys = append(keys, keyOf(it))
		return true
	})
	if err != nil {
		return 0, fmt.Errorf("delete expired statuses: %w", err)
	}
	var n atomic.Int64
	err = ddb.ForEach(ctx, len(keys), func(ctx context.Context, i int) error {
		deleted, err := st.delete(ctx, keys[i])
		if deleted {
			n.Add(1)
		}
		return err
	})
	if err != nil {
		return int(n.Load()), fmt.Errorf("delete expired statuses: %w", err)
	}
	return int(n.Load()), nil
}

// DeleteStatus removes the session's status with this WhatsApp id. Returns
// ENOTFOUND when there is none.
func (st *StatusStore) DeleteStatus(ctx context.Context, sessionID, whatsAppID string) error {
	deleted, err := st.delete(ctx, itemKey{sessionPK(sessionID), statusSK(whatsAppID)})
	if err != nil {
		return fmt.Errorf("delete status %q of session %q: %w", whatsAppID, sessionID, err)
	}
	if !deleted {
		return wagate.Errorf(wagate.ENOTFOUND, "Status %s not found", whatsAppID)
	}
	return nil
}

// delete removes a status and its alias, reporting whether it was there.
func (st *StatusStore) delete(ctx context.Context, k itemKey) (bool, error) {
	out, err := st.t.deleteItem(ctx, &dynamodb.DeleteItemInput{
		Key: k.av(), ReturnValues: types.ReturnValueAllOld,
	})
	if err != nil {
		return false, err
	}
	if len(out.Attributes) == 0 {
		return false, nil
	}
	id := getN(out.Attributes, aID)
	_, err = st.t.deleteItem(ctx, &dynamodb.DeleteItemInput{
		Key: itemKey{k.pk, statusAliasSK(id)}.av(),
	})
	return true, err
}

// decodeStatus reads a status item.
func decodeStatus(raw item) (*wagate.StatusPost, error) {
	var it statusItem
	if err := attributevalue.UnmarshalMap(raw, &it); err != nil {
		return nil, fmt.Errorf("decode status: %w", err)
	}
	p := &wagate.StatusPost{
		ID: it.ID, SessionID: it.SessionID, WhatsAppID: it.WhatsAppID,
		SenderJID: it.SenderJID, SenderLID: it.SenderLID, SenderName: it.SenderName, FromMe: it.FromMe,
		Type: wagate.MessageType(it.Type), Body: it.Body, Viewed: it.Viewed,
	}
	if it.Media != nil {
		d := wagate.Media(*it.Media)
		p.Media = &d
	}
	var err1, err2 error
	p.Timestamp, err1 = parseTime(it.Timestamp)
	p.ExpiresAt, err2 = parseTime(it.Expires)
	if err := errors.Join(err1, err2); err != nil {
		return nil, fmt.Errorf("decode status %q: %w", it.WhatsAppID, err)
	}
	return p, nil
}
