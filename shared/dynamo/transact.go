package dynamo

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/wagate/wagate/shared/ddb"
)

// failedAt reports whether err is a *ddb.CondFailedError whose action i
// failed.
func failedAt(err error, i int) bool { return ddb.FailedAt(err, i) }

// isCondFailed reports whether err is a failed condition, of a single write
// or of a transaction.
func isCondFailed(err error) bool { return ddb.IsCondFailed(err) }

// transact writes actions in one transaction. Cancellations caused by
// concurrent transactions or throttling are retried; cancellations caused
// by conditions return a *ddb.CondFailedError.
func (t *Table) transact(ctx context.Context, actions []types.TransactWriteItem) error {
	return t.db().Transact(ctx, actions)
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
		ExpressionAttributeNames: u.Expr().Names(), ExpressionAttributeValues: u.Expr().Values(),
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
