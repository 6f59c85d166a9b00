package manager

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"sync"
	"time"

	wagate "github.com/wagate/wagate/shared"
)

// Defaults of Ownership (docs/scale-out.md).
const (
	DefaultLeaseTTL       = 30 * time.Second
	DefaultLeaseHeartbeat = 10 * time.Second
	DefaultInboxPoll      = 200 * time.Millisecond
)

// Ownership makes the manager one of several connector tasks sharing the
// sessions (docs/scale-out.md): each session is hosted by the task that
// holds its lease, commands reach the owner, and sessions are spread
// evenly over the live tasks. Without it (the local runtime) the manager
// hosts every session.
type Ownership struct {
	Leases  wagate.LeaseStore
	Handoff Handoff
	// TaskID names this task in leases and heartbeats (default random); each
	// registration appends an incarnation number.
	TaskID    string
	TTL       time.Duration // lease (heartbeat) lifetime; default DefaultLeaseTTL
	Heartbeat time.Duration // heartbeat and balance period; default DefaultLeaseHeartbeat
	InboxPoll time.Duration // how often forwarded commands are read; default DefaultInboxPoll
}

// Handoff is the command queue's side of forwarding deliveries between
// tasks (sqs.Queue implements it).
type Handoff interface {
	// Hide sets a delivery's visibility to d from now.
	Hide(ctx context.Context, receipt string, d time.Duration) error
	// Forget drops a delivery handed to another task, leaving it in flight.
	Forget(receipt string)
	// Adopt takes over a delivery another task forwarded; false when its
	// visibility ended (the queue delivers it again).
	Adopt(d wagate.Delivery, visibleUntil time.Time) bool
}

// owner is the manager's ownership state.
type owner struct {
	cfg Ownership

	mu         sync.Mutex
	base       string           // TaskID or a random id
	incarn     int              // registrations so far
	id         string           // base#incarn: the current task id
	validUntil time.Time        // our leases hold until then (local clock, with a margin)
	tokens     map[string]int64 // owned sessions → fencing token
	tasks      map[string]wagate.Task
	wake       chan struct{} // asks the balance loop for a round now
}

func newOwner(cfg Ownership) *owner {
	if cfg.TTL <= 0 {
		cfg.TTL = DefaultLeaseTTL
	}
	if cfg.Heartbeat <= 0 {
		cfg.Heartbeat = DefaultLeaseHeartbeat
	}
	cfg.Heartbeat = min(cfg.Heartbeat, cfg.TTL/2)
	if cfg.InboxPoll <= 0 {
		cfg.InboxPoll = DefaultInboxPoll
	}
	base := cfg.TaskID
	if base == "" {
		b := make([]byte, 6)
		_, _ = rand.Read(b)
		base = "task-" + hex.EncodeToString(b)
	}
	return &owner{cfg: cfg, base: base, tokens: map[string]int64{}, tasks: map[string]wagate.Task{}, wake: make(chan struct{}, 1)}
}

// margin is how long before its heartbeat's expiry a task stops trusting
// its leases: a sixth of the TTL.
func (o *owner) margin() time.Duration { return o.cfg.TTL / 6 }

// self returns the current task id.
func (o *owner) self() string {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.id
}

// fence returns the fence of an owned session whose lease is still valid.
func (o *owner) fence(sessionID string, now time.Time) (wagate.Fence, bool) {
	o.mu.Lock()
	defer o.mu.Unlock()
	tok, ok := o.tokens[sessionID]
	if !ok || !now.Before(o.validUntil) {
		return wagate.Fence{}, false
	}
	return wagate.Fence{Owner: o.id, Token: tok}, true
}

// count returns how many sessions are owned.
func (o *owner) count() int {
	o.mu.Lock()
	defer o.mu.Unlock()
	return len(o.tokens)
}

// owned returns the owned sessions.
func (o *owner) owned() map[string]int64 {
	o.mu.Lock()
	defer o.mu.Unlock()
	out := make(map[string]int64, len(o.tokens))
	for k, v := range o.tokens {
		out[k] = v
	}
	return out
}

// Owned returns how many sessions this task owns (0 without Ownership).
func (m *Manager) Owned() int {
	if m.own == nil {
		return 0
	}
	return m.own.count()
}

// fenced reports whether writes of sessionID must go through the fence,
// and the fence; ok is false for a session this task does not own (its
// writes are dropped: the owner makes them).
func (m *Manager) fenced(sessionID string) (f wagate.Fence, on, ok bool) {
	if m.own == nil {
		return wagate.Fence{}, false, true
	}
	f, ok = m.own.fence(sessionID, m.now())
	return f, true, ok
}

// lose stops a session whose lease is no longer ours, at once and without
// writing its state (the new owner does). Safe from the session's own
// event loop.
func (m *Manager) lose(sessionID string, why error) {
	if m.own == nil {
		return
	}
	m.own.mu.Lock()
	_, had := m.own.tokens[sessionID]
	delete(m.own.tokens, sessionID)
	m.own.mu.Unlock()
	if h := m.get(sessionID); h != nil && m.detach(h) {
		go h.client.Disconnect() // may be called from the session's own event loop
	}
	m.pacers.forget(sessionID)
	if had {
		m.log().Warn("session lease lost; client stopped", "session_id", sessionID, "err", why)
	}
}

// release gives up an owned session's lease; wanted lets another task take
// it. The client must be stopped already.
func (m *Manager) release(ctx context.Context, sessionID string, wanted bool) {
	if m.own == nil {
		return
	}
	m.own.mu.Lock()
	tok, ok := m.own.tokens[sessionID]
	delete(m.own.tokens, sessionID)
	id := m.own.id
	m.own.mu.Unlock()
	if !ok {
		return
	}
	err := m.own.cfg.Leases.Release(ctx, sessionID, wagate.Fence{Owner: id, Token: tok}, wanted)
	if err != nil && !errors.Is(err, wagate.ErrLeaseLost) {
		m.log().Warn("release session lease", "session_id", sessionID, "err", err)
	}
}

// settle releases the lease of an owned session that is no longer hosted
// (disconnected, logged out, deleted, failed to connect): nobody should
// host it until a command asks again.
func (m *Manager) settle(ctx context.Context, sessionID string) {
	if m.own == nil || sessionID == "" || m.get(sessionID) != nil {
		return
	}
	if _, _, ok := m.fenced(sessionID); ok {
		m.release(ctx, sessionID, false)
	}
}

// updateMessage writes a message change, fenced by the session's lease when
// several tasks run; a write refused by the fence stops the session.
func (m *Manager) updateMessage(ctx context.Context, sessionID, waID string, upd wagate.MessageUpdate) (*wagate.Message, bool, error) {
	f, on, ok := m.fenced(sessionID)
	fs, canFence := m.Messages.(wagate.FencedMessageStore)
	switch {
	case !on || !canFence:
		return m.Messages.UpdateMessage(ctx, sessionID, waID, upd)
	case !ok:
		return nil, false, wagate.Errorf(wagate.ENOTCONNECTED, "session %s is not owned by this task", sessionID)
	}
	msg, changed, err := fs.UpdateMessageFenced(ctx, sessionID, waID, f, upd)
	if errors.Is(err, wagate.ErrLeaseLost) {
		m.lose(sessionID, err)
	}
	return msg, changed, err
}
