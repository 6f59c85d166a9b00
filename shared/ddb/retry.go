package ddb

import (
	"context"
	"errors"
	"math/rand/v2"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// Retry is a store's retry policy: at most Attempts retries of a
// conflicting transaction or an unprocessed batch, after sleeps that grow
// exponentially from Base up to Max, with full jitter.
type Retry struct {
	Attempts  int
	Base, Max time.Duration
}

// Backoff sleeps before retry number attempt (1, 2, …). It returns early
// with ctx's error.
func (r Retry) Backoff(ctx context.Context, attempt int) error {
	d := min(r.Base<<min(attempt, 10), r.Max)
	d = time.Duration(rand.Int64N(int64(d)) + 1)
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-time.After(d):
		return nil
	}
}

// Conflicts calls fn again while it fails with a
// TransactionConflictException — a single-item write refused because a
// transaction is writing the same item — at most r.Attempts times.
func (r Retry) Conflicts(ctx context.Context, fn func() error) error {
	for attempt := 0; ; attempt++ {
		err := fn()
		var tc *types.TransactionConflictException
		if !errors.As(err, &tc) || attempt >= r.Attempts {
			return err
		}
		if err := r.Backoff(ctx, attempt+1); err != nil {
			return err
		}
	}
}

// Parallelism is how many single-item requests of one call ForEach runs
// at once.
const Parallelism = 8

// ForEach runs fn on each of n indexes with at most Parallelism calls at
// once and returns the first error; the first error cancels the context of
// the other calls.
func ForEach(ctx context.Context, n int, fn func(ctx context.Context, i int) error) error {
	if n == 0 {
		return nil
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	sem := make(chan struct{}, Parallelism)
	errs := make(chan error, n)
	for i := range n {
		sem <- struct{}{}
		go func() {
			defer func() { <-sem }()
			errs <- fn(ctx, i)
		}()
	}
	var first error
	for range n {
		if err := <-errs; err != nil && first == nil {
			first = err
			cancel()
		}
	}
	return first
}
