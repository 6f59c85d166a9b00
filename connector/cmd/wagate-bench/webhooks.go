package main

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"sync"
	"time"
)

// Settings of the webhooks group.
const (
	hookSessions = 10
	hookWorkers  = 64
	hookRate     = 500              // inbound messages/s of the latency run
	hookDrain    = 10 * time.Second // the latency run's wait for stragglers
	hookContacts = 1000
	hookPoll     = 10 * time.Millisecond // the receiver is in-process: polling it is free
)

// hookEnv is the environment of the group's wagate: sends unthrottled,
// webhooks allowed to the loopback receiver.
var hookEnv = []string{"WAGATE_SEND_RATE=0", "WAGATE_WEBHOOK_ALLOW_LOOPBACK=true"}

// webhooks: hookSessions sessions whose webhooks (event "message") go to a
// local receiver; (a) on one wagate, inbound messages at hookRate/s for
// -dur, each delivery matched to its post by WhatsApp message id: latency
// post → delivery, and the messages whose webhook never came within
// hookDrain; (b) on another, the deliverer's own throughput: a backlog of
// hookBacklog deliveries built while the receiver holds every request,
// drained by a wagate restarted after a crash (see hookBacklogRun).
func (b *bench) webhooks(ctx context.Context) error {
	recv, err := startHookReceiver()
	if err != nil {
		return err
	}
	defer recv.close()
	if err := b.hookLatencyRun(ctx, recv); err != nil {
		return err
	}
	return b.hookBacklogRun(ctx, recv)
}

// hookWagate starts wagate on dataDir ("" = a fresh one) with hookSessions
// connected sessions whose webhooks (event "message") go to recv, and
// returns the call that posts the seq-th inbound message.
func (b *bench) hookWagate(ctx context.Context, recv *hookReceiver, dataDir string) (*child, *api, callFunc, error) {
	c, a, _, err := b.startWagateWith(ctx, wagateOpts{dataDir: dataDir, env: hookEnv})
	if err != nil {
		return nil, nil, nil, err
	}
	fail := func(err error) (*child, *api, callFunc, error) {
		a.close()
		c.stop()
		return nil, nil, nil, err
	}
	sessions, err := connectSessions(ctx, a, "hook", "346300", hookSessions)
	if err != nil {
		return fail(err)
	}
	for _, s := range sessions {
		if err := a.setWebhook(ctx, s, recv.url, []string{"message"}); err != nil {
			return fail(err)
		}
	}
	post := func(ctx context.Context, seq int) (string, error) {
		return a.inboundText(ctx, sessions[seq%len(sessions)], phoneOf("34631", seq/len(sessions), hookContacts), "hook "+strconv.Itoa(seq))
	}
	return c, a, post, nil
}

// hookLatencyRun is run (a).
func (b *bench) hookLatencyRun(ctx context.Context, recv *hookReceiver) error {
	c, a, post, err := b.hookWagate(ctx, recv, "")
	if err != nil {
		return err
	}
	defer c.stop()
	defer a.close()
	return b.hookLatency(ctx, c, recv, post)
}

// hookLatency measures run (a) on a started wagate.
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
