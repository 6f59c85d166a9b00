package dynamo

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync/atomic"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	wagate "github.com/wagate/wagate/shared"
	"github.com/wagate/wagate/shared/ddb"
)

var _ wagate.CommandResultStore = (*CommandResultStore)(nil)

// CommandResultStore is wagate.CommandResultStore on the table. A result is
// an item under its command id, written with one conditional UpdateItem (a
// pending write never replaces a finished record), in gsi2 under
// gkCommandExpiry by expiry. It carries the TTL attribute (ExpiresAt), so
// DynamoDB deletes it some time after it expires; that deletion is lazy,
// so reads check the expiry themselves and DeleteExpiredCommandResults
// removes expired records on its own, through the expiry index.
type CommandResultStore struct {
	t *Table
}

// NewCommandResultStore returns the command result store of t.
func NewCommandResultStore(t *Table) *CommandResultStore { return &CommandResultStore{t: t} }

// commandItem is a command result: pk commandPK(id), sk skCommand.
type commandItem struct {
	ID          string `dynamodbav:"id"`
	SessionID   string `dynamodbav:"sid"`
	Type        string `dynamodbav:"ty"`
	Status      string `dynamodbav:"st"`
	Result      string `dynamodbav:"result"`
	ErrCode     string `dynamodbav:"errCode"`
	ErrMessage  string `dynamodbav:"errMessage"`
	CreatedAt   string `dynamodbav:"createdAt"`
	CompletedAt string `dynamodbav:"completedAt"`
	Expires     string `dynamodbav:"exp"`
}

// PutCommandResult stores r, never replacing a finished record by a pending
// one. A zero CreatedAt becomes now and a zero ExpiresAt CreatedAt +
// CommandResultTTL; a record's CreatedAt is the one first stored.
func (st *CommandResultStore) PutCommandResult(ctx context.Context, r *wagate.CommandResult) error {
	switch {
	case r.ID == "":
		return wagate.Errorf(wagate.EINVALID, "command result: id is required")
	case r.Status != wagate.CommandPending && !r.Status.Finished():
		return wagate.Errorf(wagate.EINVALID, "command result %s: unknown status %q", r.ID, r.Status)
	}
	created := r.CreatedAt.UTC()
	if r.CreatedAt.IsZero() {
		created = time.Now().UTC()
	}
	expires := r.ExpiresAt.UTC()
	if r.ExpiresAt.IsZero() {
		expires = created.Add(wagate.CommandResultTTL)
	}
	var e expr
	u := newUpdate(&e).
		set(aID, sv(r.ID)).setS(aSessionID, r.SessionID).setS(aType, r.Type).set(aStatus, sv(string(r.Status))).
		setS(aResult, string(r.Result)).setS(aErrCode, r.ErrCode).setS(aErrMessage, r.ErrMessage).
		setOnce(aCreatedAt, sv(fmtTime(created))).setS(aCompletedAt, fmtTime(r.CompletedAt)).
		set(aExpires, sv(fmtTime(expires))).set(aTTL, nv(expires.Unix())).
		set(attrGSI2PK, sv(gkCommandExpiry)).set(attrGSI2SK, sv(timeStr(expires, keyPart(r.ID))))
	in := &dynamodb.UpdateItemInput{Key: itemKey{commandPK(r.ID), skCommand}.av()}
	if r.Status == wagate.CommandPending {
		in.ConditionExpression = aws.String("attribute_not_exists(" + e.n(attrPK) + ") OR " +
			e.eq(aStatus, sv(string(wagate.CommandPending))))
	}
	in.UpdateExpression = aws.String(u.String())
	in.ExpressionAttributeNames, in.ExpressionAttributeValues = e.Names(), e.Values()
	_, err := st.t.updateItem(ctx, in)
	if err != nil && !isCondFailed(err) { // refused: a finished record stays
		return fmt.Errorf("put command result %q: %w", r.ID, err)
	}
	return nil
}

// GetCommandResult returns the unexpired record of a command.
func (st *CommandResultStore) GetCommandResult(ctx context.Context, id string) (*wagate.CommandResult, error) {
	var r *wagate.CommandResult
	it, err := st.t.get(ctx, itemKey{commandPK(id), skCommand})
	if it != nil && err == nil {
		r, err = decodeCommandResult(it)
	}
	if err != nil {
		return nil, fmt.Errorf("get command result %q: %w", id, err)
	}
	if r == nil || r.ID != id || !r.ExpiresAt.After(time.Now()) {
		return nil, wagate.Errorf(wagate.ENOTFOUND, "Command %s not found (results are kept for %s).", id, wagate.CommandResultTTL)
	}
	return r, nil
}

// DeleteExpiredCommandResults removes the records that expired before now,
// found on the expiry index (gsi2), and returns how many it removed. Each
// delete is conditional on the expiry read, so a record rewritten meanwhile
// with a later expiry stays.
func (st *CommandResultStore) DeleteExpiredCommandResults(ctx context.Context, now time.Time) (int, error) {
	var keys []itemKey
	err := st.t.each(ctx, walk{index: gsi2, pk: gkCommandExpiry, hi: timeLo(now)}, 0, func(it item) bool {
		keys = append(keys, keyOf(it))
		return true
	})
	if err != nil {
		return 0, fmt.Errorf("delete expired command results: %w", err)
	}
	var n atomic.Int64
	err = ddb.ForEach(ctx, len(keys), func(ctx context.Context, i int) error {
		var e expr
		_, err := st.t.deleteItem(ctx, &dynamodb.DeleteItemInput{
			Key:                       keys[i].av(),
			ConditionExpression:       aws.String(e.n(aExpires) + " < " + e.s(fmtTime(now))),
			ExpressionAttributeNames:  e.Names(),
			ExpressionAttributeValues: e.Values(),
		})
		switch {
		case err == nil:
			n.Add(1)
		case isCondFailed(err): // gone already, or rewritten with a later expiry
		default:
			return err
		}
		return nil
	})
	if err != nil {
		return int(n.Load()), fmt.Errorf("delete expired command results: %w", err)
	}
	return int(n.Load()), nil
}

func decodeCommandResult(raw item) (*wagate.CommandResult, error) {
	var it commandItem
	if err := attributevalue.UnmarshalMap(raw, &it); err != nil {
		return nil, fmt.Errorf("decode command result: %w", err)
	}
	r := &wagate.CommandResult{
		ID: it.ID, SessionID: it.SessionID, Type: it.Type, Status: wagate.CommandStatus(it.Status),
		ErrCode: it.ErrCode, ErrMessage: it.ErrMessage,
	}
	if it.Result != "" {
		r.Result = json.RawMessage(it.Result)
	}
	var errs [3]error
	r.CreatedAt, errs[0] = parseTime(it.CreatedAt)
	r.CompletedAt, errs[1] = parseTime(it.CompletedAt)
	r.ExpiresAt, errs[2] = parseTime(it.Expires)
	if err := errors.Join(errs[:]...); err != nil {
		return nil, fmt.Errorf("decode command result %q: %w", it.ID, err)
	}
	return r, nil
}
