package sqs

import (
	"context"
	"fmt"
	"time"

	wagate "github.com/wagate/wagate/shared"
)

// Hand-off between connector tasks (docs/scale-out.md): a task that
// receives a command of a session another task owns forwards the delivery
// to the owner and keeps its message in flight; the owner adopts it and
// settles it by its receipt (SQS accepts a receipt from any consumer). The
// session's message group stays locked in SQS meanwhile, so the session's
// commands keep their order, and no extra receive counts towards the
// dead-letter redrive.

// Hide sets a delivered command's visibility to d from now without
// changing what this Queue holds (the forwarding window of a hand-off).
func (q *Queue) Hide(ctx context.Context, receipt string, d time.Duration) error {
	if err := q.setVisibility(ctx, receipt, d); err != nil {
		return fmt.Errorf("hide command: %w", err)
	}
	return nil
}

// Forget drops a delivery this Queue handed out without touching SQS: it
// belongs to another task now. The session's next held command, if any, is
// handed out by the next Receive.
func (q *Queue) Forget(receipt string) { q.release(receipt, false) }

// Adopt takes over a delivery another task received and forwarded: it is
// held like a nacked command (first of its session, visible in SQS again
// at visibleUntil unless handed out before) and handed out by a Receive,
// which renews its visibility first. One whose visibility has (nearly)
// ended is not adopted: SQS delivers it again.
func (q *Queue) Adopt(d wagate.Delivery, visibleUntil time.Time) bool {
	now := time.Now()
	vis := visibleUntil.Sub(now)
	if vis <= margin(vis) || d.Receipt == "" {
		return false
	}
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.closed {
		return false
	}
	q.pending = append(q.pending, &held{d: d, group: GroupID(d.Command.SessionID), receivedAt: now, visibility: vis, due: now})
	q.broadcastLocked()
	return true
}
