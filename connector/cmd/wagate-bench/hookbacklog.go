package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sync/atomic"
	"time"
)

// Settings of the webhooks group's backlog run.
const (
	hookBacklog   = 20_000           // inbound messages whose deliveries make the backlog
	hookLease     = time.Minute      // webhook.AttemptLease: the attempts cut off by the crash wait it out
	hookLostGrace = 10 * time.Second // after the lease, before counting the lost deliveries
	hookIdle      = 15 * time.Second // no new delivery for this long stalls the drain
	hookTick      = time.Second      // between two progress lines
)

// hookBacklogRun is run (b): wagate (kept data dir) with hookSessions
// sessions whose webhooks go to the receiver in hold mode (it accepts every
// request and never answers); hookBacklog inbound messages posted by
// hookWorkers workers; then wagate is SIGKILLed with the deliveries pending
// (the attempts in flight stay leased for hookLease). The receiver now
// answers 200 at once and wagate is restarted on the same data. The
// deliveries due at the restart are read from the stopped database: all
// but those leased at the crash and those waiting for a retry of an
// attempt the held receiver let time out. webhook_deliveries_per_s is the
// distinct deliveries received from the exec to the arrival of the last
// due one, over that time: the deliverer's own throughput, fan-out of the
// outbox events left included (a wagate that releases the leases at open
// delivers the leased ones in the drain too; they count as delivered but
// are not waited for). After the lease (unless -webhook-lost-wait is off),
// webhook_backlog_lost counts the messages whose webhook never came across
// the crash.
func (b *bench) hookBacklogRun(ctx context.Context, recv *hookReceiver) error {
	dir, err := os.MkdirTemp("", "wagate-bench-webhooks-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	posted, err := b.hookBuild(ctx, recv, dir)
	if err != nil {
		return err
	}
	due, err := readDeliveries(ctx, filepath.Join(dir, "wagate.db"), time.Now())
	if err != nil {
		return err
	}
	progress("webhooks: at the crash: %d deliveries stored (%d pending: %d leased, %d waiting for a retry), %d events not fanned out",
		due.deliveries, due.pending, due.leased, due.later, due.outbox)
	if due.deliveries+due.outbox < posted {
		return fmt.Errorf("only %d of %d events stored as deliveries or in the outbox at the crash", due.deliveries+due.outbox, posted)
	}
	target := posted - len(due.notDue)
	if target < 1 {
		return fmt.Errorf("no delivery due at the restart (%d posted, %d not due)", posted, len(due.notDue))
	}
	recv.release(due.notDue)
	progress("webhooks: receiver answers 200; restarting wagate to drain %d due deliveries", target)
	c, a, startup, err := b.startWagateWith(ctx, wagateOpts{dataDir: dir, env: hookEnv})
	if err != nil {
		return err
	}
	defer c.stop()
	defer a.close()
	progress("webhooks: wagate healthy %v after exec", startup.Round(time.Millisecond))
	at, err := waitFresh(ctx, c, recv, target)
	if err != nil {
		return err
	}
	took, delivered := at.Sub(c.started), recv.uniqueBy(at)
	progress("webhooks: %d due deliveries (%d in all) %v after exec", target, delivered, took.Round(time.Millisecond))
	b.out.figure("webhook_deliveries_per_s", float64(delivered)/took.Seconds(), unitMsgPS)
	b.out.figure("webhook_backlog", float64(posted), unitCount)
	if !b.hookLostWait {
		progress("webhooks: webhook_backlog_lost skipped (-webhook-lost-wait=false)")
		return nil
	}
	s, err := waitAll(ctx, c, recv, posted, c.started.Add(hookLease+hookLostGrace))
	if err != nil {
		return err
	}
	progress("webhooks: %d of %d delivered after the restart (%d requests, %d unsigned, %d not message.received)",
		s.unique, posted, s.requests, s.unsigned, s.other)
	b.out.figure("webhook_backlog_lost", float64(max(0, posted-s.unique)), unitCount)
	return nil
}

// hookBuild starts wagate on dir with the receiver in hold mode, posts
// hookBacklog inbound messages and SIGKILLs wagate; it returns how many
// posts were answered (stored and published).
func (b *bench) hookBuild(ctx context.Context, recv *hookReceiver, dir string) (int, error) {
	recv.reset()
	recv.holdAll()
	c, a, post, err := b.hookWagate(ctx, recv, dir)
	if err != nil {
		return 0, err
	}
	defer c.stop()
	defer a.close()
	progress("webhooks: receiver holds every request; posting %d inbound messages with %d workers", hookBacklog, hookWorkers)
	var done, failed atomic.Int64
	stop := every(hookTick, func() {
		progress("webhooks: %d posted, %d requests held", done.Load(), recv.stats().holding)
	})
	first := time.Now()
	err = forEach(ctx, hookBacklog, hookWorkers, func(ctx context.Context, i int) error {
		if _, err := post(ctx, i); err != nil {
			if failed.Add(1) == 1 {
				progress("webhooks: post failed: %v", err)
			}
			return nil
		}
		done.Add(1)
		return nil
	})
	stop()
	if err != nil {
		return 0, err
	}
	if c.exited() {
		return 0, c.exitError()
	}
	posted := int(done.Load())
	s := recv.stats()
	progress("webhooks: %d posted in %v (%d failed); %d requests held now, %d distinct ids held in all; SIGKILL",
		posted, time.Since(first).Round(time.Millisecond), failed.Load(), s.holding, s.held)
	c.crash()
	return posted, nil
}

// waitFresh waits until the receiver has n fresh deliveries and returns
// when the n-th arrived; no new one for hookIdle is an error.
func waitFresh(ctx context.Context, c *child, recv *hookReceiver, n int) (time.Time, error) {
	seen, seenAt, tick := 0, time.Now(), time.Now()
	for {
		if at, ok := recv.freshAt(n); ok {
			return at, nil
		}
		s := recv.stats()
		switch now := time.Now(); {
		case c.exited():
			return time.Time{}, c.exitError()
		case s.fresh > seen:
			seen, seenAt = s.fresh, now
		case now.Sub(seenAt) > hookIdle:
			return time.Time{}, fmt.Errorf("the drain stalled: %d of %d due deliveries in %v, none in the last %v",
				s.fresh, n, now.Sub(c.started).Round(time.Millisecond), hookIdle)
		}
		if now := time.Now(); now.Sub(tick) >= hookTick {
			tick = now
			progress("webhooks: %d of %d delivered, %v after exec", s.fresh, n, now.Sub(c.started).Round(time.Millisecond))
		}
		if err := sleep(ctx, hookPoll); err != nil {
			return time.Time{}, err
		}
	}
}

// waitAll waits until want distinct deliveries arrived or until deadline,
// and returns the last snapshot.
func waitAll(ctx context.Context, c *child, recv *hookReceiver, want int, deadline time.Time) (hookStats, error) {
	progress("webhooks: waiting up to %v for the deliveries cut off by the crash (lease %v)", time.Until(deadline).Round(time.Second), hookLease)
	tick := time.Now()
	for {
		s := recv.stats()
		if s.unique >= want || !time.Now().Before(deadline) {
			return s, nil
		}
		if c.exited() {
			return s, c.exitError()
		}
		if now := time.Now(); now.Sub(tick) >= 10*hookTick {
			tick = now
			progress("webhooks: %d of %d delivered", s.unique, want)
		}
		if err := sleep(ctx, hookPoll); err != nil {
			return s, err
		}
	}
}

// every calls f every d on its own goroutine until the returned stop.
func every(d time.Duration, f func()) (stop func()) {
	t := time.NewTicker(d)
	done := make(chan struct{})
	go func() {
		for {
			select {
			case <-t.C:
				f()
			case <-done:
				return
			}
		}
	}()
	return func() {
		t.Stop()
		close(done)
	}
}
