package wagate

import (
	"context"
	"time"

	"github.com/wagate/wagate/events"
)

// EventBus publishes events (session state, messages, receipts).
// Publish returns only once the events are durable.
type EventBus interface {
	Publish(ctx context.Context, evs ...events.Event) error
}

// Outbox is the durable side of the local event bus: published events wait in
// it until a consumer (the webhook deliverer) claims and acks them.
type Outbox interface {
	EventBus

	// Claim waits until at least one event is pending or ctx ends, then
	// returns up to max events in publish order, hidden from other claims
	// for lease. Events not acked before the lease ends are claimed again.
	Claim(ctx context.Context, max int, lease time.Duration) ([]events.Event, error)

	// Ack removes handled events.
	Ack(ctx context.Context, ids ...string) error
}
