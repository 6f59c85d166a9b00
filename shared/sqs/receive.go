package sqs

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	"github.com/aws/aws-sdk-go-v2/service/sqs/types"

	"github.com/wagate/wagate/events"
	wagate "github.com/wagate/wagate/shared"
	"github.com/wagate/wagate/shared/awsres"
)

const (
	// renewTimeout bounds the visibility renewal of a held command before
	// it is handed out.
	renewTimeout = 5 * time.Second
	// maxRenewAfter: a held command is renewed before it is handed out once
	// held this long (or a tenth of its visibility, if shorter).
	maxRenewAfter = time.Second
)

// Receive waits until at least one command is available or ctx ends, then
// returns up to limit commands (SQS: at most 10), each hidden for visibility.
// Attempt is SQS's ApproximateReceiveCount.
func (q *Queue) Receive(ctx context.Context, limit int, visibility time.Duration) ([]wagate.Delivery, error) {
	limit = min(max(limit, 1), awsres.QueueMaxBatch)
	visibility = time.Duration(seconds(visibility)) * time.Second
	q.mu.Lock()
	gen := q.errGen
	q.mu.Unlock()
	for {
		q.mu.Lock()
		if q.closed {
			q.mu.Unlock()
			return nil, ErrClosed
		}
		if q.errGen != gen {
			err := q.pollErr
			q.mu.Unlock()
			return nil, err
		}
		now := time.Now()
		picked := q.pickLocked(limit, visibility, now)
		var due time.Time
		if len(picked) == 0 {
			q.startPollsLocked(limit, visibility)
			due = q.nextDueLocked(now)
		}
		changed := q.changed
		q.mu.Unlock()

		if len(picked) > 0 {
			if ds := q.renew(ctx, picked, visibility); len(ds) > 0 {
				return ds, nil
			}
			continue
		}
		if err := wait(ctx, changed, due); err != nil {
			return nil, err
		}
	}
}

// wait blocks until changed is closed, due passes (if set) or ctx ends.
func wait(ctx context.Context, changed <-chan struct{}, due time.Time) error {
	var timer <-chan time.Time
	if !due.IsZero() {
		t := time.NewTimer(time.Until(due))
		defer t.Stop()
		timer = t.C
	}
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-changed:
	case <-timer:
	}
	return nil
}

// pickLocked takes up to limit held commands that are due and whose
// session has none handed out or held before them, oldest first, and
// leases them for visibility. Held commands too close to the end of their
// SQS visibility are dropped (SQS delivers them anew); leases past their
// end are forgotten.
func (q *Queue) pickLocked(limit int, visibility time.Duration, now time.Time) []*held {
	for _, l := range q.leases {
		if now.After(l.until) {
			q.dropLeaseLocked(l)
		}
	}
	var picked []*held
	blocked := map[string]bool{}
	kept := q.pending[:0]
	for _, h := range q.pending {
		switch {
		case !now.Before(h.receivedAt.Add(h.visibility - margin(h.visibility))):
			// about to be visible again in SQS
		case len(picked) < limit && !blocked[h.group] && q.busy[h.group] == nil && !now.Before(h.due):
			l := &lease{d: h.d, group: h.group, until: now.Add(visibility)}
			q.leases[h.d.Receipt], q.busy[h.group] = l, l
			picked = append(picked, h)
		default:
			blocked[h.group] = true
			kept = append(kept, h)
		}
	}
	clear(q.pending[len(kept):])
	q.pending = kept
	return picked
}

// nextDueLocked returns the earliest future due time of a held command
// (zero: none).
func (q *Queue) nextDueLocked(now time.Time) time.Time {
	var next time.Time
	for _, h := range q.pending {
		if h.due.After(now) && (next.IsZero() || h.due.Before(next)) {
			next = h.due
		}
	}
	return next
}

// margin is how long before the end of its visibility a held command is
// given up: a quarter of it, at most 5 s.
func margin(visibility time.Duration) time.Duration {
	return min(visibility/4, 5*time.Second)
}

// renew gives picked commands that were held a while (or received with
// another visibility) the full visibility, and returns them as deliveries.
// One whose renewal fails is dropped: SQS delivers it again.
func (q *Queue) renew(ctx context.Context, picked []*held, visibility time.Duration) []wagate.Delivery {
	ds := make([]wagate.Delivery, 0, len(picked))
	now := time.Now()
	for _, h := range picked {
		if h.visibility != visibility || now.Sub(h.receivedAt) > min(visibility/10, maxRenewAfter) {
			rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), renewTimeout)
			err := q.setVisibility(rctx, h.d.Receipt, visibility)
			cancel()
			if err != nil {
				q.log.Warn("sqs: renew held command; SQS will redeliver it", "command_id", h.d.Command.ID, "session_id", h.d.Command.SessionID, "err", err)
				q.release(h.d.Receipt, false)
				continue
			}
		}
		ds = append(ds, h.d)
	}
	return ds
}

// startPollsLocked starts a long poll unless one runs, and a short one
// when an ack or nack may have made a command visible. (A short poll sends
// no WaitTimeSeconds — the SDK omits 0 — so it relies on the queue's
// default wait being 0, as the provisioner sets it.)
func (q *Queue) startPollsLocked(limit int, visibility time.Duration) {
	if !q.longPoll {
		q.longPoll = true
		q.polls.Add(1)
		go q.poll(limit, visibility, q.wait)
	}
	if q.kicked && !q.shortPoll {
		q.kicked, q.shortPoll = false, true
		q.polls.Add(1)
		go q.poll(limit, visibility, 0)
	}
}

// poll makes one ReceiveMessage call (waiting up to wait) and keeps what
// it returns for the Receives. It runs on the Queue's context, not a
// caller's: a poll outlives the Receive that started it, so nothing it
// receives is lost.
func (q *Queue) poll(limit int, visibility, wait time.Duration) {
	defer q.polls.Done()
	out, err := q.api.ReceiveMessage(q.ctx, &sqs.ReceiveMessageInput{
		QueueUrl:                    aws.String(q.url),
		MaxNumberOfMessages:         int32(limit),
		VisibilityTimeout:           seconds(visibility),
		WaitTimeSeconds:             seconds(wait),
		MessageSystemAttributeNames: []types.MessageSystemAttributeName{types.MessageSystemAttributeNameAll},
	})
	now := time.Now()
	q.mu.Lock()
	defer q.mu.Unlock()
	if wait > 0 {
		q.longPoll = false
	} else {
		q.shortPoll = false
	}
	if err != nil {
		if q.ctx.Err() == nil {
			q.pollErr, q.errGen = fmt.Errorf("receive commands: %w", err), q.errGen+1
		}
	} else {
		q.addLocked(out.Messages, visibility, now)
	}
	q.broadcastLocked()
}

// addLocked keeps received messages. A group SQS delivers again has no
// message left in flight, so anything still held or leased of it is stale.
func (q *Queue) addLocked(msgs []types.Message, visibility time.Duration, now time.Time) {
	fresh := map[string]bool{}
	for _, m := range msgs {
		var cmd events.Command
		if err := json.Unmarshal([]byte(aws.ToString(m.Body)), &cmd); err != nil || cmd.ID == "" {
			q.log.Error("sqs: undecodable command left for the dead-letter queue", "message_id", aws.ToString(m.MessageId), "err", err)
			continue
		}
		group := GroupID(cmd.SessionID)
		if !fresh[group] {
			fresh[group] = true
			q.dropGroupLocked(group)
		}
		attempt, _ := strconv.Atoi(m.Attributes[string(types.MessageSystemAttributeNameApproximateReceiveCount)])
		q.pending = append(q.pending, &held{
			d:     wagate.Delivery{Command: cmd, Receipt: aws.ToString(m.ReceiptHandle), Attempt: max(attempt, 1)},
			group: group, receivedAt: now, visibility: visibility,
		})
	}
}

// dropGroupLocked forgets the held commands and the lease of group.
func (q *Queue) dropGroupLocked(group string) {
	kept := q.pending[:0]
	for _, h := range q.pending {
		if h.group != group {
			kept = append(kept, h)
		}
	}
	clear(q.pending[len(kept):])
	q.pending = kept
	if l := q.busy[group]; l != nil {
		q.dropLeaseLocked(l)
	}
}

// holdsGroupLocked reports whether a command of group is held.
func (q *Queue) holdsGroupLocked(group string) bool {
	for _, h := range q.pending {
		if h.group == group {
			return true
		}
	}
	return false
}

// broadcastLocked wakes every waiting Receive.
func (q *Queue) broadcastLocked() {
	close(q.changed)
	q.changed = make(chan struct{})
}
