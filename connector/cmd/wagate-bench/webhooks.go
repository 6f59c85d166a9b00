package main

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

// Settings of the webhooks group.
const (
	hookSessions = 10
	hookWorkers  = 64
	hookBurst    = 20_000           // inbound messages of the throughput run
	hookRate     = 500              // inbound messages/s of the latency run
	hookIdle     = 15 * time.Second // no new delivery for this long ends a wait
	hookDrain    = 10 * time.Second // the latency run's wait for stragglers
	hookContacts = 1000
	hookPoll     = 10 * time.Millisecond // the receiver is in-process: polling it is free
)

// webhooks: hookSessions sessions whose webhooks (event "message") go to a
// local receiver; (a) hookBurst inbound messages posted by hookWorkers
// workers, deliveries/s from the first post to the last delivery; (b)
// inbound messages at hookRate/s for -dur, each delivery matched to its
// post by WhatsApp message id: latency post → delivery, and the messages
// whose webhook never came within hookDrain.
func (b *bench) webhooks(ctx context.Context) error {
	recv, err := startHookReceiver()
	if err != nil {
		return err
	}
	defer recv.close()
	c, a, _, err := b.startWagateWith(ctx, wagateOpts{env: []string{"WAGATE_SEND_RATE=0", "WAGATE_WEBHOOK_ALLOW_LOOPBACK=true"}})
	if err != nil {
		return err
	}
	defer c.stop()
	defer a.close()
	sessions, err := connectSessions(ctx, a, "hook", "346300", hookSessions)
	if err != nil {
		return err
	}
	for _, s := range sessions {
		if err := a.setWebhook(ctx, s, recv.url, []string{"message"}); err != nil {
			return err
		}
	}
	post := func(ctx context.Context, seq int) (string, error) {
		return a.inboundText(ctx, sessions[seq%len(sessions)], phoneOf("34631", seq/len(sessions), hookContacts), "hook "+strconv.Itoa(seq))
	}
	if err := b.hookThroughput(ctx, c, recv, post); err != nil {
		return err
	}
	return b.hookLatency(ctx, c, recv, post)
}

// hookThroughput is run (a).
func (b *bench) hookThroughput(ctx context.Context, c *child, recv *hookReceiver, post callFunc) error {
	progress("webhooks: posting %d inbound messages with %d workers", hookBurst, hookWorkers)
	recv.reset()
	var failed atomic.Int64
	first := time.Now()
	err := forEach(ctx, hookBurst, hookWorkers, func(ctx context.Context, i int) error {
		if _, err := post(ctx, i); err != nil {
			if failed.Add(1) == 1 {
				progress("webhooks: post failed: %v", err)
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	posted := hookBurst - int(failed.Load())
	progress("webhooks: %d posted in %v (%d failed); waiting for the deliveries", posted, time.Since(first).Round(time.Millisecond), failed.Load())
	s := recv.waitUnique(ctx, posted, hookIdle)
	if c.exited() {
		return c.exitError()
	}
	progress("webhooks: %d requests, %d distinct deliveries (%d unsigned, %d not message.received)", s.requests, s.unique, s.unsigned, s.other)
	switch {
	case s.unique == 0:
		return fmt.Errorf("no delivery within %v of the last post (is the deliverer wired into the local runtime?)", hookIdle)
	case s.unique < posted:
		progress("webhooks: only %d of %d messages delivered: deliveries stalled for %v", s.unique, posted, hookIdle)
	}
	b.out.figure("webhook_deliveries_per_s", float64(s.unique)/s.last.Sub(first).Seconds(), unitMsgPS)
	return nil
}

// hookLatency is run (b).
func (b *bench) hookLatency(ctx context.Context, c *child, recv *hookReceiver, post callFunc) error {
	recv.reset()
	var (
		mu   sync.Mutex
		sent = map[string]time.Time{} // whatsappMessageId → just before its post
	)
	progress("webhooks: %d inbound/s for %v", hookRate, b.dur)
	t, err := openLoop(ctx, hookRate, 0, b.dur, func(ctx context.Context, seq int) (string, error) {
		t0 := time.Now()
		wid, err := post(ctx, seq)
		if err == nil {
			mu.Lock()
			sent[wid] = t0
			mu.Unlock()
		}
		return "", err
	})
	if err != nil {
		return err
	}
	if err := b.checkAlive(c, t, "webhooks"); err != nil {
		return err
	}
	deadline := time.Now().Add(hookDrain)
	for recv.stats().unique < len(sent) && time.Now().Before(deadline) {
		if err := sleep(ctx, hookPoll); err != nil {
			return err
		}
	}
	lat := make([]time.Duration, 0, len(sent))
	for wid, t0 := range sent {
		if at, ok := recv.arrival(wid); ok {
			lat = append(lat, at.Sub(t0))
		}
	}
	slices.Sort(lat)
	s := recv.stats()
	progress("webhooks: %d posted, %d delivered (%d requests, %d unsigned, %d not message.received)", len(sent), len(lat), s.requests, s.unsigned, s.other)
	if len(lat) == 0 {
		return fmt.Errorf("none of %d messages delivered within %v", len(sent), hookDrain)
	}
	b.out.figure(fmt.Sprintf("webhook_%deps_p50_ms", hookRate), ms(percentile(lat, 50)), unitMs)
	b.out.figure(fmt.Sprintf("webhook_%deps_p99_ms", hookRate), ms(percentile(lat, 99)), unitMs)
	b.out.figure("webhook_lost", float64(len(sent)-len(lat)), unitCount)
	return nil
}
