package wagate

import (
	"context"
	"errors"
	"time"

	"github.com/wagate/wagate/events"
)

// Session ownership when several connector tasks run (docs/scale-out.md).
//
// A session is owned by at most one task at a time through its lease: the
// owner's task id and a fencing token that grows by one on every
// acquisition. A lease is live while its owner task's heartbeat is: one
// heartbeat write per task renews all of its leases at once. Every state
// write an owner makes (session record, message status) carries the
// condition "the lease still has my owner and token", so a deposed owner's
// late write is refused with ErrLeaseLost.

// ErrLeaseLost is returned by a fenced write or a lease renewal whose lease
// (or task heartbeat) is no longer the caller's.
var ErrLeaseLost = errors.New("session lease lost")

// Fence is what a fenced write checks: the lease still names Owner with
// Token.
type Fence struct {
	Owner string
	Token int64
}

// Lease is a session's lease as stored.
type Lease struct {
	SessionID string
	Owner     string // task id; "" when released
	Token     int64  // fencing token of the last acquisition
	// Wanted is true when a released session still wants a host (handed
	// over, or its host stopped); false when nobody should host it
	// (disconnected, logged out).
	Wanted bool
}

// Task is a connector task's heartbeat.
type Task struct {
	ID        string
	ExpiresAt time.Time // the task and its leases are live until then
	Hosted    int       // sessions it owns, as of its last heartbeat
}

// Live reports whether the task's heartbeat had not expired at now.
func (t Task) Live(now time.Time) bool { return now.Before(t.ExpiresAt) }

// LeaseStore keeps session leases, task heartbeats and the hand-off inbox
// of each task.
type LeaseStore interface {
	// Beat writes task id's heartbeat (expiring ttl after now) with its
	// hosted count. first registers the task; later beats succeed only
	// while the stored heartbeat has not expired (ErrLeaseLost otherwise).
	Beat(ctx context.Context, id string, hosted int, ttl time.Duration, now time.Time, first bool) error
	// Tasks returns every task heartbeat, live or expired.
	Tasks(ctx context.Context) ([]Task, error)
	// RemoveTask deletes a task's heartbeat: its own at a clean stop, or an
	// expired one that owns nothing any more (only while expired at now).
	RemoveTask(ctx context.Context, id string, now time.Time, onlyExpired bool) error

	// Lease reads a session's lease; nil when it never had one.
	Lease(ctx context.Context, sessionID string) (*Lease, error)
	// Acquire takes the session for owner if its lease is absent, released,
	// or held by prev (read before) whose task heartbeat has expired at
	// now. It returns the new token; ErrLeaseLost if another task got
	// there first or prev is still live.
	Acquire(ctx context.Context, sessionID, owner string, prev *Lease, now time.Time) (int64, error)
	// Release gives the lease up (keeping its token); wanted says whether
	// another task should take the session.
	Release(ctx context.Context, sessionID string, f Fence, wanted bool) error
	// Owned returns the sessions whose lease names owner (index read:
	// eventually consistent). owner "" returns the released, wanted ones.
	Owned(ctx context.Context, owner string) ([]string, error)
	// Want records that a session without a lease wants a host (a released,
	// wanted lease at token 0); an existing lease is left as it is.
	Want(ctx context.Context, sessionID string) error

	// Forward puts a delivery into task to's inbox.
	Forward(ctx context.Context, to string, h Handoff) error
	// Inbox returns and removes the deliveries in task id's inbox, oldest
	// first.
	Inbox(ctx context.Context, id string) ([]Handoff, error)
}

// Handoff is a command delivery forwarded to its session's owner: the
// queue message stays in flight, and the owner settles it by its receipt.
type Handoff struct {
	Command      events.Command
	Receipt      string
	Attempt      int
	VisibleUntil time.Time // when the queue message becomes visible again unless renewed
}

// FencedSessionStore is a SessionStore whose owners can write fenced.
type FencedSessionStore interface {
	// UpdateSessionFenced is UpdateSession on the condition that the
	// session's lease is still f; ErrLeaseLost otherwise.
	UpdateSessionFenced(ctx context.Context, sessionID string, f Fence, upd SessionUpdate) (*Session, error)
}

// FencedMessageStore is a MessageStore whose owners can write fenced.
type FencedMessageStore interface {
	// UpdateMessageFenced is UpdateMessage on the condition that the
	// session's lease is still f; ErrLeaseLost otherwise.
	UpdateMessageFenced(ctx context.Context, sessionID, whatsAppID string, f Fence, upd MessageUpdate) (*Message, bool, error)
}
