package manager

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"time"

	wagate "github.com/wagate/wagate/shared"
)

// minRound is the shortest wait between two balance rounds.
const minRound = 100 * time.Millisecond

// startOwnership registers this task and starts the heartbeat/balance loop
// and the inbox loop; wait ends when both have stopped (after ctx ends).
func (m *Manager) startOwnership(ctx context.Context) (wait func(), err error) {
	m.own = newOwner(*m.Ownership)
	if err := m.register(ctx); err != nil {
		return nil, err
	}
	var wg sync.WaitGroup
	wg.Go(func() { m.wantUnleased(ctx) })
	wg.Go(func() { m.heartbeatLoop(ctx) })
	wg.Go(func() { m.balanceLoop(ctx) })
	wg.Go(func() { m.inboxLoop(ctx) })
	return wg.Wait, nil
}

// register writes a first heartbeat under a new incarnation of the task
// id, retrying until it succeeds or ctx ends.
func (m *Manager) register(ctx context.Context) error {
	o := m.own
	for {
		o.mu.Lock()
		o.incarn++
		o.id = fmt.Sprintf("%s#%d", o.base, o.incarn)
		id := o.id
		o.mu.Unlock()
		start := m.now()
		err := o.cfg.Leases.Beat(ctx, id, 0, o.cfg.TTL, start, true)
		if err == nil {
			o.mu.Lock()
			o.validUntil = start.Add(o.cfg.TTL - o.margin())
			o.mu.Unlock()
			m.log().Info("connector task registered", "task", id)
			return nil
		}
		m.log().Error("register connector task", "task", id, "err", err)
		sleep(ctx, time.Second)
		if ctx.Err() != nil {
			return ctx.Err()
		}
	}
}

// stopOwnership hands every owned session over (the clients are stopped
// already) and removes this task's heartbeat, so other tasks take the
// sessions at once.
func (m *Manager) stopOwnership(ctx context.Context) {
	for sid := range m.own.owned() {
		m.release(ctx, sid, true)
	}
	if err := m.own.cfg.Leases.RemoveTask(ctx, m.own.self(), m.now(), false); err != nil {
		m.log().Warn("remove task heartbeat", "err", err)
	}
}

// wantUnleased gives every session that should be connected and has no
// lease yet (created before ownership existed) a free lease, so a task
// takes it.
func (m *Manager) wantUnleased(ctx context.Context) {
	yes := true
	list, _, err := m.Store.ListSessions(ctx, wagate.SessionFilter{AutoConnect: &yes})
	if err != nil {
		m.log().Error("list sessions to lease", "err", err)
		return
	}
	ids := make([]string, len(list))
	for i, s := range list {
		ids[i] = s.SessionID
	}
	parallel(ctx, ids, 8, func(sid string) bool {
		if err := m.own.cfg.Leases.Want(ctx, sid); err != nil {
			m.log().Warn("lease session", "session_id", sid, "err", err)
		}
		return false
	})
}

// heartbeatLoop renews this task's heartbeat — and with it every lease
// it holds — every heartbeat period until ctx ends, on its own goroutine so
// that no balance work (claims of many sessions) can delay it. A heartbeat
// refused because it had expired, or not renewed within the lease margin,
// stops every session of this task; it then registers anew.
func (m *Manager) heartbeatLoop(ctx context.Context) {
	o := m.own
	for ctx.Err() == nil {
		wait := o.cfg.Heartbeat
		id, start := o.self(), m.now()
		err := o.cfg.Leases.Beat(ctx, id, o.count(), o.cfg.TTL, start, false)
		switch {
		case err == nil:
			o.mu.Lock()
			o.validUntil = start.Add(o.cfg.TTL - o.margin())
			o.mu.Unlock()
		case ctx.Err() != nil:
			return
		case errors.Is(err, wagate.ErrLeaseLost):
			m.loseAll(err)
			if m.register(ctx) != nil {
				return
			}
			m.kick()
		default:
			m.log().Error("task heartbeat", "task", id, "err", err)
			o.mu.Lock()
			expired := !m.now().Before(o.validUntil)
			o.mu.Unlock()
			if expired {
				m.loseAll(fmt.Errorf("no heartbeat within the lease margin: %w", err))
			}
			wait = o.cfg.Heartbeat / 4
		}
		// Beats start a period apart however long the last call took.
		sleep(ctx, wait-m.now().Sub(start))
	}
}

// kick asks the balance loop for a round now.
func (m *Manager) kick() {
	select {
	case m.own.wake <- struct{}{}:
	default:
	}
}

// balanceLoop runs a round every heartbeat period, sooner when another
// task's heartbeat is due to expire (its sessions are taken over at once),
// until ctx ends.
func (m *Manager) balanceLoop(ctx context.Context) {
	for ctx.Err() == nil {
		next := m.round(ctx)
		t := time.NewTimer(max(next, minRound))
		select {
		case <-ctx.Done():
		case <-t.C:
		case <-m.own.wake:
		}
		t.Stop()
	}
}

// round reads the tasks and balances; it returns the wait until the next
// round.
func (m *Manager) round(ctx context.Context) time.Duration {
	o := m.own
	tasks, err := o.cfg.Leases.Tasks(ctx)
	if err != nil {
		if ctx.Err() == nil {
			m.log().Error("list connector tasks", "err", err)
		}
		return o.cfg.Heartbeat
	}
	o.setTasks(tasks)
	if m.validNow() && ctx.Err() == nil {
		m.balance(ctx, tasks)
	}
	next := o.cfg.Heartbeat
	now, me := m.now(), o.self()
	for _, t := range tasks {
		if t.ID != me && t.Live(now) {
			next = min(next, t.ExpiresAt.Sub(now)+minRound)
		}
	}
	return next
}

// validNow reports whether this task's leases are valid now.
func (m *Manager) validNow() bool {
	o := m.own
	o.mu.Lock()
	defer o.mu.Unlock()
	return m.now().Before(o.validUntil)
}

// loseAll stops every owned session: this task's heartbeat lapsed.
func (m *Manager) loseAll(why error) {
	for sid := range m.own.owned() {
		m.lose(sid, why)
	}
}

// setTasks caches the task list (routing looks owners up in it).
func (o *owner) setTasks(tasks []wagate.Task) {
	o.mu.Lock()
	defer o.mu.Unlock()
	clear(o.tasks)
	for _, t := range tasks {
		o.tasks[t.ID] = t
	}
}

// balance takes free and orphaned sessions up to the fair share
// ceil(sessions / live tasks), or hands the excess over when other live
// tasks are below it and the free sessions do not fill them.
func (m *Manager) balance(ctx context.Context, tasks []wagate.Task) {
	o := m.own
	now, me := m.now(), o.self()
	free, err := o.cfg.Leases.Owned(ctx, "")
	if err != nil {
		m.log().Error("list free sessions", "err", err)
		return
	}
	cands, others := free, 0
	var live []wagate.Task
	for _, t := range tasks {
		switch {
		case t.ID == me:
		case t.Live(now):
			live = append(live, t)
			others += t.Hosted
		default:
			orphans, err := o.cfg.Leases.Owned(ctx, t.ID)
			if err != nil {
				m.log().Error("list sessions of a stopped task", "task", t.ID, "err", err)
				continue
			}
			if len(orphans) == 0 {
				_ = o.cfg.Leases.RemoveTask(ctx, t.ID, now, true)
			}
			cands = append(cands, orphans...)
		}
	}
	mine := o.count()
	total := mine + others + len(cands)
	share := (total + len(live)) / (len(live) + 1) // ceil(total / tasks)
	switch {
	case mine < share && len(cands) > 0:
		want := min(share-mine, len(cands))
		_ = o.cfg.Leases.Beat(ctx, me, mine+want, o.cfg.TTL, m.now(), false) // reserve: others see the share taken
		rand.Shuffle(len(cands), func(i, j int) { cands[i], cands[j] = cands[j], cands[i] })
		m.claimSome(ctx, cands, want)
	case mine > share:
		deficit := -len(cands)
		for _, t := range live {
			deficit += max(0, share-t.Hosted)
		}
		if k := min(mine-share, deficit); k > 0 {
			m.shed(ctx, k)
			_ = o.cfg.Leases.Beat(ctx, me, o.count(), o.cfg.TTL, m.now(), false)
		}
	}
	m.verifyLeases(ctx)
}

// claimSome takes up to want of cands, ResumeWorkers at a time.
func (m *Manager) claimSome(ctx context.Context, cands []string, want int) {
	var (
		mu  sync.Mutex
		got int
	)
	parallel(ctx, cands, ResumeWorkers, func(sid string) bool {
		mu.Lock()
		done := got >= want
		mu.Unlock()
		if done {
			return true
		}
		lease, err := m.own.cfg.Leases.Lease(ctx, sid)
		if err != nil || lease == nil || !m.claimable(ctx, lease) {
			return false
		}
		hosted, err := m.claim(ctx, sid, lease, false)
		if err != nil && !errors.Is(err, wagate.ErrLeaseLost) {
			m.log().Warn("take session", "session_id", sid, "err", err)
		}
		if hosted {
			mu.Lock()
			got++
			mu.Unlock()
		}
		return false
	})
	if got > 0 {
		m.log().Info("sessions taken", "count", got, "task", m.own.self())
	}
}

// claimable reports whether a lease may be taken: released and wanted, or
// held by a task whose heartbeat expired (or by this very task, lost track
// of).
func (m *Manager) claimable(ctx context.Context, l *wagate.Lease) bool {
	switch {
	case l.Owner == "":
		return l.Wanted
	case l.Owner == m.own.self():
		return true
	}
	return !m.taskLive(ctx, l.Owner)
}

// shed hands k live sessions over: client stopped, lease released as
// wanted (the state record is left for the next owner to update).
func (m *Manager) shed(ctx context.Context, k int) {
	n := 0
	for sid := range m.own.owned() {
		if n >= k {
			break
		}
		h := m.get(sid)
		if h == nil || !h.client.IsLive() {
			continue // never move a session that is pairing or reconnecting
		}
		if h = m.stopHost(sid); h == nil {
			continue
		}
		h.client.Disconnect()
		m.pacers.forget(sid)
		m.release(ctx, sid, true)
		n++
	}
	m.log().Info("sessions handed over", "count", n, "task", m.own.self())
}

// verifyLeases stops the owned sessions whose lease moved (a token this
// task does not hold): the index lists what the table names this task
// owner of, and leases missing from it are read from the table.
func (m *Manager) verifyLeases(ctx context.Context) {
	ids, err := m.own.cfg.Leases.Owned(ctx, m.own.self())
	if err != nil {
		return
	}
	listed := make(map[string]bool, len(ids))
	for _, id := range ids {
		listed[id] = true
	}
	for sid, tok := range m.own.owned() {
		if listed[sid] {
			continue
		}
		l, err := m.own.cfg.Leases.Lease(ctx, sid)
		if err == nil && (l == nil || l.Owner != m.own.self() || l.Token != tok) {
			m.lose(sid, wagate.ErrLeaseLost)
		}
	}
}

// parallel calls fn for each id, n at a time, until fn returns true (stop)
// or ctx ends.
func parallel(ctx context.Context, ids []string, n int, fn func(string) bool) {
	var (
		wg   sync.WaitGroup
		stop sync.Once
		done = make(chan struct{})
	)
	sem := make(chan struct{}, n)
loop:
	for _, id := range ids {
		select {
		case <-ctx.Done():
			break loop
		case <-done:
			break loop
		case sem <- struct{}{}:
		}
		wg.Go(func() {
			defer func() { <-sem }()
			if fn(id) {
				stop.Do(func() { close(done) })
			}
		})
	}
	wg.Wait()
}
