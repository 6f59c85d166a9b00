package ddb

import (
	"context"
	"errors"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// CondFailedError reports a transaction cancelled because conditions
// failed: Failed[i] is true for each action whose condition did not hold.
type CondFailedError struct {
	Failed []bool
}

func (e *CondFailedError) Error() string {
	var idx []int
	for i, f := range e.Failed {
		if f {
			idx = append(idx, i)
		}
	}
	return fmt.Sprintf("transaction cancelled: conditions failed at actions %v", idx)
}

// FailedAt reports whether err is a *CondFailedError whose action i failed.
func FailedAt(err error, i int) bool {
	var cf *CondFailedError
	return errors.As(err, &cf) && i < len(cf.Failed) && cf.Failed[i]
}

// IsCondFailed reports whether err is a failed condition, of a single
// write (ConditionalCheckFailedException) or of a transaction
// (*CondFailedError).
func IsCondFailed(err error) bool {
	var ccf *types.ConditionalCheckFailedException
	var cf *CondFailedError
	return errors.As(err, &ccf) || errors.As(err, &cf)
}

// Cancellation sorts the reasons DynamoDB gave for cancelling a
// transaction.
type Cancellation struct {
	Failed    []bool // Failed[i]: the condition of action i did not hold
	AnyFailed bool   // some condition did not hold
	Retry     bool   // a conflict with another transaction, or throttling
	Other     *Reason
}

// Reason is a cancellation reason of another kind: the first of them
// decides the outcome.
type Reason struct {
	Action        int
	Code, Message string
}

// Cancelled returns the cancellation that err (a
// *types.TransactionCanceledException) reports for a transaction of n
// actions; nil when err is of another kind.
func Cancelled(err error, n int) *Cancellation {
	var tc *types.TransactionCanceledException
	if !errors.As(err, &tc) {
		return nil
	}
	c := &Cancellation{Failed: make([]bool, n)}
	for i, r := range tc.CancellationReasons {
		switch code := aws.ToString(r.Code); code {
		case "", "None":
		case "ConditionalCheckFailed":
			if i < n {
				c.Failed[i], c.AnyFailed = true, true
			}
		case "TransactionConflict", "ThrottlingError", "ProvisionedThroughputExceeded", "RequestLimitExceeded":
			c.Retry = true
		default:
			if c.Other == nil {
				c.Other = &Reason{Action: i, Code: code, Message: aws.ToString(r.Message)}
			}
		}
	}
	return c
}

// Transact writes actions in one transaction. Cancellations caused by
// concurrent transactions or throttling are retried; cancellations caused
// by conditions return a *CondFailedError.
func (t Table) Transact(ctx context.Context, actions []types.TransactWriteItem) error {
	if len(actions) > MaxTransactItems {
		return fmt.Errorf("transaction of %d actions: more than %d", len(actions), MaxTransactItems)
	}
	for attempt := 0; ; attempt++ {
		_, err := t.Client.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: actions})
		if err == nil {
			return nil
		}
		c := Cancelled(err, len(actions))
		switch {
		case c == nil:
			return fmt.Errorf("transaction: %w", err)
		case c.Other != nil:
			return fmt.Errorf("transaction: action %d: %s: %s", c.Other.Action, c.Other.Code, c.Other.Message)
		case c.AnyFailed:
			return &CondFailedError{Failed: c.Failed}
		case !c.Retry || attempt >= t.Retry.Attempts:
			return fmt.Errorf("transaction: %w", err)
		}
		if err := t.Retry.Backoff(ctx, attempt+1); err != nil {
			return err
		}
	}
}
