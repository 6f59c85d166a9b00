package manager

import (
	"context"
	"errors"
	"time"

	"github.com/wagate/wagate/events"
	wagate "github.com/wagate/wagate/shared"
)

// rerouteDelay is how soon a command whose session another task just
// took is routed again.
const rerouteDelay = 100 * time.Millisecond

// route decides where a delivery is handled when several tasks run
// (docs/scale-out.md). It returns true when this task handles it: the
// session is ours, or nobody live owns it and this task just took it.
// Otherwise the delivery was forwarded to the owner (it stays in flight,
// its group locked, until the owner settles it) or put back for a moment.
func (m *Manager) route(ctx context.Context, d wagate.Delivery) bool {
	sid := d.Command.SessionID
	if m.own == nil || sid == "" {
		return true
	}
	if _, _, ok := m.fenced(sid); ok {
		return true
	}
	lease, err := m.own.cfg.Leases.Lease(ctx, sid)
	if err != nil {
		m.log().Warn("read session lease", "session_id", sid, "err", err)
		m.putBack(ctx, d, RetryDelay)
		return false
	}
	me := m.own.self()
	if lease != nil && lease.Owner != "" && lease.Owner != me && m.taskLive(ctx, lease.Owner) {
		m.forward(ctx, d, lease.Owner)
		return false
	}
	if d.Command.Type == events.CmdSessionDelete && (lease == nil || lease.Owner == "") {
		return true // nobody hosts it: clean up here, no lease needed
	}
	if _, err := m.claim(ctx, sid, lease, true); err != nil {
		delay := RetryDelay
		if errors.Is(err, wagate.ErrLeaseLost) {
			delay = rerouteDelay // another task took it: forward next time
		} else {
			m.log().Warn("take session for a command", "session_id", sid, "err", err)
		}
		m.putBack(ctx, d, delay)
		return false
	}
	return true
}

// claim acquires a session's lease (prev: the lease read before, nil if
// none) and connects the session if it should be connected. It returns
// whether the session is hosted here. forCommand keeps the lease of a
// session that should not be connected, for the command to run under it
// (settle releases it after).
func (m *Manager) claim(ctx context.Context, sessionID string, prev *wagate.Lease, forCommand bool) (bool, error) {
	o := m.own
	tok, err := o.cfg.Leases.Acquire(ctx, sessionID, o.self(), prev, m.now())
	if err != nil {
		return false, err
	}
	o.mu.Lock()
	o.tokens[sessionID] = tok
	o.mu.Unlock()
	sess, err := m.Store.FindSession(ctx, sessionID)
	switch {
	case wagate.ErrorCode(err) == wagate.ENOSESSION:
		m.release(ctx, sessionID, false)
		return false, nil
	case err != nil:
		m.release(ctx, sessionID, true)
		return false, err
	case !sess.AutoConnect:
		if !forCommand {
			m.release(ctx, sessionID, false)
		}
		return false, nil
	}
	if err := m.connect(ctx, sessionID); err != nil {
		m.settle(ctx, sessionID)
		return false, err
	}
	return m.get(sessionID) != nil, nil
}

// taskLive reports whether task id's heartbeat is live, reading the task
// list again when id is not in the cached one (a task that just started).
func (m *Manager) taskLive(ctx context.Context, id string) bool {
	o := m.own
	o.mu.Lock()
	t, ok := o.tasks[id]
	o.mu.Unlock()
	if !ok {
		tasks, err := o.cfg.Leases.Tasks(ctx)
		if err != nil {
			return true // cannot tell: do not take its sessions
		}
		o.setTasks(tasks)
		o.mu.Lock()
		t, ok = o.tasks[id]
		o.mu.Unlock()
	}
	return ok && t.Live(m.now())
}

// forward hands a delivery to the session's owner: its queue message is
// hidden for the forwarding window (the lease TTL: if the owner died
// meanwhile, the message comes back once its lease has expired), put into
// the owner's inbox and forgotten here.
func (m *Manager) forward(ctx context.Context, d wagate.Delivery, to string) {
	window := m.own.cfg.TTL
	if err := m.own.cfg.Handoff.Hide(ctx, d.Receipt, window); err != nil {
		m.log().Warn("hide forwarded command", "command_id", d.Command.ID, "err", err)
		m.putBack(ctx, d, RetryDelay)
		return
	}
	h := wagate.Handoff{Command: d.Command, Receipt: d.Receipt, Attempt: d.Attempt, VisibleUntil: m.now().Add(window)}
	if err := m.own.cfg.Leases.Forward(ctx, to, h); err != nil {
		m.log().Warn("forward command", "command_id", d.Command.ID, "to", to, "err", err)
		m.putBack(ctx, d, RetryDelay)
		return
	}
	m.own.cfg.Handoff.Forget(d.Receipt)
}

// putBack returns a delivery to the queue for delay (held by the queue, so
// it stays first of its session).
func (m *Manager) putBack(ctx context.Context, d wagate.Delivery, delay time.Duration) {
	if err := m.Queue.Nack(ctx, d.Receipt, delay); err != nil {
		m.log().Warn("put command back", "command_id", d.Command.ID, "err", err)
	}
}

// inboxLoop adopts the deliveries other tasks forward to this one until
// ctx ends.
func (m *Manager) inboxLoop(ctx context.Context) {
	t := time.NewTicker(m.own.cfg.InboxPoll)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		hs, err := m.own.cfg.Leases.Inbox(ctx, m.own.self())
		if err != nil && ctx.Err() == nil {
			m.log().Warn("read forwarded commands", "err", err)
		}
		for _, h := range hs {
			d := wagate.Delivery{Command: h.Command, Receipt: h.Receipt, Attempt: h.Attempt}
			if !m.own.cfg.Handoff.Adopt(d, h.VisibleUntil) {
				m.log().Debug("forwarded command too late; the queue delivers it again", "command_id", h.Command.ID)
			}
		}
	}
}
