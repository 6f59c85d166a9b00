package failover_test

import (
	"context"
	"fmt"
	"math"
	"testing"
	"time"

	"github.com/wagate/wagate/connector/failover"
	"github.com/wagate/wagate/shared/awstest"
)

const (
	sessions = 100
	sendRate = 20 // sends per second across the sessions
)

// TestFailover: two connector processes share 100 paired sessions; under a
// steady send load one is SIGKILLed. The survivor takes every session over
// once the lease expires and sends what was waiting: every accepted send
// reaches its recipient exactly once, and no session is ever connected by
// two processes at once. Then a replacement and a third process join, and
// the sessions spread evenly again.
func TestFailover(t *testing.T) {
	_ = awstest.Config(t) // skips without the emulator
	if testing.Short() {
		t.Skip("failover test: starts connector processes (skipped with -short)")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 8*time.Minute)
	defer cancel()
	dir := t.TempDir()
	bin, err := failover.Build(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	c, err := failover.New(ctx, bin, dir, failover.Options{
		Endpoint: awstest.Endpoint(t), LeaseTTL: 5 * time.Second, Heartbeat: time.Second, Visibility: 15 * time.Second,
	})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	defer func() {
		if t.Failed() {
			for _, p := range c.Procs() {
				t.Logf("%s log tail:\n%s", p.Name, p.LogTail(3000))
			}
		}
	}()
	start := func(name string) {
		t.Helper()
		if _, err := c.Start(name); err != nil {
			t.Fatal(err)
		}
		if err := c.WaitRegistered(ctx, name); err != nil {
			t.Fatal(err)
		}
	}
	start("A")
	start("B")

	ids, err := c.CreateSessions(ctx, sessions, 10)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Pair(ctx, ids, 10); err != nil {
		t.Fatal(err)
	}
	waitSpread(ctx, t, c, map[string]float64{"A": 0.5, "B": 0.5})

	// Load, and SIGKILL A in the middle of it.
	loadDone := make(chan failover.LoadResult, 1)
	go func() { loadDone <- c.Load(ctx, ids, sendRate, 16*time.Second) }()
	time.Sleep(6 * time.Second)
	killed := c.Kill("A")
	t.Logf("A killed at %s", killed.Format("15:04:05.000"))
	waitAll(ctx, t, c, "B")
	t.Logf("all %d sessions connected on B %.1fs after the kill", sessions, time.Since(killed).Seconds())
	load := <-loadDone
	t.Logf("load: %d accepted, %d refused, %d without answer", len(load.Accepted), load.Refused, load.Failed)
	if len(load.Accepted) < sendRate*10 {
		t.Fatalf("only %d sends accepted", len(load.Accepted))
	}
	checkSends(ctx, t, c, load)
	checkNoOverlap(ctx, t, c)
	for _, id := range ids[:10] {
		if st, err := c.Status(ctx, id); err != nil || st != "connected" {
			t.Errorf("status of %s after the failover = %q, %v", id, st, err)
		}
	}

	// A replacement joins (½ each), then a third process (⅓ each).
	start("C")
	waitSpread(ctx, t, c, map[string]float64{"B": 0.5, "C": 0.5})
	start("D")
	waitSpread(ctx, t, c, map[string]float64{"B": 1.0 / 3, "C": 1.0 / 3, "D": 1.0 / 3})
	checkNoOverlap(ctx, t, c)
}

// waitAll waits until every session is connected by proc.
func waitAll(ctx context.Context, t *testing.T, c *failover.Cluster, proc string) {
	t.Helper()
	wctx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	err := failover.Eventually(wctx, 100*time.Millisecond, func() error {
		j, err := c.Journal(wctx)
		if err != nil {
			return err
		}
		if n := c.Connected(j)[proc]; n != sessions {
			return fmt.Errorf("%s holds %d of %d sessions", proc, n, sessions)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// waitSpread waits until every session is connected and each process
// holds its share of them within ±10%, and stays so for two heartbeats.
func waitSpread(ctx context.Context, t *testing.T, c *failover.Cluster, share map[string]float64) {
	t.Helper()
	wctx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	var last map[string]int
	stable := 0
	err := failover.Eventually(wctx, 250*time.Millisecond, func() error {
		j, err := c.Journal(wctx)
		if err != nil {
			return err
		}
		last = c.Connected(j)
		total := len(c.ConnectedSessions(j))
		ok := total == sessions
		for name, f := range share {
			want := f * sessions
			if n := float64(last[name]); math.Abs(n-want) > 0.1*want {
				ok = false
			}
		}
		if !ok {
			stable = 0
			return fmt.Errorf("connected %d of %d, per process %v, want shares %v", total, sessions, last, share)
		}
		if stable++; stable < 8 {
			return fmt.Errorf("not yet stable: %v", last)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("spread: %v", last)
}

// checkSends waits until every accepted send was delivered and marked
// sent, then checks that none was lost or duplicated.
func checkSends(ctx context.Context, t *testing.T, c *failover.Cluster, load failover.LoadResult) {
	t.Helper()
	wctx, cancel := context.WithTimeout(ctx, 90*time.Second)
	defer cancel()
	var r failover.SendCheck
	err := failover.Eventually(wctx, 500*time.Millisecond, func() error {
		j, err := c.Journal(wctx)
		if err != nil {
			return err
		}
		if r = c.CheckSends(load.Accepted, j, load.Start); len(r.Lost) > 0 {
			return fmt.Errorf("%d of %d accepted sends not delivered (first %s)", len(r.Lost), r.Accepted, r.Lost[0])
		}
		unsent, err := c.Unsent(wctx, load.Accepted)
		if err == nil && len(unsent) > 0 {
			err = fmt.Errorf("%d accepted sends not marked sent (first %s)", len(unsent), unsent[0])
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("sends: %d accepted, %d delivered once each, %d resubmitted by the new owner after the kill", r.Accepted, r.Delivered, r.Resubmitted)
	if len(r.Duplicated) > 0 || r.Unexpected > 0 {
		t.Errorf("sent twice: %v; unexpected: %d", r.Duplicated, r.Unexpected)
	}
}

func checkNoOverlap(ctx context.Context, t *testing.T, c *failover.Cluster) {
	t.Helper()
	j, err := c.Journal(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if bad := c.Overlaps(j); len(bad) > 0 {
		t.Errorf("%d sessions connected by two processes at once, e.g. %v", len(bad), bad[:min(5, len(bad))])
	}
}
