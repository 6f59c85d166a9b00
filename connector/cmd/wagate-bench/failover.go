package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/wagate/wagate/connector/failover"
)

// The failover group (docs/scale-out.md): connector processes of the aws
// runtime on the emulator, sim engine, production lease timings (30 s
// lease, 10 s heartbeat). Skipped when no emulator answers.
var (
	failoverRuns     = flag.Int("failovers", 3, "failover: SIGKILLs measured in a row (the issue's figure is over 10; 0: skip)")
	failoverSessions = flag.Int("failover-sessions", 100, "failover: paired sessions shared by two connector processes")
	failoverHold     = flag.Int("failover-hold", 2000, "failover: sessions one connector process connects for the memory figure (0: skip; beyond ~2,000 the emulator, not the connector, is measured)")
)

const (
	failoverRate     = 20.0 // sends per second during each failover
	failoverWait     = 3 * time.Minute
	failoverMemLimit = 2 << 30 // bytes: the memory a task is given
)

// failoverGroup prints the failover figures.
func (b *bench) failoverGroup(ctx context.Context) error {
	endpoint := strings.TrimRight(os.Getenv("WAGATE_AWS_TEST_ENDPOINT"), "/")
	if endpoint == "" {
		endpoint = awsDefaultEndpoint
	}
	if err := getOK(ctx, endpoint+"/health"); err != nil {
		progress("failover: SKIPPED, no AWS emulator answers at %s (start it with `make emulator`): %v", endpoint, err)
		return nil
	}
	dir, err := os.MkdirTemp("", "wagate-bench-failover-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	progress("failover: building the connector")
	bin, err := failover.Build(ctx, dir)
	if err != nil {
		return err
	}
	if *failoverRuns > 0 {
		if err := b.failovers(ctx, bin, dir+"/runs", endpoint); err != nil {
			return err
		}
	}
	if *failoverHold <= 0 {
		return nil
	}
	return b.failoverMemory(ctx, bin, dir+"/memory", endpoint)
}

// failovers kills one of two connectors *failoverRuns times under a send
// load, starting a replacement after each, and reports the time until
// every session was connected again and the sends lost or duplicated.
func (b *bench) failovers(ctx context.Context, bin, dir, endpoint string) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	c, err := failover.New(ctx, bin, dir, failover.Options{Endpoint: endpoint, LogLevel: "warn"})
	if err != nil {
		return err
	}
	defer c.Close()
	live := []string{"p0", "p1"}
	for _, name := range live {
		if err := startTask(ctx, c, name); err != nil {
			return err
		}
	}
	n := *failoverSessions
	ids, err := c.CreateSessions(ctx, n, 16)
	if err == nil {
		err = c.Pair(ctx, ids, 16)
	}
	if err == nil {
		err = foWaitConnected(ctx, c, n, "")
	}
	if err != nil {
		return err
	}
	var (
		times                 []time.Duration
		accepted, lost, dupes int
		resubmitted, strays   int
	)
	for run := range *failoverRuns {
		victim := live[0]
		loadCtx, stopLoad := context.WithCancel(ctx)
		loadDone := make(chan failover.LoadResult, 1)
		go func() { loadDone <- c.Load(loadCtx, ids, failoverRate, failoverWait) }()
		time.Sleep(5 * time.Second)
		killed := c.Kill(victim)
		err := foWaitConnected(ctx, c, n, live[1])
		took := time.Since(killed)
		stopLoad()
		load := <-loadDone
		if err != nil {
			return fmt.Errorf("run %d: %w", run+1, err)
		}
		times = append(times, took)
		progress("failover: run %d: %s killed, all %d sessions connected again after %.1fs; %d sends accepted", run+1, victim, n, took.Seconds(), len(load.Accepted))
		r, err := settleSends(ctx, c, load)
		if err != nil {
			return fmt.Errorf("run %d: %w", run+1, err)
		}
		accepted, lost, dupes, resubmitted = accepted+r.Accepted, lost+len(r.Lost), dupes+len(r.Duplicated), resubmitted+r.Resubmitted
		strays += r.Unexpected
		if overlaps := c.Overlaps(mustJournal(ctx, c)); len(overlaps) > 0 {
			return fmt.Errorf("run %d: sessions connected twice at once: %v", run+1, overlaps[:min(3, len(overlaps))])
		}
		repl := fmt.Sprintf("p%d", run+2)
		live = []string{live[1], repl}
		if err := startTask(ctx, c, repl); err != nil {
			return err
		}
		if run+1 < *failoverRuns {
			if err := foWaitConnected(ctx, c, n/2-n/10, repl); err != nil {
				return fmt.Errorf("replacement %s: %w", repl, err)
			}
		}
	}
	slices.Sort(times)
	b.out.figure("failover_runs", float64(len(times)), "runs")
	b.out.figure("failover_reconnect_all_median_s", times[len(times)/2].Seconds(), "s")
	b.out.figure("failover_reconnect_all_max_s", times[len(times)-1].Seconds(), "s")
	b.out.figure("failover_sends_accepted", float64(accepted), "sends")
	b.out.figure("failover_sends_lost", float64(lost), "sends")
	b.out.figure("failover_sends_duplicated", float64(dupes), "sends")
	b.out.figure("failover_sends_resubmitted", float64(resubmitted), "sends")
	b.out.figure("failover_sends_unanswered_delivered", float64(strays), "sends")
	return nil
}

// failoverMemory connects up to *failoverHold sessions through one
// connector process and reports its RSS per session.
func (b *bench) failoverMemory(ctx context.Context, bin, dir, endpoint string) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	c, err := failover.New(ctx, bin, dir, failover.Options{Endpoint: endpoint, LogLevel: "warn"})
	if err != nil {
		return err
	}
	defer c.Close()
	if err := startTask(ctx, c, "m0"); err != nil {
		return err
	}
	p := c.Procs()[0]
	time.Sleep(settleDelay)
	base, err := readRSSKiB(p.PID())
	if err != nil {
		return err
	}
	n := *failoverHold
	progress("failover: connecting %d sessions through one connector", n)
	start := time.Now()
	ids, err := c.CreateSessions(ctx, n, 32)
	if err == nil {
		err = c.Pair(ctx, ids, 32)
	}
	if err == nil {
		err = foWaitConnected(ctx, c, n, "m0")
	}
	if err != nil {
		return err
	}
	progress("failover: %d sessions connected in %.0fs", n, time.Since(start).Seconds())
	time.Sleep(settleDelay)
	rss, err := readRSSKiB(p.PID())
	if err != nil {
		return err
	}
	per := float64(rss-base) * 1024 / float64(n)
	b.out.figure("failover_hold_sessions", float64(n), "sessions")
	b.out.figure("failover_hold_rss_mib", kibToMiB(rss), "MiB")
	b.out.figure("failover_hold_rss_per_session_kib", per/1024, "KiB")
	b.out.figure("failover_sessions_per_2gib", (float64(failoverMemLimit)-float64(base)*1024)/per, "sessions")
	return nil
}

// startTask starts a connector and waits for its heartbeat.
func startTask(ctx context.Context, c *failover.Cluster, name string) error {
	if _, err := c.Start(name); err != nil {
		return err
	}
	wctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	return c.WaitRegistered(wctx, name)
}

// foWaitConnected waits until proc (any live process when "") holds n
// sessions connected.
func foWaitConnected(ctx context.Context, c *failover.Cluster, n int, proc string) error {
	wctx, cancel := context.WithTimeout(ctx, failoverWait)
	defer cancel()
	return failover.Eventually(wctx, 200*time.Millisecond, func() error {
		j, err := c.Journal(wctx)
		if err != nil {
			return err
		}
		got := len(c.ConnectedSessions(j))
		if proc != "" {
			got = c.Connected(j)[proc]
		}
		if got < n {
			return fmt.Errorf("%d of %d sessions connected (%s)", got, n, proc)
		}
		return nil
	})
}

// settleSends waits until every accepted send was delivered (or the wait
// ran out) and returns the comparison.
func settleSends(ctx context.Context, c *failover.Cluster, load failover.LoadResult) (failover.SendCheck, error) {
	wctx, cancel := context.WithTimeout(ctx, failoverWait)
	defer cancel()
	var r failover.SendCheck
	err := failover.Eventually(wctx, time.Second, func() error {
		j, err := c.Journal(wctx)
		if err != nil {
			return err
		}
		if r = c.CheckSends(load.Accepted, j, load.Start); len(r.Lost) > 0 {
			return fmt.Errorf("%d accepted sends not delivered", len(r.Lost))
		}
		return nil
	})
	if err != nil && ctx.Err() != nil {
		return r, err
	}
	return r, nil
}

func mustJournal(ctx context.Context, c *failover.Cluster) failover.Journal {
	j, _ := c.Journal(ctx)
	return j
}
