package main

import (
	"context"
	"fmt"
	"sync"
	"time"
)

// Settings of the sessions group.
const (
	createConcurrency = 32
	sessionsTimeout   = 3 * time.Minute // first create → all connected
	countPoll         = 25 * time.Millisecond
)

// sessionsGroup: on a fresh process, the idle RSS, then -sessions sessions
// created and scanned (createConcurrency at a time), the time until all
// are connected, and the RSS settleDelay later.
func (b *bench) sessionsGroup(ctx context.Context) error {
	c, a, _, err := b.startWagate(ctx)
	if err != nil {
		return err
	}
	defer c.stop()
	defer a.close()
	if err := sleep(ctx, settleDelay); err != nil {
		return err
	}
	idle, err := c.rssKiB()
	if err != nil {
		return err
	}
	progress("sessions: idle rss %.1f MiB; creating %d sessions", kibToMiB(idle), b.sessions)
	start := time.Now()
	err = forEach(ctx, b.sessions, createConcurrency, func(ctx context.Context, i int) error {
		id := fmt.Sprintf("bench-%05d", i)
		if err := a.createSession(ctx, id); err != nil {
			return err
		}
		return a.scan(ctx, id, fmt.Sprintf("3469%07d", i))
	})
	if err != nil {
		return err
	}
	progress("sessions: created and scanned after %v", time.Since(start))
	if err := waitConnected(ctx, a, b.sessions, start); err != nil {
		return err
	}
	connect := time.Since(start)
	progress("sessions: all %d connected after %v", b.sessions, connect)
	if err := sleep(ctx, settleDelay); err != nil {
		return err
	}
	rss, err := c.rssKiB()
	if err != nil {
		return err
	}
	b.out.figure(fmt.Sprintf("rss_%d_sessions_mb", b.sessions), kibToMiB(rss), unitMiB)
	b.out.figure("rss_per_session_kb", float64(rss-idle)/float64(b.sessions), unitKiB)
	b.out.figure(fmt.Sprintf("connect_%d_sessions_s", b.sessions), connect.Seconds(), unitS)
	return nil
}

// waitConnected polls the connected count until it reaches n.
func waitConnected(ctx context.Context, a *api, n int, start time.Time) error {
	for {
		got, err := a.countConnected(ctx)
		if err != nil {
			return err
		}
		if got >= n {
			return nil
		}
		if time.Since(start) > sessionsTimeout {
			return fmt.Errorf("only %d of %d sessions connected after %v", got, n, sessionsTimeout)
		}
		if err := sleep(ctx, countPoll); err != nil {
			return err
		}
	}
}

// forEach calls do(i) for i in [0, n) on conc goroutines; the first error
// cancels the rest and is returned.
func forEach(ctx context.Context, n, conc int, do func(context.Context, int) error) error {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(conc, n) {
		wg.Go(func() {
			for i := range next {
				if err := do(ctx, i); err != nil {
					cancel(err)
				}
			}
		})
	}
feed:
	for i := range n {
		select {
		case next <- i:
		case <-ctx.Done():
			break feed
		}
	}
	close(next)
	wg.Wait()
	return context.Cause(ctx)
}
