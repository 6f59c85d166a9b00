package dynamo

import (
	"context"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	wagate "github.com/wagate/wagate/shared"
)

var _ wagate.LeaseStore = (*LeaseStore)(nil)

// Items of session ownership (docs/scale-out.md, docs/aws-dynamo.md):
//
//   - lease: pk SESSION#<sid>, sk LEASE — owner, tok (fencing token), want;
//     in gsi1 under LEASES#<owner> while owned, LEASES#FREE while released
//     and wanted, absent (sparse) when nobody should host it;
//   - task heartbeat: pk TASKS, sk TASK#<id> — until (epoch ms), hosted;
//   - inbox entry: pk INBOX#<task>, sk <unix ns>#<seq> (lease_inbox.go).
const (
	skLease      = "LEASE"
	pkTasks      = "TASKS"
	preTask      = "TASK#"
	gkLeasesFree = "LEASES#FREE"

	aOwner  = "owner"
	aToken  = "tok"
	aWant   = "want"
	aUntil  = "until"  // task heartbeat: expiry, epoch milliseconds
	aHosted = "hosted" // task heartbeat: sessions owned

	// taskKeep is how long an expired heartbeat stays for DynamoDB's TTL
	// sweep when nobody removes it.
	taskKeep = 24 * time.Hour
)

func gkLeases(owner string) string { return "LEASES#" + owner }
func taskSK(id string) string      { return preTask + id }

// LeaseStore is wagate.LeaseStore on the table.
type LeaseStore struct {
	t   *Table
	seq seqGen
}

// NewLeaseStore returns the lease store of t.
func NewLeaseStore(t *Table) *LeaseStore { return &LeaseStore{t: t} }

// Lease reads a session's lease (strongly consistent); nil when it never
// had one.
func (ls *LeaseStore) Lease(ctx context.Context, sessionID string) (*wagate.Lease, error) {
	it, err := ls.t.get(ctx, itemKey{sessionPK(sessionID), skLease})
	if err != nil || it == nil {
		return nil, err
	}
	return decodeLease(sessionID, it), nil
}

func decodeLease(sessionID string, it item) *wagate.Lease {
	return &wagate.Lease{SessionID: sessionID, Owner: getS(it, aOwner), Token: getN(it, aToken), Wanted: getB(it, aWant)}
}

// Acquire takes the session for owner (see wagate.LeaseStore): one
// transaction that moves the token from prev's to prev's + 1 on the
// condition that the lease is still prev, and checks that prev's owner
// task has expired at now.
func (ls *LeaseStore) Acquire(ctx context.Context, sessionID, owner string, prev *wagate.Lease, now time.Time) (int64, error) {
	if owner == "" {
		return 0, wagate.Errorf(wagate.EINVALID, "a lease needs an owner")
	}
	var e expr
	next, cond := int64(1), ""
	if prev != nil {
		next = prev.Token + 1
		cond = e.eq(aOwner, sv(prev.Owner)) + " AND " + e.eq(aToken, nv(prev.Token))
	} else {
		cond = "attribute_not_exists(" + e.n(attrPK) + ")"
	}
	u := newUpdate(&e).set(aSessionID, sv(sessionID)).set(aOwner, sv(owner)).set(aToken, nv(next)).set(aWant, bv(true)).
		set(attrGSI1PK, sv(gkLeases(owner))).set(attrGSI1SK, sv(sessionID))
	actions := []types.TransactWriteItem{ls.t.updateAction(itemKey{sessionPK(sessionID), skLease}, u, cond)}
	if prev != nil && prev.Owner != "" && prev.Owner != owner {
		actions = append(actions, ls.taskExpiredCheck(prev.Owner, now))
	}
	err := ls.t.transact(ctx, actions)
	if isCondFailed(err) {
		return 0, fmt.Errorf("acquire lease of %q: %w", sessionID, wagate.ErrLeaseLost)
	}
	if err != nil {
		return 0, fmt.Errorf("acquire lease of %q: %w", sessionID, err)
	}
	return next, nil
}

// taskExpiredCheck is a transaction action that holds when task id has no
// heartbeat, or one that expired at now.
func (ls *LeaseStore) taskExpiredCheck(id string, now time.Time) types.TransactWriteItem {
	var e expr
	cond := "attribute_not_exists(" + e.n(attrPK) + ") OR " + e.n(aUntil) + " <= " + e.i(now.UnixMilli())
	return types.TransactWriteItem{ConditionCheck: &types.ConditionCheck{
		TableName: aws.String(ls.t.name), Key: itemKey{pkTasks, taskSK(id)}.av(),
		ConditionExpression: aws.String(cond), ExpressionAttributeNames: e.Names(), ExpressionAttributeValues: e.Values(),
	}}
}

// fenceCheck is a transaction action that holds while the session's lease
// is f.
func (t *Table) fenceCheck(sessionID string, f wagate.Fence) types.TransactWriteItem {
	var e expr
	cond := e.eq(aOwner, sv(f.Owner)) + " AND " + e.eq(aToken, nv(f.Token))
	return types.TransactWriteItem{ConditionCheck: &types.ConditionCheck{
		TableName: aws.String(t.name), Key: itemKey{sessionPK(sessionID), skLease}.av(),
		ConditionExpression: aws.String(cond), ExpressionAttributeNames: e.Names(), ExpressionAttributeValues: e.Values(),
	}}
}

// Release gives the lease up on the condition that it is still f; the
// token stays, so the next acquisition fences every write made under f.
func (ls *LeaseStore) Release(ctx context.Context, sessionID string, f wagate.Fence, wanted bool) error {
	var e expr
	u := newUpdate(&e).set(aOwner, sv("")).set(aWant, bv(wanted))
	if wanted {
		u.set(attrGSI1PK, sv(gkLeasesFree)).set(attrGSI1SK, sv(sessionID))
	} else {
		u.remove(attrGSI1PK).remove(attrGSI1SK)
	}
	cond := e.eq(aOwner, sv(f.Owner)) + " AND " + e.eq(aToken, nv(f.Token))
	_, err := ls.t.updateItem(ctx, &dynamodb.UpdateItemInput{
		Key: itemKey{sessionPK(sessionID), skLease}.av(), UpdateExpression: aws.String(u.String()),
		ConditionExpression: aws.String(cond), ExpressionAttributeNames: e.Names(), ExpressionAttributeValues: e.Values(),
	})
	if isCondFailed(err) {
		return fmt.Errorf("release lease of %q: %w", sessionID, wagate.ErrLeaseLost)
	}
	if err != nil {
		return fmt.Errorf("release lease of %q: %w", sessionID, err)
	}
	return nil
}

// Want creates a released, wanted lease at token 0 for a session that has
// none.
func (ls *LeaseStore) Want(ctx context.Context, sessionID string) error {
	var e expr
	u := newUpdate(&e).set(aSessionID, sv(sessionID)).set(aOwner, sv("")).set(aToken, nv(0)).set(aWant, bv(true)).
		set(attrGSI1PK, sv(gkLeasesFree)).set(attrGSI1SK, sv(sessionID))
	_, err := ls.t.updateItem(ctx, &dynamodb.UpdateItemInput{
		Key: itemKey{sessionPK(sessionID), skLease}.av(), UpdateExpression: aws.String(u.String()),
		ConditionExpression:      aws.String("attribute_not_exists(" + e.n(attrPK) + ")"),
		ExpressionAttributeNames: e.Names(), ExpressionAttributeValues: e.Values(),
	})
	if err != nil && !isCondFailed(err) {
		return fmt.Errorf("want lease of %q: %w", sessionID, err)
	}
	return nil
}

// Owned walks gsi1 LEASES#<owner> (LEASES#FREE for owner "").
func (ls *LeaseStore) Owned(ctx context.Context, owner string) ([]string, error) {
	pk := gkLeasesFree
	if owner != "" {
		pk = gkLeases(owner)
	}
	var ids []string
	err := ls.t.each(ctx, walk{index: gsi1, pk: pk, project: []string{aSessionID}}, 0, func(it item) bool {
		ids = append(ids, getS(it, aSessionID))
		return true
	})
	if err != nil {
		return nil, fmt.Errorf("leases of %q: %w", owner, err)
	}
	return ids, nil
}

// Beat writes task id's heartbeat. Later beats are conditional on the
// stored one not having expired: a task that missed its heartbeat has lost
// its leases and must register anew.
func (ls *LeaseStore) Beat(ctx context.Context, id string, hosted int, ttl time.Duration, now time.Time, first bool) error {
	until := now.Add(ttl)
	var e expr
	u := newUpdate(&e).set(aID, sv(id)).set(aUntil, nv(until.UnixMilli())).set(aHosted, nv(int64(hosted))).
		set(aTTL, nv(until.Add(taskKeep).Unix()))
	var cond string
	if first {
		cond = "attribute_not_exists(" + e.n(attrPK) + ")"
	} else {
		cond = e.n(aUntil) + " > " + e.i(now.UnixMilli())
	}
	_, err := ls.t.updateItem(ctx, &dynamodb.UpdateItemInput{
		Key: itemKey{pkTasks, taskSK(id)}.av(), UpdateExpression: aws.String(u.String()),
		ConditionExpression: aws.String(cond), ExpressionAttributeNames: e.Names(), ExpressionAttributeValues: e.Values(),
	})
	if isCondFailed(err) {
		return fmt.Errorf("heartbeat of task %q: %w", id, wagate.ErrLeaseLost)
	}
	if err != nil {
		return fmt.Errorf("heartbeat of task %q: %w", id, err)
	}
	return nil
}

// Tasks reads the TASKS partition (strongly consistent).
func (ls *LeaseStore) Tasks(ctx context.Context) ([]wagate.Task, error) {
	var tasks []wagate.Task
	err := ls.t.each(ctx, walk{pk: pkTasks, prefix: preTask, full: true}, 0, func(it item) bool {
		tasks = append(tasks, wagate.Task{ID: getS(it, aID), ExpiresAt: time.UnixMilli(getN(it, aUntil)), Hosted: int(getN(it, aHosted))})
		return true
	})
	if err != nil {
		return nil, fmt.Errorf("list tasks: %w", err)
	}
	return tasks, nil
}

// RemoveTask deletes a heartbeat; onlyExpired adds the condition that it
// expired at now.
func (ls *LeaseStore) RemoveTask(ctx context.Context, id string, now time.Time, onlyExpired bool) error {
	in := &dynamodb.DeleteItemInput{Key: itemKey{pkTasks, taskSK(id)}.av()}
	if onlyExpired {
		var e expr
		in.ConditionExpression = aws.String(e.n(aUntil) + " <= " + e.i(now.UnixMilli()))
		in.ExpressionAttributeNames, in.ExpressionAttributeValues = e.Names(), e.Values()
	}
	_, err := ls.t.deleteItem(ctx, in)
	if err != nil && !isCondFailed(err) {
		return fmt.Errorf("remove task %q: %w", id, err)
	}
	return nil
}
