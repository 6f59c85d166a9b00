package manager

import (
	"cmp"
	"context"
	"sync"
	"time"

	wagate "github.com/wagate/wagate/shared"
	"github.com/wagate/wagate/shared/stack"
)

// Run reconnects the sessions that should be connected, then handles
// commands until ctx ends. On return every command it received has been
// handled (or left in the queue) and every client is disconnected.
func (m *Manager) Run(ctx context.Context) error {
	stack.Reserve() // its loop goes deep into the queue store (package stack)
	workers := m.Workers
	if workers <= 0 {
		workers = DefaultWorkers
	}
	var ownershipDone func()
	if m.Ownership != nil {
		wait, err := m.startOwnership(ctx)
		if err != nil {
			return err
		}
		ownershipDone = wait
	} else {
		m.Resume(ctx)
	}
	go m.sweepStatuses(ctx)

	// Commands in flight finish on their own context so a shutdown never
	// leaves one half-done.
	work, cancelWork := context.WithCancel(context.WithoutCancel(ctx))
	defer cancelWork()
	sem := make(chan struct{}, workers)
	var inflight sync.WaitGroup
	for ctx.Err() == nil {
		ds, err := m.Queue.Receive(ctx, workers, cmp.Or(m.Visibility, Visibility))
		if ctx.Err() != nil {
			// Received just as we stopped: hand them back at once.
			for _, d := range ds {
				_ = m.Queue.Nack(work, d.Receipt, 0)
			}
			break
		}
		if err != nil {
			m.log().Error("receive commands", "err", err)
			sleep(ctx, time.Second)
			continue
		}
		for _, d := range ds {
			sem <- struct{}{}
			inflight.Add(1)
			go func(d wagate.Delivery) {
				defer func() { <-sem; inflight.Done() }()
				m.process(work, d)
			}(d)
		}
	}
	done := make(chan struct{})
	go func() { inflight.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(StopTimeout):
		m.log().Warn("commands still running at shutdown; they will be redelivered")
		cancelWork()
	}
	if ownershipDone != nil {
		ownershipDone()
	}
	m.Shutdown(work)
	if m.own != nil {
		m.stopOwnership(work)
	}
	return nil
}

// Resume connects every session whose desired state is connected.
func (m *Manager) Resume(ctx context.Context) {
	yes := true
	list, _, err := m.Store.ListSessions(ctx, wagate.SessionFilter{AutoConnect: &yes})
	if err != nil {
		m.log().Error("list sessions to resume", "err", err)
		return
	}
	var wg sync.WaitGroup
	sem := make(chan struct{}, ResumeWorkers)
	for _, s := range list {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			if err := m.connect(ctx, s.SessionID); err != nil {
				m.log().Error("resume session", "session_id", s.SessionID, "err", err)
			}
		}()
	}
	wg.Wait()
	if len(list) > 0 {
		m.log().Info("sessions resumed", "count", len(list))
	}
}

func sleep(ctx context.Context, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-t.C:
	}
}
