package dynamo

import (
	"context"
	"errors"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// maxTransactItems is DynamoDB's limit on the actions of one transaction.
const maxTransactItems = 100

// condFailedError reports a transaction cancelled because conditions
// failed: failed[i] is true for each action whose condition did not hold.
type condFailedError struct {
	failed []bool
}

func (e *condFailedError) Error() string {
	var idx []int
	for i, f := range e.failed {
		if f {
			idx = append(idx, i)
		}
	}
	return fmt.Sprintf("transaction cancelled: conditions failed at actions %v", idx)
}

// failedAt reports whether err is a condFailedError whose action i failed.
func failedAt(err error, i int) bool {
	var cf *condFailedError
	return errors.As(err, &cf) && i < len(cf.failed) && cf.failed[i]
}

// isCondFailed reports whether err is a failed condition, of a single write
// or of a transaction.
func isCondFailed(err error) bool {
	var ccf *types.ConditionalCheckFailedException
	var cf *condFailedError
	return errors.As(err, &ccf) || errors.As(err, &cf)
}

// transact writes actions in one transaction. Cancellations caused by
// concurrent transactions or throttling are retried; cancellations caused
// by conditions return a *condFailedError.
func (t *Table) transact(ctx context.Context, actions []types.TransactWriteItem) error {
	if len(actions) > maxTransactItems {
		return fmt.Errorf("transaction of %d actions: more than %d", len(actions), maxTransactItems)
	}
	for attempt := 0; ; attempt++ {
		_, err := t.client.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: actions})
		if err == nil {
			return nil
		}
		var tc *types.TransactionCanceledException
		if !errors.As(err, &tc) {
			return fmt.Errorf("transaction: %w", err)
		}
		failed := make([]bool, len(actions))
		anyFailed, retry := false, false
		for i, r := range tc.CancellationReasons {
			switch code := aws.ToString(r.Code); code {
			case "", "None":
			case "ConditionalCheckFailed":
				if i < len(failed) {
					failed[i], anyFailed = true, true
				}
			case "TransactionConflict", "ThrottlingError", "ProvisionedThroughputExceeded", "RequestLimitExceeded":
				retry = true
			default:
				return fmt.Errorf("transaction: action %d: %s: %s", i, code, aws.ToString(r.Message))
			}
		}
		if anyFailed {
			return &condFailedError{failed: failed}
		}
		if !retry || attempt >= maxRetries {
			return fmt.Errorf("transaction: %w", err)
		}
		if err := backoff(ctx, attempt+1); err != nil {
			return err
		}
	}
}

// Transaction actions on this table.

func (t *Table) putAction(it item, cond string, e *expr) types.TransactWriteItem {
	p := &types.Put{TableName: aws.String(t.name), Item: it}
	if cond != "" {
		p.ConditionExpression = aws.String(cond)
		p.ExpressionAttributeNames, p.ExpressionAttributeValues = e.Names(), e.Values()
	}
	return types.TransactWriteItem{Put: p}
}

// putNewAction puts it on the condition that no item has its key.
func (t *Table) putNewAction(it item) types.TransactWriteItem {
	var e expr
	return t.putAction(it, "attribute_not_exists("+e.n(attrPK)+")", &e)
}

func (t *Table) updateAction(k itemKey, u *update, cond string) types.TransactWriteItem {
	up := &types.Update{
		TableName: aws.String(t.name), Key: k.av(), UpdateExpression: aws.String(u.String()),
		ExpressionAttributeNames: u.e.Names(), ExpressionAttributeValues: u.e.Values(),
	}
	if cond != "" {
		up.ConditionExpression = aws.String(cond)
	}
	return types.TransactWriteItem{Update: up}
}

func (t *Table) deleteAction(k itemKey, cond string, e *expr) types.TransactWriteItem {
	d := &types.Delete{TableName: aws.String(t.name), Key: k.av()}
	if cond != "" {
		d.ConditionExpression = aws.String(cond)
		d.ExpressionAttributeNames, d.ExpressionAttributeValues = e.Names(), e.Values()
	}
	return types.TransactWriteItem{Delete: d}
}

// retryConflicts calls fn again while it fails with a
// TransactionConflictException — a single-item write refused because a
// transaction is writing the same item — at most maxRetries times.
func retryConflicts(ctx context.Context, fn func() error) error {
	for attempt := 0; ; attempt++ {
		err := fn()
		var tc *types.TransactionConflictException
		if !errors.As(err, &tc) || attempt >= maxRetries {
			return err
		}
		if err := backoff(ctx, attempt+1); err != nil {
			return err
		}
	}
}
