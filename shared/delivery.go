package wagate

import (
	"context"
	"time"
)

// DeliveryStatus is where a webhook delivery is.
type DeliveryStatus string

const (
	DeliveryPending   DeliveryStatus = "pending"   // waiting for its next attempt
	DeliveryDelivered DeliveryStatus = "delivered" // a 2xx answer was received
	DeliveryDead      DeliveryStatus = "dead"      // gave up: dead-lettered, replayable
)

// Webhook targets of a delivery.
const (
	TargetSession = "session" // the session's webhookUrl
	TargetFrappe  = "frappe"  // FRAPPE_WEBHOOK_URL
)

// WebhookDelivery is one event on its way to one target. The URL and secret are
// read from the session (or the Frappe settings) at each attempt, so a
// change of webhook settings applies to pending retries at once.
type WebhookDelivery struct {
	ID        string
	EventID   string // the bus event; X-Webhook-Id
	EventType string
	SessionID string
	Target    string // TargetSession or TargetFrappe
	Event     []byte // the bus event as JSON (events.Event)

	Status        DeliveryStatus
	Attempts      int
	NextAttemptAt time.Time
	LastURL       string
	LastCode      int    // HTTP status of the last attempt; 0 = no answer
	LastError     string // network error or non-2xx summary
	CreatedAt     time.Time
	UpdatedAt     time.Time
	DeliveredAt   time.Time
}

// WebhookAttempt is the log line of one attempt.
type WebhookAttempt struct {
	DeliveryID string
	N          int
	At         time.Time
	URL        string
	StatusCode int // 0 = no answer
	Latency    time.Duration
	Error      string
}

// DeliveryOutcome closes an attempt: the delivery becomes Status and, when
// pending, is due again at NextAttemptAt.
type DeliveryOutcome struct {
	Attempt       WebhookAttempt
	Status        DeliveryStatus
	NextAttemptAt time.Time
}

// DeliveryFilter selects deliveries, newest first.
type DeliveryFilter struct {
	SessionID string
	Status    DeliveryStatus
	EventType string
	Since     time.Time
	Until     time.Time
	Offset    int
	Limit     int
}

// DeliveryStore keeps webhook deliveries and their attempt logs.
type DeliveryStore interface {
	// CreateDeliveries stores new deliveries, due now; a delivery whose
	// (EventID, Target) exists is not stored again.
	CreateDeliveries(ctx context.Context, ds []*WebhookDelivery) error

	// ClaimDue returns up to limit pending deliveries due at now, oldest
	// first, hidden from other claims for lease. skip lists sessions whose
	// deliveries must not be claimed now (their endpoint is saturated).
	ClaimDue(ctx context.Context, now time.Time, limit int, lease time.Duration, skip []string) ([]*WebhookDelivery, error)

	// WaitDue blocks until a delivery may be due (new or replayed), d
	// passes, or ctx ends.
	WaitDue(ctx context.Context, d time.Duration)

	// Record logs an attempt and applies its outcome.
	Record(ctx context.Context, id string, out DeliveryOutcome) error

	// FindDelivery returns a delivery and its attempts. Returns ENOTFOUND.
	FindDelivery(ctx context.Context, id string) (*WebhookDelivery, []WebhookAttempt, error)

	// ListDeliveries returns a page of deliveries and the total.
	ListDeliveries(ctx context.Context, f DeliveryFilter) ([]*WebhookDelivery, int, error)

	// Replay makes a delivery (any status) pending and due now, keeping its
	// attempt log. Returns ENOTFOUND.
	Replay(ctx context.Context, id string, now time.Time) (*WebhookDelivery, error)

	// ReplayDead makes every dead delivery matching f pending and due now;
	// returns how many.
	ReplayDead(ctx context.Context, f DeliveryFilter, now time.Time) (int, error)
}

// DeliveryClaimer is a DeliveryStore that can also lease one delivery by
// id (the dynamo and sqlite stores). The aws webhook function takes each
// delivery of the event it is handed this way before attempting it, so it
// and a ClaimDue (the scheduled sweep, in any process) never attempt the
// same delivery at once.
type DeliveryClaimer interface {
	DeliveryStore
	// ClaimDelivery leases the delivery id until now+lease when it is
	// pending, due at now and held by no lease, and returns it; nil when it
	// is not (delivered, dead, not due yet, held, or unknown).
	ClaimDelivery(ctx context.Context, id string, now time.Time, lease time.Duration) (*WebhookDelivery, error)
}
