package wagate

import (
	"context"
	"time"

	"github.com/wagate/wagate/events"
)

// Delivery is a command handed to a consumer. The consumer must Ack it when
// done, or Nack it to have it delivered again later.
type Delivery struct {
	Command events.Command
	Receipt string // opaque handle for Ack/Nack/Extend
	Attempt int    // 1 on the first delivery
}

// CommandQueue carries commands from the API to the connector.
//
// Commands are durable once Enqueue returns. Commands of one session are
// delivered in the order they were enqueued and never two at once: the next
// command of a session becomes visible only when the previous one is acked
// (like an SQS FIFO message group). A delivery that is neither acked nor
// extended before its visibility timeout ends is delivered again.
type CommandQueue interface {
	// Enqueue stores cmd. Enqueueing a command id twice stores it once.
	Enqueue(ctx context.Context, cmd events.Command) error

	// Receive waits until at least one command is available or ctx ends,
	// then returns up to max commands, each hidden for visibility.
	Receive(ctx context.Context, max int, visibility time.Duration) ([]Delivery, error)

	// Ack removes a delivered command for good.
	Ack(ctx context.Context, receipt string) error

	// Nack makes a delivered command visible again after delay.
	Nack(ctx context.Context, receipt string, delay time.Duration) error

	// Extend keeps a delivered command hidden for another visibility period.
	Extend(ctx context.Context, receipt string, visibility time.Duration) error
}
