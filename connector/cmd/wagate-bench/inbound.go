package main

import (
	"context"
	"fmt"
	"strconv"
	"time"
)

// Settings of the inbound group.
const (
	inboundSessions = 10
	inboundWorkers  = 64
	inboundContacts = 1000 // distinct senders (chats) per session
	storedTimeout   = 2 * time.Minute
	storedPoll      = 100 * time.Millisecond // each poll is inboundSessions GETs: keep their load small
)

// inbound: inboundSessions connected sessions; inboundWorkers workers post
// sim inbound texts for -dur; then the time until every message posted is
// stored (the stored count read through the API) gives the rate at which
// inbound messages are persisted.
func (b *bench) inbound(ctx context.Context) error {
	c, a, _, err := b.startWagateWith(ctx, wagateOpts{env: []string{"WAGATE_SEND_RATE=0"}})
	if err != nil {
		return err
	}
	defer c.stop()
	defer a.close()
	sessions, err := connectSessions(ctx, a, "inbound", "346200", inboundSessions)
	if err != nil {
		return err
	}
	progress("inbound: %d workers over %d sessions for %v", inboundWorkers, len(sessions), b.dur)
	first := time.Now()
	t, err := closedLoop(ctx, inboundWorkers, 0, b.dur, func(ctx context.Context, seq int) (string, error) {
		_, err := a.inboundText(ctx, sessions[seq%len(sessions)], phoneOf("34621", seq/len(sessions), inboundContacts), "inbound "+strconv.Itoa(seq))
		return "", err
	})
	if err != nil {
		return err
	}
	if err := b.checkAlive(c, t, "inbound"); err != nil {
		return err
	}
	posted := t.answered
	postedAt := time.Since(first)
	progress("inbound: %d posted in %v (%.0f/s); waiting until all are stored", posted, postedAt.Round(time.Millisecond), float64(posted)/postedAt.Seconds())
	stored, err := waitStored(ctx, a, sessions, "fromMe=false&limit=1", posted)
	if err != nil {
		return err
	}
	all := time.Since(first)
	progress("inbound: all %d stored %v after the first post (%v after the last)", stored, all.Round(time.Millisecond), (all - postedAt).Round(time.Millisecond))
	b.out.figure("inbound_persisted_per_s", float64(stored)/all.Seconds(), unitMsgPS)
	return nil
}

// waitStored polls the summed totals of query over sessions until they
// reach want, and returns the last sum.
func waitStored(ctx context.Context, a *api, sessions []string, query string, want int) (int, error) {
	deadline := time.Now().Add(storedTimeout)
	for {
		got, err := a.sumTotals(ctx, sessions, query)
		if err != nil || got >= want {
			return got, err
		}
		if time.Now().After(deadline) {
			return got, fmt.Errorf("only %d of %d messages stored after %v", got, want, storedTimeout)
		}
		if err := sleep(ctx, storedPoll); err != nil {
			return got, err
		}
	}
}
