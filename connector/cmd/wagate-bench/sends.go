package main

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"sync/atomic"
)

// Settings of the sends group.
const (
	sendSessions = 100
	sendWorkers  = 64
	sendRate     = 500 // sends/s of the open-loop run
	statusSent   = "sent"
	statusPend   = "pending"
)

// sends: sendSessions connected sessions, then a closed-loop load of
// sendWorkers workers sending texts round-robin over them (throughput,
// latency, answers still pending), then an open-loop run at sendRate
// sends/s (latency from the scheduled time), then a check that every send
// answered was stored.
func (b *bench) sends(ctx context.Context) error {
	c, a, _, err := b.startWagateWith(ctx, wagateOpts{env: []string{"WAGATE_SEND_RATE=0"}})
	if err != nil {
		return err
	}
	defer c.stop()
	defer a.close()
	sessions, err := connectSessions(ctx, a, "send", "346100", sendSessions)
	if err != nil {
		return err
	}
	var made atomic.Int64 // sends answered with 200, in both runs
	do := func(ctx context.Context, seq int) (string, error) {
		st, err := a.sendText(ctx, sessions[seq%len(sessions)], "bench "+strconv.Itoa(seq))
		if err != nil {
			return "", err
		}
		made.Add(1)
		if st != statusSent && st != statusPend {
			return "", fmt.Errorf("send answered status %q", st)
		}
		return st, nil
	}

	progress("sends: closed loop, %d workers over %d sessions, %v warm-up + %v", sendWorkers, len(sessions), b.warmup, b.dur)
	cl, err := closedLoop(ctx, sendWorkers, b.warmup, b.dur, do)
	if err != nil {
		return err
	}
	if err := b.checkAlive(c, cl, "sends closed loop"); err != nil {
		return err
	}
	b.out.figure("send_rps", float64(cl.count(statusSent))/cl.window.Seconds(), unitRPS)
	b.out.figure("send_p50_ms", cl.pctMs(50), unitMs)
	b.out.figure("send_p99_ms", cl.pctMs(99), unitMs)
	b.out.figure("send_pending_pct", 100*float64(cl.count(statusPend))/float64(cl.count()), unitPct)

	progress("sends: open loop at %d/s, %v warm-up + %v", sendRate, b.warmup, b.dur)
	ol, err := openLoop(ctx, sendRate, b.warmup, b.dur, do)
	if err != nil {
		return err
	}
	// Too many failures fail the group, but only after the figures and the
	// loss check: what was stored of the failed sends tells why they failed.
	olErr := b.checkAlive(c, ol, "sends open loop")
	if c.exited() {
		return olErr
	}
	if n := ol.count(statusPend); n > 0 {
		progress("sends: %d of %d open-loop answers were pending", n, ol.count())
	}
	if olErr == nil { // the latencies of a failing run leave out its slowest calls
		b.out.figure(fmt.Sprintf("send_%drps_p50_ms", sendRate), ol.pctMs(50), unitMs)
		b.out.figure(fmt.Sprintf("send_%drps_p99_ms", sendRate), ol.pctMs(99), unitMs)
	}

	stored, err := a.sumTotals(ctx, sessions, "fromMe=true&limit=1")
	if err != nil {
		return errors.Join(olErr, err)
	}
	sent := int(made.Load())
	progress("sends: %d sends answered, %d stored, %d failed", sent, stored, cl.failures+ol.failures)
	if stored > sent {
		progress("sends: %d more messages stored than sends answered: failed sends were stored", stored-sent)
	}
	b.out.figure("send_lost", float64(sent-stored), unitCount)
	return olErr
}

// checkAlive fails a run whose server died or whose calls failed too
// often, with the tail of the server's log.
func (b *bench) checkAlive(c *child, t *tally, what string) error {
	if c.exited() {
		return c.exitError()
	}
	if err := t.check(what); err != nil {
		return fmt.Errorf("%w; wagate log tail:\n%s", err, c.logTail())
	}
	return nil
}
