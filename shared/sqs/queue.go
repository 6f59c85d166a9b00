// Package sqs is the aws adapter of wagate.CommandQueue: an SQS FIFO queue
// whose message group is the session and whose deduplication id is the
// command id, so SQS itself keeps one command of a session in flight at a
// time, in order, and stores a command id once (within its 5-minute window).
//
// What SQS does not do the way the port promises, the Queue does in
// process:
//
//   - One ReceiveMessage may return several messages of one group. The
//     Queue hands out the first and holds the rest (still in flight, so the
//     group stays locked in SQS) until the first is acked, then hands out
//     the next after renewing its visibility.
//   - A nacked command stays with the Queue (hidden in SQS meanwhile) and is
//     handed out again, first of its session, once its delay has passed:
//     the order of a session holds, and the delay is kept to the
//     millisecond. Close hands what it holds back to SQS.
//   - Long polls run in the background and keep what they receive for the
//     next Receive, so a Receive that gives up (its context ended) loses
//     nothing. An Ack or a Nack in this process triggers an immediate short
//     poll, so the next command of a session starts at once even where a
//     long poll is not woken by a delete.
//
// Visibility timeouts and delays are whole seconds (SQS's granularity),
// rounded up. The dead-letter queue (after awsres.QueueMaxReceiveCount
// receives) is set up by the provisioner.
package sqs

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	"github.com/aws/aws-sdk-go-v2/service/sqs/types"

	"github.com/wagate/wagate/events"
	wagate "github.com/wagate/wagate/shared"
	"github.com/wagate/wagate/shared/awsres"
)

// Limits of SQS and of the Queue.
const (
	// MaxMessageBytes is the largest message body SQS takes.
	MaxMessageBytes = 256 << 10
	// maxVisibility is SQS's longest visibility timeout (12 h).
	maxVisibility = 12 * time.Hour
	// releaseTimeout bounds the calls that hand held messages back on Close.
	releaseTimeout = 5 * time.Second
	// nackGrace is how long past its delay a nacked command stays hidden in
	// SQS while this Queue holds it: time for a Receive to take it.
	nackGrace = 30 * time.Second
)

// API is the part of the SQS client the Queue uses.
type API interface {
	SendMessage(ctx context.Context, in *sqs.SendMessageInput, optFns ...func(*sqs.Options)) (*sqs.SendMessageOutput, error)
	ReceiveMessage(ctx context.Context, in *sqs.ReceiveMessageInput, optFns ...func(*sqs.Options)) (*sqs.ReceiveMessageOutput, error)
	DeleteMessage(ctx context.Context, in *sqs.DeleteMessageInput, optFns ...func(*sqs.Options)) (*sqs.DeleteMessageOutput, error)
	DeleteMessageBatch(ctx context.Context, in *sqs.DeleteMessageBatchInput, optFns ...func(*sqs.Options)) (*sqs.DeleteMessageBatchOutput, error)
	ChangeMessageVisibility(ctx context.Context, in *sqs.ChangeMessageVisibilityInput, optFns ...func(*sqs.Options)) (*sqs.ChangeMessageVisibilityOutput, error)
	GetQueueAttributes(ctx context.Context, in *sqs.GetQueueAttributesInput, optFns ...func(*sqs.Options)) (*sqs.GetQueueAttributesOutput, error)
}

var (
	_ wagate.CommandQueue = (*Queue)(nil)
	_ API                 = (*sqs.Client)(nil)
)

// ErrClosed is returned by a Receive on a closed Queue.
var ErrClosed = errors.New("sqs: queue closed")

// Options tune a Queue; the zero value is the production setting.
type Options struct {
	// WaitTime is the long-poll wait of one ReceiveMessage call;
	// 0 = awsres.QueueLongPoll (20 s). An emulator whose long poll wakes
	// only on a new message (kumo) needs a short one, so that messages
	// whose visibility ended are seen soon.
	WaitTime time.Duration
	// Log receives warnings (undecodable messages); nil = slog.Default().
	Log *slog.Logger
}

// Queue is a wagate.CommandQueue on one SQS FIFO queue. Use one Queue per
// process: it keeps the receipts it handed out.
type Queue struct {
	api  API
	url  string
	wait time.Duration
	log  *slog.Logger

	ctx    context.Context // ends on Close: stops background polls
	cancel context.CancelFunc
	polls  sync.WaitGroup

	mu        sync.Mutex
	pending   []*held           // received, not handed out, in receive order
	leases    map[string]*lease // handed out, by receipt
	busy      map[string]*lease // handed out, by group
	longPoll  bool              // a long poll is running
	shortPoll bool              // a short poll is running
	kicked    bool              // something may have become visible: poll at once
	changed   chan struct{}     // closed and replaced when pending or the poll state changes
	pollErr   error             // the last failed poll
	errGen    int               // counts failed polls
	closed    bool
	sent      recent
}

// held is a received (or nacked) message not yet handed out.
type held struct {
	d          wagate.Delivery
	group      string
	receivedAt time.Time     // when its SQS visibility was last set
	visibility time.Duration // to how long
	due        time.Time     // not handed out before (a nack's delay)
}

// lease is a handed-out delivery.
type lease struct {
	d     wagate.Delivery
	group string
	until time.Time
}

// New returns the Queue of the SQS queue at url.
func New(api API, url string, opts Options) *Queue {
	ctx, cancel := context.WithCancel(context.Background())
	q := &Queue{
		api: api, url: url, wait: opts.WaitTime, log: opts.Log,
		ctx: ctx, cancel: cancel,
		leases: map[string]*lease{}, busy: map[string]*lease{}, changed: make(chan struct{}),
	}
	if q.wait <= 0 {
		q.wait = awsres.QueueLongPoll
	}
	q.wait = min(q.wait, awsres.QueueLongPoll)
	if q.log == nil {
		q.log = slog.Default()
	}
	return q
}

// URL returns the queue's URL.
func (q *Queue) URL() string { return q.url }

// Enqueue sends cmd with its session as message group and its id as
// deduplication id. An id this Queue sent within SQS's deduplication
// window is not sent again (SQS would drop it anyway).
func (q *Queue) Enqueue(ctx context.Context, cmd events.Command) error {
	if cmd.ID == "" {
		return wagate.Errorf(wagate.EINVALID, "A command needs an id.")
	}
	if q.sent.has(cmd.ID, time.Now()) {
		return nil
	}
	body, err := json.Marshal(cmd)
	if err != nil {
		return fmt.Errorf("encode command %q: %w", cmd.ID, err)
	}
	if len(body) > MaxMessageBytes {
		return wagate.Errorf(wagate.ETOOLARGE, "Command %s is %d bytes; a queue message holds at most %d.", cmd.ID, len(body), MaxMessageBytes)
	}
	_, err = q.api.SendMessage(ctx, &sqs.SendMessageInput{
		QueueUrl:               aws.String(q.url),
		MessageBody:            aws.String(string(body)),
		MessageGroupId:         aws.String(GroupID(cmd.SessionID)),
		MessageDeduplicationId: aws.String(DedupID(cmd.ID)),
	})
	if err != nil {
		return fmt.Errorf("enqueue command %q: %w", cmd.ID, err)
	}
	q.sent.add(cmd.ID, time.Now())
	return nil
}

// Ack deletes a delivered command. The session's next command, if this
// Queue holds it, is handed out by the next Receive; otherwise a short
// poll looks for it at once.
func (q *Queue) Ack(ctx context.Context, receipt string) error {
	_, err := q.api.DeleteMessage(ctx, &sqs.DeleteMessageInput{QueueUrl: aws.String(q.url), ReceiptHandle: aws.String(receipt)})
	if err != nil {
		if invalidReceipt(err) {
			q.release(receipt, false)
		}
		return fmt.Errorf("ack command: %w", err)
	}
	q.release(receipt, true)
	return nil
}

// AckBatch deletes delivered commands, ten per call; the error joins the
// failures.
func (q *Queue) AckBatch(ctx context.Context, receipts ...string) error {
	var errs []error
	for start := 0; start < len(receipts); start += awsres.QueueMaxBatch {
		chunk := receipts[start:min(start+awsres.QueueMaxBatch, len(receipts))]
		entries := make([]types.DeleteMessageBatchRequestEntry, len(chunk))
		for i, r := range chunk {
			entries[i] = types.DeleteMessageBatchRequestEntry{Id: aws.String(fmt.Sprint(i)), ReceiptHandle: aws.String(r)}
		}
		out, err := q.api.DeleteMessageBatch(ctx, &sqs.DeleteMessageBatchInput{QueueUrl: aws.String(q.url), Entries: entries})
		if err != nil {
			errs = append(errs, fmt.Errorf("ack %d commands: %w", len(chunk), err))
			continue
		}
		failed := map[string]bool{}
		for _, f := range out.Failed {
			failed[aws.ToString(f.Id)] = true
			errs = append(errs, fmt.Errorf("ack command: %s: %s", aws.ToString(f.Code), aws.ToString(f.Message)))
		}
		for i, r := range chunk {
			if !failed[fmt.Sprint(i)] {
				q.release(r, true)
			}
		}
	}
	return errors.Join(errs...)
}

// Nack makes a delivered command visible again after delay. A command this
// Queue handed out stays with it: it is held (its SQS visibility covering
// the delay) and handed out again, first of its session, by a Receive once
// the delay has passed, with Attempt one higher. Close hands such commands
// back to SQS. An unknown receipt is passed to SQS as is.
func (q *Queue) Nack(ctx context.Context, receipt string, delay time.Duration) error {
	delay = max(delay, 0)
	q.mu.Lock()
	l := q.leases[receipt]
	closed := q.closed
	q.mu.Unlock()
	if l == nil || closed { // not ours to hold: SQS makes it visible after delay
		if err := q.setVisibility(ctx, receipt, delay); err != nil {
			return fmt.Errorf("nack command: %w", err)
		}
		return nil
	}
	if err := q.setVisibility(ctx, receipt, delay+nackGrace); err != nil {
		if invalidReceipt(err) {
			q.release(receipt, false)
		}
		return fmt.Errorf("nack command %q: %w", l.d.Command.ID, err)
	}
	now := time.Now()
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.leases[receipt] != l || q.closed {
		return nil // acked, expired or closed meanwhile: SQS has it back after the delay and the grace
	}
	q.dropLeaseLocked(l)
	d := l.d
	d.Attempt++
	h := &held{d: d, group: l.group, receivedAt: now, visibility: delay + nackGrace, due: now.Add(delay)}
	q.pending = append([]*held{h}, q.pending...)
	q.broadcastLocked()
	return nil
}

// Extend keeps a delivered command hidden for visibility from now.
func (q *Queue) Extend(ctx context.Context, receipt string, visibility time.Duration) error {
	if err := q.setVisibility(ctx, receipt, visibility); err != nil {
		return fmt.Errorf("extend command: %w", err)
	}
	q.mu.Lock()
	if l := q.leases[receipt]; l != nil {
		l.until = time.Now().Add(visibility)
	}
	q.mu.Unlock()
	return nil
}

// Depth returns how many commands wait (visible or delayed) and how many
// are in flight, as SQS approximates them.
func (q *Queue) Depth(ctx context.Context) (waiting, inFlight int, err error) {
	out, err := q.api.GetQueueAttributes(ctx, &sqs.GetQueueAttributesInput{
		QueueUrl: aws.String(q.url),
		AttributeNames: []types.QueueAttributeName{types.QueueAttributeNameApproximateNumberOfMessages,
			types.QueueAttributeNameApproximateNumberOfMessagesDelayed, types.QueueAttributeNameApproximateNumberOfMessagesNotVisible},
	})
	if err != nil {
		return 0, 0, fmt.Errorf("queue depth: %w", err)
	}
	n := func(name types.QueueAttributeName) int {
		var v int
		_, _ = fmt.Sscan(out.Attributes[string(name)], &v)
		return v
	}
	return n(types.QueueAttributeNameApproximateNumberOfMessages) + n(types.QueueAttributeNameApproximateNumberOfMessagesDelayed),
		n(types.QueueAttributeNameApproximateNumberOfMessagesNotVisible), nil
}

// Ping checks that the queue answers (for readiness probes).
func (q *Queue) Ping(ctx context.Context) error {
	_, _, err := q.Depth(ctx)
	return err
}

// Close stops the background polls and hands the commands received but
// not handed out back to SQS. Deliveries handed out stay valid: ack them
// before Close or they come back after their visibility timeout.
func (q *Queue) Close() error {
	q.mu.Lock()
	if q.closed {
		q.mu.Unlock()
		return nil
	}
	q.closed = true
	q.broadcastLocked()
	q.mu.Unlock()
	q.cancel()
	q.polls.Wait()
	q.mu.Lock()
	back := q.pending
	q.pending = nil
	q.mu.Unlock()
	ctx, cancel := context.WithTimeout(context.Background(), releaseTimeout)
	defer cancel()
	return q.releaseHeld(ctx, back)
}

// release forgets a handed-out receipt; kick asks waiting Receives to poll
// at once (its group may have a next command in SQS).
func (q *Queue) release(receipt string, kick bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	l := q.leases[receipt]
	if l != nil {
		q.dropLeaseLocked(l)
	}
	if kick && (l == nil || !q.holdsGroupLocked(l.group)) {
		q.kicked = true
	}
	q.broadcastLocked()
}

// dropLeaseLocked forgets a lease.
func (q *Queue) dropLeaseLocked(l *lease) {
	delete(q.leases, l.d.Receipt)
	if q.busy[l.group] == l {
		delete(q.busy, l.group)
	}
}

// releaseHeld makes held messages visible again: at once, or when the
// delay of a nacked one ends.
func (q *Queue) releaseHeld(ctx context.Context, hs []*held) error {
	var errs []error
	now := time.Now()
	for _, h := range hs {
		if err := q.setVisibility(ctx, h.d.Receipt, h.due.Sub(now)); err != nil && !invalidReceipt(err) {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// setVisibility changes a message's visibility timeout to d from now.
func (q *Queue) setVisibility(ctx context.Context, receipt string, d time.Duration) error {
	_, err := q.api.ChangeMessageVisibility(ctx, &sqs.ChangeMessageVisibilityInput{
		QueueUrl: aws.String(q.url), ReceiptHandle: aws.String(receipt), VisibilityTimeout: seconds(d),
	})
	return err
}

// seconds returns d in whole seconds, rounded up, within SQS's range.
func seconds(d time.Duration) int32 {
	d = min(max(d, 0), maxVisibility)
	return int32((d + time.Second - 1) / time.Second)
}

// invalidReceipt reports whether err says the receipt is unknown or no
// longer in flight.
func invalidReceipt(err error) bool {
	var (
		invalid *types.ReceiptHandleIsInvalid
		gone    *types.MessageNotInflight
	)
	return errors.As(err, &invalid) || errors.As(err, &gone) || apiCode(err) == "ReceiptHandleIsInvalid" || apiCode(err) == "MessageNotInflight"
}
