// Package eventbridge is the aws adapter of wagate.EventBus: events are put
// on an EventBridge custom bus, whose rule hands them to the webhook
// function. Each entry has Source "wagate" (awsres.EventSource), the event
// type as DetailType and the events.Event JSON as Detail, so a consumer
// decodes Detail back into the very event that was published.
package eventbridge

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/eventbridge"
	"github.com/aws/aws-sdk-go-v2/service/eventbridge/types"

	"github.com/wagate/wagate/events"
	wagate "github.com/wagate/wagate/shared"
	"github.com/wagate/wagate/shared/awsres"
)

// Limits of PutEvents and the retry of failed entries.
const (
	// MaxRequestBytes is the most a PutEvents request may carry, counted
	// as EventBridge counts entry sizes.
	MaxRequestBytes = 256 << 10
	// DefaultAttempts is how often an entry is put before Publish fails.
	DefaultAttempts = 5
	// DefaultBackoff is the first pause before failed entries are put
	// again; it doubles each time, with jitter.
	DefaultBackoff = 100 * time.Millisecond
	// maxBackoff caps one pause.
	maxBackoff = 2 * time.Second
	// timeBytes is what EventBridge counts for an entry's Time.
	timeBytes = 14
)

// API is the part of the EventBridge client the Bus uses.
type API interface {
	PutEvents(ctx context.Context, in *eventbridge.PutEventsInput, optFns ...func(*eventbridge.Options)) (*eventbridge.PutEventsOutput, error)
	DescribeEventBus(ctx context.Context, in *eventbridge.DescribeEventBusInput, optFns ...func(*eventbridge.Options)) (*eventbridge.DescribeEventBusOutput, error)
}

var (
	_ wagate.EventBus = (*Bus)(nil)
	_ API             = (*eventbridge.Client)(nil)
)

// Options tune a Bus; the zero value is the production setting.
type Options struct {
	Attempts int           // 0 = DefaultAttempts
	Backoff  time.Duration // 0 = DefaultBackoff
	Source   string        // "" = awsres.EventSource
}

// Bus publishes events to one EventBridge bus.
type Bus struct {
	api      API
	name     string
	source   string
	attempts int
	backoff  time.Duration
}

// New returns the Bus of the event bus name (or ARN).
func New(api API, name string, opts Options) *Bus {
	b := &Bus{api: api, name: name, source: opts.Source, attempts: opts.Attempts, backoff: opts.Backoff}
	if b.source == "" {
		b.source = awsres.EventSource
	}
	if b.attempts <= 0 {
		b.attempts = DefaultAttempts
	}
	if b.backoff <= 0 {
		b.backoff = DefaultBackoff
	}
	return b
}

// Publish puts evs on the bus in batches of at most ten entries and
// MaxRequestBytes, putting the entries EventBridge failed again with
// backoff. It returns once every event is accepted (EventBridge stores it
// durably) or with an error naming the events that were not.
func (b *Bus) Publish(ctx context.Context, evs ...events.Event) error {
	entries := make([]types.PutEventsRequestEntry, 0, len(evs))
	for _, ev := range evs {
		e, err := b.entry(ev)
		if err != nil {
			return err
		}
		entries = append(entries, e)
	}
	for len(entries) > 0 {
		n := batchLen(entries)
		if err := b.put(ctx, entries[:n]); err != nil {
			return err
		}
		entries = entries[n:]
	}
	return nil
}

// entry returns the PutEvents entry of ev.
func (b *Bus) entry(ev events.Event) (types.PutEventsRequestEntry, error) {
	detail, err := json.Marshal(ev)
	if err != nil {
		return types.PutEventsRequestEntry{}, fmt.Errorf("encode event %q: %w", ev.ID, err)
	}
	e := types.PutEventsRequestEntry{
		EventBusName: aws.String(b.name),
		Source:       aws.String(b.source),
		DetailType:   aws.String(ev.Type),
		Detail:       aws.String(string(detail)),
	}
	if !ev.Time.IsZero() {
		e.Time = aws.Time(ev.Time)
	}
	if size := entrySize(e); size > MaxRequestBytes {
		return e, wagate.Errorf(wagate.ETOOLARGE, "Event %s is %d bytes; the bus takes at most %d.", ev.ID, size, MaxRequestBytes)
	}
	return e, nil
}

// put puts one batch, again and again for the entries that failed, up to
// the attempt budget.
func (b *Bus) put(ctx context.Context, batch []types.PutEventsRequestEntry) error {
	pause := b.backoff
	for attempt := 1; ; attempt++ {
		out, err := b.api.PutEvents(ctx, &eventbridge.PutEventsInput{Entries: batch})
		if err != nil {
			return fmt.Errorf("put %d events on bus %s: %w", len(batch), b.name, err)
		}
		failed, errs := failures(batch, out)
		if len(failed) == 0 {
			return nil
		}
		if attempt >= b.attempts {
			return fmt.Errorf("put events on bus %s: %d of %d failed after %d attempts: %w", b.name, len(failed), len(batch), attempt, errors.Join(errs...))
		}
		if err := sleep(ctx, jitter(pause)); err != nil {
			return fmt.Errorf("put events on bus %s: %d failed: %w", b.name, len(failed), err)
		}
		pause = min(2*pause, maxBackoff)
		batch = failed
	}
}

// failures returns the entries of batch that out reports as failed, with
// their errors.
func failures(batch []types.PutEventsRequestEntry, out *eventbridge.PutEventsOutput) ([]types.PutEventsRequestEntry, []error) {
	if out == nil || out.FailedEntryCount == 0 {
		return nil, nil
	}
	var (
		failed []types.PutEventsRequestEntry
		errs   []error
	)
	for i, r := range out.Entries {
		if i < len(batch) && r.ErrorCode != nil {
			failed = append(failed, batch[i])
			errs = append(errs, fmt.Errorf("event %s: %s: %s", eventID(batch[i]), aws.ToString(r.ErrorCode), aws.ToString(r.ErrorMessage)))
		}
	}
	if len(failed) == 0 { // a count without per-entry codes: put all again
		return batch, []error{fmt.Errorf("%d entries failed", out.FailedEntryCount)}
	}
	return failed, errs
}

// Ping checks that the bus exists and answers (for readiness probes).
func (b *Bus) Ping(ctx context.Context) error {
	if _, err := b.api.DescribeEventBus(ctx, &eventbridge.DescribeEventBusInput{Name: aws.String(b.name)}); err != nil {
		return fmt.Errorf("describe event bus %s: %w", b.name, err)
	}
	return nil
}

// batchLen returns how many leading entries fit one PutEvents call.
func batchLen(entries []types.PutEventsRequestEntry) int {
	size := 0
	for i, e := range entries {
		size += entrySize(e)
		if i == awsres.PutEventsBatch || (i > 0 && size > MaxRequestBytes) {
			return i
		}
	}
	return len(entries)
}

// entrySize is the size EventBridge counts for an entry.
func entrySize(e types.PutEventsRequestEntry) int {
	n := len(aws.ToString(e.Source)) + len(aws.ToString(e.DetailType)) + len(aws.ToString(e.Detail))
	for _, r := range e.Resources {
		n += len(r)
	}
	if e.Time != nil {
		n += timeBytes
	}
	return n
}

// eventID returns the wagate event id inside an entry, for error messages.
func eventID(e types.PutEventsRequestEntry) string {
	var ev struct {
		ID string `json:"id"`
	}
	_ = json.Unmarshal([]byte(aws.ToString(e.Detail)), &ev)
	return ev.ID
}

// jitter returns a pause in [d/2, d).
func jitter(d time.Duration) time.Duration {
	return d/2 + time.Duration(rand.Int64N(int64(d/2)+1))
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
